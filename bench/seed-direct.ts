import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { parseDatabaseUrl } from '../src/config/config';
import { serviceDataSourceOptions } from '../src/database';
import { runMigrations } from '../src/config/migrate';
import { nowIso } from '../src/common/time';

const CONNECTORS_PER_NODE = 10;
const BATCH = 500;

/** Empties a server database of ironvol's tables, so a run starts from a known size. */
export async function dropTables(databaseUrl: string): Promise<void> {
  const dataSource = await new DataSource(serviceDataSourceOptions(parseDatabaseUrl(databaseUrl))).initialize();
  try {
    for (const table of ['notification_outbox', 'notification_relay', 'volume_targets', 'volume_connectors', 'nodes', 'migrations']) {
      await dataSource.query(`DROP TABLE IF EXISTS ${table}`);
    }
  } finally {
    await dataSource.destroy();
  }
}

/**
 * Seeds `size` connectors (10 per node, nodes powered off) straight into the
 * service's tables, through the same schema and migrations, for sizes the
 * public API would take hours to build.
 */
export async function seedDirect(databaseUrl: string, size: number) {
  const dataSource = await new DataSource(serviceDataSourceOptions(parseDatabaseUrl(databaseUrl))).initialize();
  await runMigrations(dataSource);
  const p = (n: number, offset = 0) =>
    dataSource.options.type === 'postgres' ? Array.from({ length: n }, (_, i) => `$${offset + i + 1}`) : Array(n).fill('?');
  const nodeCount = Math.ceil(size / CONNECTORS_PER_NODE);
  const now = nowIso();
  const nodes: string[] = [];
  const sample: string[] = [];
  let deepMarker = '';
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  await runner.startTransaction();
  try {
    const [{ base }] = await runner.query('SELECT COALESCE(MAX(id), 0) AS base FROM nodes');
    for (let start = 0; start < nodeCount; start += BATCH) {
      const rows = Math.min(BATCH, nodeCount - start);
      const values: unknown[] = [];
      const tuples: string[] = [];
      for (let i = 0; i < rows; i++) {
        const uuid = randomUUID();
        if (nodes.length < 1000) nodes.push(uuid);
        tuples.push(`(${p(8, values.length).join(', ')}, '{}', '{}', FALSE)`);
        values.push(uuid, `sweep-${Date.now().toString(36)}-${start + i}`, 'fake-hardware', 'power off', 'enroll', '{}', '{}', now);
      }
      await runner.query(
        'INSERT INTO nodes (uuid, name, driver, power_state, provision_state, properties, extra, created_at, driver_info, instance_info, maintenance) ' +
          `VALUES ${tuples.join(', ')}`,
        values,
      );
    }
    const deepIndex = Math.floor(size * 0.9);
    for (let start = 0; start < size; start += BATCH) {
      const rows = Math.min(BATCH, size - start);
      const values: unknown[] = [];
      const tuples: string[] = [];
      for (let i = 0; i < rows; i++) {
        const n = start + i;
        const uuid = randomUUID();
        if (n % Math.max(1, Math.floor(size / 10000)) === 0) sample.push(uuid);
        if (n === deepIndex) deepMarker = uuid;
        tuples.push(`(${p(6, values.length).join(', ')})`);
        values.push(uuid, Number(base) + Math.floor(n / CONNECTORS_PER_NODE) + 1, 'iqn', `iqn.2017-06.org.sweep:${uuid}`, '{}', now);
      }
      await runner.query(`INSERT INTO volume_connectors (uuid, node_id, type, connector_id, extra, created_at) VALUES ${tuples.join(', ')}`, values);
    }
    await runner.commitTransaction();
  } catch (error) {
    await runner.rollbackTransaction();
    throw error;
  } finally {
    if (dataSource.options.type !== 'better-sqlite3') await runner.release();
  }
  // Fresh statistics, as autovacuum would gather them on a table that grew to this size.
  const analyze = dataSource.options.type === 'mysql' ? 'ANALYZE TABLE nodes, volume_connectors' : 'ANALYZE';
  await dataSource.query(analyze);
  await dataSource.destroy();
  return { nodes, connectors: sample, deepMarker };
}
