import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from './app.config';
import { loadPowerConfig } from './node/power/power-config';

describe(loadConfig.name, () => {
  it('has the documented defaults', () => {
    expect(loadConfig({})).toEqual({
      host: '127.0.0.1', port: 6385, database: { kind: 'better-sqlite3', location: './data/ironvol.sqlite', poolSize: 1, preparedStatements: true },
      publicUrl: null, maxLimit: 1000, logLevel: 'info', migrationsRun: true, nodeLockTimeoutMs: 5000, nodeReservationTimeoutMs: 120000,
      metricsEnabled: true, shutdownGraceMs: 25000, workers: 1, workerSlot: null, auth: { strategy: 'noauth' }, rateLimit: null, power: loadPowerConfig({}), notifications: null,
      boot: { port: null, host: '127.0.0.1', url: null },
    });
  });

  it.each([
    [{ DATABASE_URL: 'postgres://u@h:5432/db' }, { database: { kind: 'postgres', location: 'postgres://u@h:5432/db', poolSize: 20 } }],
    [{ DATABASE_URL: 'postgres://u@h:5432/db', DATABASE_POOL_SIZE: '5' }, { database: { poolSize: 5 } }],
    [{ DATABASE_URL: 'postgres://u@h:5432/db', DATABASE_PREPARED_STATEMENTS: 'false' }, { database: { kind: 'postgres', preparedStatements: false } }],
    [{ NODE_RESERVATION_TIMEOUT_SECONDS: '30' }, { nodeReservationTimeoutMs: 30000 }],
    [{ DATABASE_URL: 'mariadb://root@h/db' }, { database: { kind: 'mysql', location: 'mysql://root@h/db' } }],
    [{ DATABASE_URL: 'sqlite:/var/lib/ironvol/db.sqlite' }, { database: { kind: 'better-sqlite3', location: '/var/lib/ironvol/db.sqlite' } }],
    [{ PUBLIC_URL: 'https://api.example.com/' }, { publicUrl: 'https://api.example.com' }],
    [{ MIGRATIONS_RUN: 'false' }, { migrationsRun: false }],
    [{ WORKERS: '2' }, { workers: 2, workerSlot: null }],
    [{ WORKERS: '2', WORKER_SLOT: '1' }, { workers: 2, workerSlot: 1 }],
  ])('reads %j', (env, expected) => {
    expect(loadConfig(env)).toMatchObject(expected);
  });

  it.each([
    [{ PORT: 'abc' }, 'Invalid configuration: PORT must be an integer between 0 and 65535 (got "abc")'],
    [{ PORT: '70000' }, 'PORT must be an integer'],
    [{ MAX_LIMIT: '0' }, 'MAX_LIMIT must be an integer'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL must be one of'],
    [{ DATABASE_URL: 'oracle://x' }, 'DATABASE_URL has an unsupported scheme'],
    [{ DATABASE_URL: 'not a url' }, 'DATABASE_URL must be sqlite:<path>'],
    [{ PUBLIC_URL: 'ftp://x' }, 'PUBLIC_URL must be an absolute http(s) URL'],
    [{ MIGRATIONS_RUN: 'maybe' }, 'MIGRATIONS_RUN must be true or false'],
    [{ BOOT_HTTP_URL: 'ftp://x' }, 'BOOT_HTTP_URL must be an http URL'],
    [{ BOOT_HTTP_URL: 'http://10.0.2.100/${x}' }, 'BOOT_HTTP_URL must be an http URL without query, blanks'],
    [{ BOOT_HTTP_PORT: 'x' }, 'BOOT_HTTP_PORT must be an integer'],
    [{ DATABASE_POOL_SIZE: '0' }, 'DATABASE_POOL_SIZE must be an integer between 1 and 1000'],
    [{ DATABASE_PREPARED_STATEMENTS: 'sometimes' }, 'DATABASE_PREPARED_STATEMENTS must be true or false'],
    [{ NODE_RESERVATION_TIMEOUT_SECONDS: 'soon' }, 'NODE_RESERVATION_TIMEOUT_SECONDS must be an integer'],
    [{ WORKERS: '0' }, 'WORKERS must be an integer between 1 and 64'],
    [{ WORKERS: 'many' }, 'WORKERS must be an integer'],
    [{ DATABASE_URL_FILE: '/nonexistent/file' }, 'DATABASE_URL_FILE names a file that cannot be read'],
  ])('refuses %j naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('reads DATABASE_URL from a mounted file', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'cfg-')), 'url');
    writeFileSync(file, 'postgres://secret@db/ironvol\n');
    expect(loadConfig({ DATABASE_URL_FILE: file }).database.location).toBe('postgres://secret@db/ironvol');
  });
});
