import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import type { DatabaseConfig } from './config';

type EntityClass = Function;

/**
 * The entities of the service's tables, as each feature declares them: one
 * class per table, and for MySQL/MariaDB the class that describes the table
 * as the migrations build it there (wider text types, a tinyint's default,
 * ON UPDATE RESTRICT), where that differs.
 */
export interface EntitySet {
  portable: EntityClass[];
  mysql: EntityClass[];
}

/** The entity sets of several features, as one. */
export const joinEntitySets = (sets: readonly EntitySet[]): EntitySet => ({
  portable: sets.flatMap((set) => set.portable),
  mysql: sets.flatMap((set) => set.mysql),
});
/**
 * How long a SQLite statement waits for a lock held by another connection
 * before it fails with SQLITE_BUSY. Write transactions ask for their lock
 * without it and wait with timers instead (Db).
 */
export const SQLITE_BUSY_TIMEOUT_MS = 5000;

const MIGRATIONS = [join(__dirname, '..', 'migrations', '*.{ts,js}')];

/** TypeORM options for one database; the app, the CLI and the tests share them. */
export function dataSourceOptions(database: DatabaseConfig, entities: EntitySet): DataSourceOptions {
  const common = {
    entities: entities.portable,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    synchronize: false,
    migrationsRun: false,
    logging: false,
  } as const;
  switch (database.kind) {
    case 'better-sqlite3':
      if (database.location !== ':memory:') mkdirSync(dirname(database.location), { recursive: true });
      return {
        ...common,
        type: 'better-sqlite3',
        database: database.location,
        enableWAL: true,
        statementCacheSize: 200,
        prepareDatabase: (db: { pragma(sql: string): unknown }) => {
          db.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
          db.pragma('synchronous = NORMAL');
          db.pragma('foreign_keys = ON');
        },
      };
    case 'postgres':
      return {
        ...common,
        type: 'postgres',
        url: database.location,
        extra: { max: database.poolSize, connectionTimeoutMillis: 5000, idleTimeoutMillis: 30000 },
      };
    case 'mysql':
      return {
        ...common,
        type: 'mysql',
        entities: entities.mysql,
        url: database.location,
        charset: 'utf8mb4_unicode_ci',
        extra: { connectionLimit: database.poolSize, connectTimeout: 5000 },
      };
  }
}
