import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '../../config/config.module';
import type { DatabaseKind, ServiceConfig } from '../../config/config';
import { SQLITE_BUSY_TIMEOUT_MS } from '../../config/data-source-options';
import { classifyDbError, LockTimeout } from './db-errors';
import type { Database } from 'better-sqlite3';
import { PreparedRead, prepared, StatementCache } from './sqlite-statements';
import { PgStatements } from './pg-statements';
import type { Pool as PgPool, PoolClient } from 'pg';

export type Params = readonly unknown[];

/** What runs inside a transaction: plain SQL with "?" placeholders. */
export interface Tx {
  query<T = Record<string, unknown>>(sql: string, params?: Params): Promise<T[]>;
  /** Runs a write and returns the number of rows it changed. */
  run(sql: string, params?: Params): Promise<number>;
}

/** Serialises async work: SQLite has one connection, so one transaction at a time. */
class Mutex {
  private tail: Promise<void> = Promise.resolve();

  async run<T>(fn: () => Promise<T>): Promise<T> {
    const previous = this.tail;
    let release!: () => void;
    this.tail = new Promise<void>((resolve) => (release = resolve));
    await previous;
    try {
      return await fn();
    } finally {
      release();
    }
  }
}

const DEADLOCK_RETRIES = 3;
/** The longest pause between two tries for SQLite's write lock. */
const SQLITE_WRITE_RETRY_MAX_MS = 8;
/** SQLite statements kept prepared: every query text the service writes, with room for many page sizes. */
const STATEMENT_CACHE_SIZE = 500;
/** PostgreSQL texts prepared by name on each connection: every fixed text the service writes, and the shorter IN lists. */
const PG_NAMED_STATEMENTS = 200;

/**
 * The service's access to its database: dialect-neutral SQL with "?"
 * placeholders, and write transactions whose lock waits are bounded.
 */
@Injectable()
export class Db {
  readonly kind: DatabaseKind;
  private readonly sqliteWrites = new Mutex();
  private readonly statements = new StatementCache(STATEMENT_CACHE_SIZE);
  private readonly pgStatements: PgStatements;

  constructor(
    readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: ServiceConfig,
  ) {
    this.kind = config.database.kind;
    this.pgStatements = new PgStatements(config.database.preparedStatements ? PG_NAMED_STATEMENTS : 0);
  }

  /** Open, idle and waiting connections of the driver's pool (SQLite has one connection). */
  poolStats(): { total: number; idle: number; waiting: number } {
    const driver = this.dataSource.driver as unknown as {
      pool?: { _allConnections?: { length: number }; _freeConnections?: { length: number }; _connectionQueue?: { length: number } };
    };
    const pg = this.kind === 'postgres' ? this.pgPool : undefined;
    if (pg) return { total: pg.totalCount, idle: pg.idleCount, waiting: pg.waitingCount };
    if (this.kind === 'mysql' && driver.pool) {
      return {
        total: driver.pool._allConnections?.length ?? 0,
        idle: driver.pool._freeConnections?.length ?? 0,
        waiting: driver.pool._connectionQueue?.length ?? 0,
      };
    }
    return { total: 1, idle: 1, waiting: 0 };
  }

  /** Reads outside a transaction. */
  async query<T = Record<string, unknown>>(sql: string, params: Params = []): Promise<T[]> {
    if (this.kind === 'better-sqlite3') return this.sqlite(sql, params, 'all') as Promise<T[]>;
    if (this.kind === 'postgres') return (await this.pgPool.query(this.pgStatements.query(sql, params))).rows as T[];
    return this.dataSource.query(sql, this.bind(params));
  }

  /**
   * PostgreSQL queries go straight to node-postgres' pool, the one TypeORM
   * opened with the configured options, skipping TypeORM's per-query work
   * (a query runner, logging and result mapping for every statement).
   */
  private get pgPool(): PgPool {
    return (this.dataSource.driver as unknown as { master: PgPool }).master;
  }

