import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Column, DataSource, Entity } from 'typeorm';
import { parseDatabaseUrl } from '../src/config/config';
import { serviceDataSourceOptions } from '../src/database';
import { schemaDriftFromEmpty } from '../src/config/schema-drift';
import { MysqlVolumeConnector, VolumeConnector } from '../src/volume/connectors/connector.entity';
import { testDatabases } from './support/databases';

/** The connector entity with a column no migration creates. */
@Entity({ name: 'volume_connectors' })
class VolumeConnectorWithProbe extends VolumeConnector {
  @Column({ name: 'drift_probe', type: 'varchar', length: 64, nullable: true })
  driftProbe: string | null;
}

@Entity({ name: 'volume_connectors' })
class MysqlVolumeConnectorWithProbe extends MysqlVolumeConnector {
  @Column({ name: 'drift_probe', type: 'varchar', length: 64, nullable: true })
  driftProbe: string | null;
}

const WITH_PROBE = new Map<unknown, unknown>([
  [VolumeConnector, VolumeConnectorWithProbe],
  [MysqlVolumeConnector, MysqlVolumeConnectorWithProbe],
]);

let scratchCount = 0;

/**
 * A database of the test's own for each test, dropped after it: the check
 * needs an empty one, and other suites share `test`. SQLite gets a file in a
 * temporary directory; a server gets a database created next to `test`.
 */
function useScratchDatabase(database: string): () => string {
  let url = '';
  let drop: (() => Promise<void>) | null = null;
  beforeEach(async () => {
    if (database === 'sqlite') {
      const dir = mkdtempSync(join(tmpdir(), 'ironvol-drift-'));
      url = `sqlite:${join(dir, 'drift.sqlite')}`;
      drop = async () => rmSync(dir, { recursive: true, force: true });
      return;
    }
    const name = `ironvol_drift_${process.pid}_${++scratchCount}`;
    const kind = parseDatabaseUrl(database).kind as 'postgres' | 'mysql';
    const server = await new DataSource({ type: kind, url: database }).initialize();
    await server.query(`DROP DATABASE IF EXISTS ${name}`);
    await server.query(`CREATE DATABASE ${name}`);
    const scratch = new URL(database);
    scratch.pathname = `/${name}`;
    url = scratch.toString();
    drop = async () => {
      await server.query(`DROP DATABASE IF EXISTS ${name}`);
      await server.destroy();
    };
  });
  afterEach(async () => {
    await drop?.();
    drop = null;
  });
  return () => url;
}

describe.each(testDatabases())('schema drift (%s)', (_name, database) => {
  const scratchUrl = useScratchDatabase(database);

  it('finds nothing to change once every migration has run', async () => {
    await expect(schemaDriftFromEmpty(serviceDataSourceOptions(parseDatabaseUrl(scratchUrl())))).resolves.toEqual([]);
  });

  it('names a column an entity has and no migration creates', async () => {
    const options = serviceDataSourceOptions(parseDatabaseUrl(scratchUrl()));
    const entities = (options.entities as unknown[]).map((entity) => WITH_PROBE.get(entity) ?? entity);
    expect(entities.filter((entity) => entity === VolumeConnectorWithProbe || entity === MysqlVolumeConnectorWithProbe)).toHaveLength(1);

    const pending = await schemaDriftFromEmpty({ ...options, entities } as typeof options);

    expect(pending).not.toEqual([]);
    expect(pending.filter((query) => query.includes('drift_probe'))).not.toEqual([]);
  });

  it('refuses a database that already has the service tables', async () => {
    const options = serviceDataSourceOptions(parseDatabaseUrl(scratchUrl()));
    await schemaDriftFromEmpty(options);
    await expect(schemaDriftFromEmpty(options)).rejects.toThrow(/needs an empty database; this one has migrations, nodes/);
  });
});
