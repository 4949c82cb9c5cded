/**
 * Recognises the database errors the service answers on purpose, across
 * SQLite (better-sqlite3), PostgreSQL (pg) and MariaDB/MySQL (mysql2).
 */
export type DbErrorKind =
  | { kind: 'unique'; constraint: string }
  | { kind: 'foreign-key' }
  | { kind: 'lock' }
  | { kind: 'unavailable' };

interface DriverError {
  code?: string | number;
  errno?: number;
  constraint?: string;
  message?: string;
  driverError?: DriverError;
}

const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '08000',
  '08003',
  '08006',
  '53300', // too_many_connections
]);

const UNAVAILABLE_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error',
  'Connection is not established',
  "Can't add new command when connection is in closed state",
  'connect ECONNREFUSED',
  'Pool is closed',
];

export function classifyDbError(error: unknown): DbErrorKind | null {
  const outer = error as DriverError | null;
  if (!outer || typeof outer !== 'object') return null;
  const e = outer.driverError ?? outer;
  const code = e.code === undefined ? undefined : String(e.code);
  const message = e.message ?? outer.message ?? '';

  // PostgreSQL
  if (code === '23505') return { kind: 'unique', constraint: e.constraint ?? message };
  if (code === '23503') return { kind: 'foreign-key' };
  if (code === '55P03' || code === '40P01' || code === '40001') return { kind: 'lock' };
  // MariaDB / MySQL
  if (code === 'ER_DUP_ENTRY' || e.errno === 1062) return { kind: 'unique', constraint: message };
  if (code === 'ER_NO_REFERENCED_ROW_2' || e.errno === 1452) return { kind: 'foreign-key' };
  if (code === 'ER_LOCK_WAIT_TIMEOUT' || code === 'ER_LOCK_DEADLOCK' || e.errno === 1205 || e.errno === 1213) {
    return { kind: 'lock' };
  }
  // SQLite
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    return { kind: 'unique', constraint: message };
  }
  if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY') return { kind: 'foreign-key' };
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') return { kind: 'lock' };

  if ((code && UNAVAILABLE_CODES.has(code)) || UNAVAILABLE_MESSAGES.some((m) => message.includes(m))) {
    return { kind: 'unavailable' };
  }
  return null;
}

/** True when a unique violation concerns the given columns or constraint name. */
export function violates(kind: DbErrorKind | null, constraintName: string, columns: string[]): boolean {
  if (!kind || kind.kind !== 'unique') return false;
  const text = kind.constraint;
  if (text.includes(constraintName)) return true;
  // SQLite names the columns: "UNIQUE constraint failed: volume_connectors.type, volume_connectors.connector_id"
  const failed = text.replace(/^.*constraint failed: /i, '');
  const named = failed.split(',').map((c) => c.trim().replace(/^.*\./, ''));
  return named.length === columns.length && columns.every((c) => named.includes(c));
}

/**
 * A transaction could not get a lock in time: a lock wait longer than
 * NODE_LOCK_TIMEOUT_MS, SQLite busy past its timeout, or a deadlock that
 * kept coming back. The layer that knows what was locked answers for it.
 */
export class LockTimeout extends Error {
  constructor(override readonly cause: unknown) {
    super('The database could not get a lock in time.');
  }
}
