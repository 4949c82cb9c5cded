import { boolean, ConfigError, Env, integer, secret } from './env';

export { ConfigError, Env } from './env';

export type DatabaseKind = 'better-sqlite3' | 'postgres' | 'mysql';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface DatabaseConfig {
  kind: DatabaseKind;
  /** File path for SQLite, connection URL otherwise. */
  location: string;
  /** Connections per process to a server database (SQLite has one). */
  poolSize: number;
  /**
   * PostgreSQL: each connection keeps the service's statements prepared by
   * name. Off for a pooler that hands one server connection to several
   * clients without tracking their prepared statements.
   */
  preparedStatements: boolean;
}

/**
 * The service's own settings: listening, the database, pages, logs, locks.
 * Each feature reads its own section (auth, power, notifications) from the
 * environment; the application puts them together (app.config.ts).
 */
export interface ServiceConfig {
  host: string;
  port: number;
  database: DatabaseConfig;
  publicUrl: string | null;
  maxLimit: number;
  logLevel: LogLevel;
  migrationsRun: boolean;
  /** How long a volume or power change waits for a node another request holds. */
  nodeLockTimeoutMs: number;
  /** How long a power action's node reservation holds before it counts as left by a dead process. */
  nodeReservationTimeoutMs: number;
  metricsEnabled: boolean;
  /** How long SIGTERM waits for requests in flight before closing their connections. */
  shutdownGraceMs: number;
  /** Processes serving the API on this machine (WORKERS): above 1, a primary process starts that many workers. */
  workers: number;
  /** Which of them this process is (0 …), set by the primary for each worker; null when the process runs alone. */
  workerSlot: number | null;
}

const LOG_LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
export const DEFAULT_DATABASE_URL = 'sqlite:./data/ironvol.sqlite';
const DEFAULT_POOL_SIZE = 20;

export function parseDatabaseUrl(raw: string, variable = 'DATABASE_URL', poolSize = DEFAULT_POOL_SIZE, preparedStatements = true): DatabaseConfig {
  if (raw.startsWith('sqlite:')) {
    const path = raw.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (!path) throw new ConfigError(variable, 'must name a file after "sqlite:" (e.g. sqlite:./data/ironvol.sqlite)');
    return { kind: 'better-sqlite3', location: path, poolSize: 1, preparedStatements };
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(variable, 'must be sqlite:<path>, postgres://… or mysql://… (not a valid URL)');
  }
  if (url.protocol === 'postgres:' || url.protocol === 'postgresql:') return { kind: 'postgres', location: raw, poolSize, preparedStatements };
  if (url.protocol === 'mysql:' || url.protocol === 'mariadb:') {
    return { kind: 'mysql', location: raw.replace(/^mariadb:/, 'mysql:'), poolSize, preparedStatements };
  }
  throw new ConfigError(variable, `has an unsupported scheme "${url.protocol}" (use sqlite:, postgres: or mysql:)`);
}

function publicUrl(env: Env): string | null {
  const raw = env.PUBLIC_URL?.trim();
  if (!raw) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('PUBLIC_URL', `must be an absolute http(s) URL (got "${raw}")`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError('PUBLIC_URL', `must be an absolute http(s) URL (got "${raw}")`);
  }
  return raw.replace(/\/+$/, '');
}

/** Only the database settings: what migrations need, whatever the rest of the configuration says. */
export function loadDatabaseConfig(env: Env = process.env): DatabaseConfig {
  return parseDatabaseUrl(
    secret(env, 'DATABASE_URL')?.trim() || DEFAULT_DATABASE_URL,
    'DATABASE_URL',
    integer(env, 'DATABASE_POOL_SIZE', DEFAULT_POOL_SIZE, 1, 1000),
    boolean(env, 'DATABASE_PREPARED_STATEMENTS', true),
  );
}

export function loadServiceConfig(env: Env = process.env): ServiceConfig {
  const logLevel = (env.LOG_LEVEL?.trim().toLowerCase() || 'info') as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')} (got "${env.LOG_LEVEL}")`);
  }
  const host = env.HOST?.trim() || '127.0.0.1';
  return {
    host,
    port: integer(env, 'PORT', 6385, 0, 65535),
    database: loadDatabaseConfig(env),
    publicUrl: publicUrl(env),
    maxLimit: integer(env, 'MAX_LIMIT', 1000, 1, 100000),
    logLevel,
    migrationsRun: boolean(env, 'MIGRATIONS_RUN', true),
    nodeLockTimeoutMs: integer(env, 'NODE_LOCK_TIMEOUT_MS', 5000, 1, 600000),
    nodeReservationTimeoutMs: integer(env, 'NODE_RESERVATION_TIMEOUT_SECONDS', 120, 1, 86400) * 1000,
    metricsEnabled: boolean(env, 'METRICS_ENABLED', true),
    shutdownGraceMs: integer(env, 'SHUTDOWN_GRACE_MS', 25000, 0, 3600000),
    workers: integer(env, 'WORKERS', 1, 1, 64),
    workerSlot: env.WORKER_SLOT === undefined ? null : integer(env, 'WORKER_SLOT', 0, 0, 63),
  };
}
