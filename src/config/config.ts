import { readFileSync } from 'node:fs';
import { AuthConfig, loadAuthConfig, RateLimitConfig, loadRateLimit } from '../auth/auth-config';

export type DatabaseKind = 'better-sqlite3' | 'postgres' | 'mysql';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface DatabaseConfig {
  kind: DatabaseKind;
  /** File path for SQLite, connection URL otherwise. */
  location: string;
}

export interface AppConfig {
  host: string;
  port: number;
  database: DatabaseConfig;
  publicUrl: string | null;
  maxLimit: number;
  logLevel: LogLevel;
  migrationsRun: boolean;
  /** How long a volume or power change waits for a node another request holds. */
  nodeLockTimeoutMs: number;
  metricsEnabled: boolean;
  /** How long SIGTERM waits for requests in flight before closing their connections. */
  shutdownGraceMs: number;
  auth: AuthConfig;
  /** Per-client request budget; null when rate limiting is off. */
  rateLimit: RateLimitConfig | null;
}

export class ConfigError extends Error {
  constructor(variable: string, problem: string) {
    super(`Invalid configuration: ${variable} ${problem}`);
  }
}

const LOG_LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
export const DEFAULT_DATABASE_URL = 'sqlite:./data/ironvol.sqlite';

export type Env = Record<string, string | undefined>;

export function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw.trim()) || Number(raw) < min || Number(raw) > max) {
    throw new ConfigError(name, `must be an integer between ${min} and ${max} (got "${raw}")`);
  }
  return Number(raw);
}

export function boolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(name, `must be true or false (got "${env[name]}")`);
}

/** Reads NAME, or the file named by NAME_FILE (for mounted secrets); not both. */
function secret(env: Env, name: string): string | undefined {
  const file = env[`${name}_FILE`];
  if (file !== undefined && file !== '') {
    if (env[name]) throw new ConfigError(name, `and ${name}_FILE are both set; set only one`);
    try {
      return readFileSync(file, 'utf8').trim();
    } catch (error) {
      throw new ConfigError(`${name}_FILE`, `names a file that cannot be read (${(error as Error).message})`);
    }
  }
  return env[name];
}

export function parseDatabaseUrl(raw: string, variable = 'DATABASE_URL'): DatabaseConfig {
  if (raw.startsWith('sqlite:')) {
    const path = raw.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (!path) throw new ConfigError(variable, 'must name a file after "sqlite:" (e.g. sqlite:./data/ironvol.sqlite)');
    return { kind: 'better-sqlite3', location: path };
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(variable, 'must be sqlite:<path>, postgres://… or mysql://… (not a valid URL)');
  }
  if (url.protocol === 'postgres:' || url.protocol === 'postgresql:') return { kind: 'postgres', location: raw };
  if (url.protocol === 'mysql:' || url.protocol === 'mariadb:') {
    return { kind: 'mysql', location: raw.replace(/^mariadb:/, 'mysql:') };
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
  return parseDatabaseUrl(secret(env, 'DATABASE_URL')?.trim() || DEFAULT_DATABASE_URL);
}

export function loadConfig(env: Env = process.env): AppConfig {
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
    metricsEnabled: boolean(env, 'METRICS_ENABLED', true),
    shutdownGraceMs: integer(env, 'SHUTDOWN_GRACE_MS', 25000, 0, 3600000),
    auth: loadAuthConfig(env, host),
    rateLimit: loadRateLimit(env),
  };
}
