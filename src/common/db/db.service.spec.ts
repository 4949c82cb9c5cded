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
    // About 20 ticks of 5 ms fit in the 100 ms wait; a busy machine delays some. A loop blocked
    // in SQLite's busy handler would see at most one, when it is let go.
    expect(turns).toBeGreaterThanOrEqual(4);
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

/**
 * Two workers of WORKERS on one SQLite file: each has its own connection and
 * its own in-process write mutex, so their write transactions meet only at
 * SQLite's write lock. Every write reads the last number and adds the next:
 * if two transactions overlapped, a number would be written twice.
 */
describe('Db on SQLite, two connections writing at once', () => {
  let dir: string;
  const sources: DataSource[] = [];

  afterEach(async () => {
    for (const source of sources.splice(0)) await source.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps every acknowledged write and only those, each in its own turn', async () => {
    dir = mkdtempSync(join(tmpdir(), 'ironvol-db-'));
    const url = `sqlite:${join(dir, 'db.sqlite')}`;
    const workers: Db[] = [];
    for (let i = 0; i < 2; i++) {
      const source = await new DataSource(serviceDataSourceOptions(parseDatabaseUrl(url))).initialize();
      sources.push(source);
      workers.push(new Db(source, { database: { kind: 'better-sqlite3' }, nodeLockTimeoutMs: 5000 } as ServiceConfig));
    }
    await workers[0].query('CREATE TABLE counts (n INTEGER NOT NULL, writer TEXT NOT NULL)');
    const next = (db: Db, writer: string) =>
      db.write(async (tx) => {
        const [{ last }] = await tx.query<{ last: number | null }>('SELECT MAX(n) AS last FROM counts');
        await tx.run('INSERT INTO counts (n, writer) VALUES (?, ?)', [(last ?? 0) + 1, writer]);
        return (last ?? 0) + 1;
      });
    const acknowledged = await Promise.all(
      Array.from({ length: 60 }, (_, i) => next(workers[i % 2], `worker-${i % 2}`)),
    );
    const rows = await workers[1].query<{ n: number; writer: string }>('SELECT n, writer FROM counts ORDER BY n');
    expect(rows.map((r) => r.n)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    expect([...acknowledged].sort((a, b) => a - b)).toEqual(rows.map((r) => r.n));
    expect(new Set(rows.map((r) => r.writer))).toEqual(new Set(['worker-0', 'worker-1']));
  });
});
