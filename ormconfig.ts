import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadDatabaseConfig } from './src/config/config';
import { dataSourceOptions } from './src/config/data-source-options';

/**
 * The one DataSource of the service, configured from DATABASE_URL. The app
 * builds its connection from the same options; the TypeORM CLI
 * (npm run migration:run, migration:generate) reads this file.
 */
export default new DataSource(dataSourceOptions(loadDatabaseConfig()));
