import { DataSource, type DataSourceOptions } from 'typeorm';
import { runMigrations } from './migrate';

/**
 * What TypeORM would change to make the database match the entities: the
 * statements `typeorm migration:generate` would write into a new migration.
 * Empty when the schema in the database is the one the entities describe.
 */
export async function pendingSchemaChanges(dataSource: DataSource): Promise<string[]> {
  const { upQueries } = await dataSource.driver.createSchemaBuilder().log();
  return upQueries.map((query) => query.query);
}

/** The service's tables (the migrations table and every entity's) that already exist. */
async function serviceTablesPresent(dataSource: DataSource): Promise<string[]> {
  const names = [dataSource.options.migrationsTableName ?? 'migrations', ...dataSource.entityMetadatas.map((entity) => entity.tablePath)];
  const runner = dataSource.createQueryRunner();
  try {
    const present: string[] = [];
    for (const name of names) if (await runner.hasTable(name)) present.push(name);
    return present;
  } finally {
    await runner.release();
  }
}

/**
 * The options to read this database's catalogue with. The service talks to
 * MariaDB through TypeORM's mysql driver (and the migrations test for
 * 'mysql'), but that driver reads MariaDB's quoted column defaults wrongly,
 * taking every nullable column's default for the string 'NULL'; its
 * mariadb flavour reads them right.
 */
async function catalogueOptions(dataSource: DataSource): Promise<DataSourceOptions> {
  if (dataSource.options.type !== 'mysql') return dataSource.options;
  const [{ version }] = await dataSource.query<Array<{ version: string }>>('SELECT VERSION() AS version');
  return /mariadb/i.test(version) ? { ...dataSource.options, type: 'mariadb' } : dataSource.options;
}

/**
 * Runs every migration on an empty database, then answers what the entities
 * would still change. It refuses a database that already holds the service's
 * tables: a schema that grew by other means would hide drift, and the check
 * must never migrate a database in use.
 */
export async function schemaDriftFromEmpty(options: DataSourceOptions): Promise<string[]> {
  const migrating = new DataSource(options);
  await migrating.initialize();
  let reading: DataSourceOptions;
  try {
    const present = await serviceTablesPresent(migrating);
    if (present.length) throw new Error(`the schema check needs an empty database; this one has ${present.join(', ')}`);
    await runMigrations(migrating);
    reading = await catalogueOptions(migrating);
  } finally {
    await migrating.destroy();
  }
  const catalogue = new DataSource(reading);
  await catalogue.initialize();
  try {
    return await pendingSchemaChanges(catalogue);
  } finally {
    await catalogue.destroy();
  }
}
