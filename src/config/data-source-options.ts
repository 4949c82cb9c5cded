import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import type { DatabaseConfig } from './config';
import { MysqlNode, Node } from '../node/node.entity';
import { MysqlVolumeConnector, VolumeConnector } from '../volume/connectors/connector.entity';
import { MysqlVolumeTarget, VolumeTarget } from '../volume/targets/target.entity';
import { MysqlOutboxNotification, NotificationRelayLease, OutboxNotification } from '../notifications/outbox.entity';

export const ENTITIES = [Node, VolumeConnector, VolumeTarget, OutboxNotification, NotificationRelayLease];
/** The same tables as the migrations build them on MySQL/MariaDB: wider text types, a tinyint's default, ON UPDATE RESTRICT. */
export const MYSQL_ENTITIES = [MysqlNode, MysqlVolumeConnector, MysqlVolumeTarget, MysqlOutboxNotification, NotificationRelayLease];
const MIGRATIONS = [join(__dirname, '..', 'migrations', '*.{ts,js}')];

/** TypeORM options for one database; the app, the CLI and the tests share them. */
export function dataSourceOptions(database: DatabaseConfig): DataSourceOptions {
  const common = {
    entities: ENTITIES,
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
          db.pragma('busy_timeout = 5000');
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
        entities: MYSQL_ENTITIES,
        url: database.location,
        charset: 'utf8mb4_unicode_ci',
        extra: { connectionLimit: database.poolSize, connectTimeout: 5000 },
      };
  }
}
