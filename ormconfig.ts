import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadDatabaseConfig } from './src/config/config';
import { serviceDataSourceOptions } from './src/database';

/**
 * The one DataSource of the service, configured from DATABASE_URL. The app
 * builds its connection from the same options; the TypeORM CLI
 * (npm run migration:run, migration:generate) reads this file.
 */
export default new DataSource(serviceDataSourceOptions(loadDatabaseConfig()));
