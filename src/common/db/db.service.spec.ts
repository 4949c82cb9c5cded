import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { parseDatabaseUrl, ServiceConfig } from '../../config/config';
import { SQLITE_BUSY_TIMEOUT_MS } from '../../config/data-source-options';
import { serviceDataSourceOptions } from '../../database';
import { Db } from './db.service';
import { LockTimeout } from './db-errors';

/**
 * A SQLite write while another connection to the file (as another worker
 * of WORKERS would be) holds the write lock.
 */
describe('Db on SQLite, with the write lock held elsewhere', () => {
  let dir: string;
  let dataSource: DataSource;
  let other: Database.Database;
  let db: Db;
  const lockTimeoutMs = 300;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ironvol-db-'));
    const file = join(dir, 'db.sqlite');
    dataSource = await new DataSource(serviceDataSourceOptions(parseDatabaseUrl(`sqlite:${file}`))).initialize();
    other = new Database(file);
    other.exec('CREATE TABLE items (name TEXT)');
    db = new Db(dataSource, { database: { kind: 'better-sqlite3' }, nodeLockTimeoutMs: lockTimeoutMs } as ServiceConfig);
  });

  afterEach(async () => {
    other.close();
    await dataSource.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Counts the turns of the event loop while `work` runs. */
  async function turnsDuring<T>(work: Promise<T>): Promise<{ turns: number; outcome: T | Error }> {
    let turns = 0;
    const ticker = setInterval(() => turns++, 5);
    const outcome = await work.catch((error: Error) => error);
    clearInterval(ticker);
    return { turns, outcome };
  }

  it('waits for the lock with the event loop free, and writes once it is let go', async () => {
    other.exec('BEGIN IMMEDIATE');
    setTimeout(() => other.exec('COMMIT'), 100);
    const { turns, outcome } = await turnsDuring(db.write((tx) => tx.run('INSERT INTO items (name) VALUES (?)', ['a'])));
    expect(outcome).toBe(1);
    expect(turns).toBeGreaterThanOrEqual(10);
    expect(await db.query('SELECT name FROM items')).toEqual([{ name: 'a' }]);
  });

  it('gives up after NODE_LOCK_TIMEOUT_MS with LockTimeout, having written nothing, and reads meanwhile', async () => {
    other.exec('BEGIN IMMEDIATE');
    const started = performance.now();
    const write = db.write((tx) => tx.run('INSERT INTO items (name) VALUES (?)', ['b']));
    expect(await db.query('SELECT COUNT(*) AS n FROM items')).toEqual([{ n: 0 }]);
    const { turns, outcome } = await turnsDuring(write);
    const waited = performance.now() - started;
    other.exec('COMMIT');
    expect(outcome).toBeInstanceOf(LockTimeout);
    expect(waited).toBeGreaterThanOrEqual(lockTimeoutMs - 10);
    expect(waited).toBeLessThan(lockTimeoutMs + 200);
    expect(turns).toBeGreaterThanOrEqual(20);
    expect(await db.query('SELECT COUNT(*) AS n FROM items')).toEqual([{ n: 0 }]);
  });

  it("leaves the connection's busy_timeout as it was for everything else", async () => {
    await db.write((tx) => tx.run('INSERT INTO items (name) VALUES (?)', ['c']));
    other.exec('BEGIN IMMEDIATE');
    await db.write((tx) => tx.run('INSERT INTO items (name) VALUES (?)', ['d'])).catch(() => undefined);
    other.exec('COMMIT');
    expect(await db.query('PRAGMA busy_timeout')).toEqual([{ timeout: SQLITE_BUSY_TIMEOUT_MS }]);
  });
});