  /**
   * SQLite runs in this process: prepared statements straight on the
   * better-sqlite3 handle, cached per SQL text, skip TypeORM's per-query work.
   * Reads return their rows as arrays, made into objects here: better-sqlite3
   * builds a row object through V8's C++ API one property at a time, which
   * cost 223 µs for a page of 100 connectors against 161 µs for the arrays
   * and this loop.
   */
  private async sqlite(sql: string, params: Params, mode: 'all' | 'run'): Promise<unknown[] | number> {
    let statement = this.statements.get(sql);
    if (!statement) {
      const handle = (this.dataSource.driver as unknown as { databaseConnection: Database }).databaseConnection;
      statement = prepared(handle.prepare(sql));
      this.statements.set(sql, statement);
    }
    const bound = this.bind(params);
    if (mode === 'all' && statement instanceof PreparedRead) return statement.all(bound);
    const result = (statement instanceof PreparedRead ? statement.statement : statement).run(...bound);
    return mode === 'run' ? result.changes : [];
  }

  /**
   * A LIMIT clause and its parameters. SQLite gets the number written into
   * the SQL: its planner reads the limit (a deep page at 1,000,000
   * connectors takes the id index only when it knows the page is small), and
   * a statement whose LIMIT parameter is bound to a new value is compiled
   * again at its next step (19.7 µs for a node's one volume target, against
   * 4.3 µs with the number in the text). The statement cache is bounded, so
   * each limit a client asks for costs one cached statement at most.
   */
  limit(rows: number): { sql: string; params: unknown[] } {
    if (this.kind !== 'better-sqlite3') return { sql: 'LIMIT ?', params: [rows] };
    if (!Number.isSafeInteger(rows) || rows < 0) throw new TypeError(`a LIMIT is a count of rows, not ${String(rows)}`);
    return { sql: `LIMIT ${rows}`, params: [] };
  }

