import type { DataSourceOptions } from 'typeorm';
import type { DatabaseConfig } from './config/config';
import { dataSourceOptions, joinEntitySets } from './config/data-source-options';
import { NODE_ENTITIES } from './node/node.entity';
import { OUTBOX_ENTITIES } from './notifications/outbox.entity';
import { CONNECTOR_ENTITIES } from './volume/connectors/connector.entity';
import { TARGET_ENTITIES } from './volume/targets/target.entity';

/** Every feature's tables: what the migrations build, and what the schema check holds them to. */
export const SERVICE_ENTITIES = joinEntitySets([NODE_ENTITIES, CONNECTOR_ENTITIES, TARGET_ENTITIES, OUTBOX_ENTITIES]);

/** TypeORM options for the service's database; the app, the CLI, the tests and the benchmark share them. */
export const serviceDataSourceOptions = (database: DatabaseConfig): DataSourceOptions => dataSourceOptions(database, SERVICE_ENTITIES);