  /**
   * Runs fn in a transaction. Lock waits are bounded by NODE_LOCK_TIMEOUT_MS;
   * one that times out ends in LockTimeout (the caller knows what was
   * locked, and answers for it), and a deadlock is retried.
   */
  async write<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.transaction(fn);
      } catch (error) {
        if (classifyDbError(error)?.kind !== 'lock') throw error;
        if (!isDeadlock(error) || attempt >= DEADLOCK_RETRIES) throw new LockTimeout(error);
      }
    }
  }

  private transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    if (this.kind === 'better-sqlite3') return this.sqliteWrites.run(() => this.sqliteTransaction(fn));
    return this.kind === 'postgres' ? this.pgTransaction(fn) : this.mysqlTransaction(fn);
  }

  /** " FOR UPDATE" where the database has row locks. */
  get forUpdate(): string {
    return this.kind === 'better-sqlite3' ? '' : ' FOR UPDATE';
  }

  /** A TypeORM query runner; MariaDB/MySQL take the lock timeout per session, in whole seconds. */
  private async mysqlTransaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    const tx: Tx = {
      query: (sql, params = []) => runner.query(sql, this.bind(params)),
      run: async (sql, params = []) => {
        const result = await runner.query(sql, this.bind(params), true);
        return result.affected ?? 0;
      },
    };
    try {
      await runner.connect();
      await runner.query(`SET SESSION innodb_lock_wait_timeout = ${Math.max(1, Math.ceil(this.config.nodeLockTimeoutMs / 1000))}`);
      await runner.query('START TRANSACTION');
      const result = await fn(tx);
      await runner.query('COMMIT');
      return result;
    } catch (error) {
      await runner.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      await runner.release();
    }
  }

  /** One pooled connection; BEGIN and the lock timeout go in one round trip. */
  private async pgTransaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    const { client, broken, release } = await this.checkoutPg();
    const tx: Tx = {
      query: async <R>(sql: string, params: Params = []) => (await client.query(this.pgStatements.query(sql, params))).rows as R[],
      run: async (sql, params = []) => (await client.query(this.pgStatements.query(sql, params))).rowCount ?? 0,
    };
    try {
      await client.query(`BEGIN; SET LOCAL lock_timeout = ${Math.max(1, this.config.nodeLockTimeoutMs)}`);
      const result = await fn(tx);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch((rollbackError: Error) => broken.push(rollbackError));
      throw error;
    } finally {
      release();
    }
  }

  /**
   * A pooled PostgreSQL connection that reports its own death: a connection
   * that dies between statements (the database stopping, a terminated
   * backend) emits an 'error' event, which would end the process if nobody
   * listened. The pool stops listening when it hands the connection out, so
   * the listener goes on in the same tick, inside the pool's callback.
   */
  private checkoutPg(): Promise<{ client: PoolClient; broken: Error[]; release: () => void }> {
    return new Promise((resolve, reject) =>
      this.pgPool.connect((error, client) => {
        if (error || !client) return reject(error);
        const broken: Error[] = [];
        const onError = (clientError: Error) => broken.push(clientError);
        client.on('error', onError);
        // A connection that broke, or could not even roll back, is not given back to the pool.
        const release = () => {
          client.off('error', onError);
          client.release(broken[0]);
        };
        resolve({ client, broken, release });
      }),
    );
  }

  /** Callers hold the in-process write mutex; IMMEDIATE takes SQLite's write lock up front (across processes too). */
  private async sqliteTransaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    const tx: Tx = {
      query: <R>(sql: string, params: Params = []) => this.sqlite(sql, params, 'all') as Promise<R[]>,
      run: (sql, params = []) => this.sqlite(sql, params, 'run') as Promise<number>,
    };
    await this.beginSqliteWrite();
    try {
      const result = await fn(tx);
      await this.sqlite('COMMIT', [], 'run');
      return result;
    } catch (error) {
      await this.sqlite('ROLLBACK', [], 'run').catch(() => undefined);
      throw error;
    }
  }

  /**
   * BEGIN IMMEDIATE, waiting for the write lock without stopping the event
   * loop. SQLite's busy handler waits by sleeping the thread, and in Node that
   * thread answers every request: while one worker of WORKERS held the lock,
   * another stopped answering reads too (two workers on one file served the
   * 80/20 mix no faster than one). So the lock is asked for without waiting,
   * and the pauses between tries are timers, for NODE_LOCK_TIMEOUT_MS in all
   * as on the other databases; everything else keeps the connection's
   * busy_timeout (a WAL reader may meet a lock now and then).
   */
  private async beginSqliteWrite(): Promise<void> {
    const deadline = performance.now() + this.config.nodeLockTimeoutMs;
    for (let pause = 1; ; pause = Math.min(pause * 2, SQLITE_WRITE_RETRY_MAX_MS)) {
      await this.sqlite('PRAGMA busy_timeout = 0', [], 'all');
      try {
        await this.sqlite('BEGIN IMMEDIATE', [], 'run');
        return;
      } catch (error) {
        if (classifyDbError(error)?.kind !== 'lock' || performance.now() + pause > deadline) throw error;
      } finally {
        await this.sqlite(`PRAGMA busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`, [], 'all');
      }
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }

  /** SQLite stores booleans as 0 and 1, and better-sqlite3 binds no JS booleans. */
  private bind(params: Params): unknown[] {
    if (this.kind !== 'better-sqlite3' || !params.some((p) => typeof p === 'boolean')) return params as unknown[];
    return params.map((p) => (typeof p === 'boolean' ? Number(p) : p));
  }
}

function isDeadlock(error: unknown): boolean {
  const e = ((error as { driverError?: unknown }).driverError ?? error) as { code?: string; errno?: number };
  return e.code === '40P01' || e.code === '40001' || e.code === 'ER_LOCK_DEADLOCK' || e.errno === 1213;
}
