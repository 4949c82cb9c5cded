import 'reflect-metadata';
import { ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { parseDatabaseUrl } from '../src/config/config';
import { serviceDataSourceOptions } from '../src/database';
import { runMigrations } from '../src/config/migrate';
import { nowIso } from '../src/common/time';
import { load } from './load';
import { Options } from './options';
import { assert } from './scenarios';
import { emptyDatabase, freePort, SERVER_ENV, startIronvol } from './server';

const BATCH = 200;

/** The MAC of the i-th seeded machine. */
export const macOf = (i: number) => `52:54:00:${((i >> 16) & 255).toString(16).padStart(2, '0')}:${((i >> 8) & 255).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}`;

/**
 * Seeds `count` deployed nodes that boot from their volume, straight into
 * the service's tables (as a fleet that was deployed earlier): ipmi,
 * ipxe/direct/external, active and powered on, each with an iqn and a mac
 * connector and an iSCSI boot target with CHAP.
 */
export async function seedBootingFleet(databaseUrl: string, count: number): Promise<void> {
  const dataSource = await new DataSource(serviceDataSourceOptions(parseDatabaseUrl(databaseUrl))).initialize();
  await runMigrations(dataSource);
  const postgres = dataSource.options.type === 'postgres';
  const placeholders = (n: number, offset: number) => Array.from({ length: n }, (_, i) => (postgres ? `$${offset + i + 1}` : '?')).join(', ');
  const insert = async (table: string, columns: string[], rows: unknown[][]) => {
    for (let start = 0; start < rows.length; start += BATCH) {
      const batch = rows.slice(start, start + BATCH);
      const tuples = batch.map((_, i) => `(${placeholders(columns.length, i * columns.length)})`);
      await dataSource.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${tuples.join(', ')}`, batch.flat());
    }
  };
  const now = nowIso();
  const tag = `storm-${Date.now().toString(36)}`;
  const driverInfo = JSON.stringify({ ipmi_address: '127.0.0.1', ipmi_port: 9, ipmi_username: 'admin', ipmi_password: 'password' });
  const properties = JSON.stringify({ capabilities: 'iscsi_boot:True' });
  await insert(
    'nodes',
    ['uuid', 'name', 'driver', 'driver_info', 'power_state', 'provision_state', 'boot_interface', 'deploy_interface', 'storage_interface', 'properties', 'extra', 'instance_info', 'maintenance', 'created_at'],
    Array.from({ length: count }, (_, i) => [randomUUID(), `${tag}-${i}`, 'ipmi', driverInfo, 'power on', 'active', 'ipxe', 'direct', 'external', properties, '{}', '{}', false, now]),
  );
  const ids = (await dataSource.query(`SELECT id, name FROM nodes WHERE name LIKE '${tag}-%'`)) as { id: number; name: string }[];
  const nodes = ids.map((row) => ({ id: Number(row.id), i: Number(row.name.slice(tag.length + 1)) }));
  await insert(
    'volume_connectors',
    ['uuid', 'node_id', 'type', 'connector_id', 'extra', 'created_at'],
    nodes.flatMap(({ id, i }) => [
      [randomUUID(), id, 'iqn', `iqn.2026-12.org.example:${tag}-${i}`, '{}', now],
      [randomUUID(), id, 'mac', macOf(i), '{}', now],
    ]),
  );
  await insert(
    'volume_targets',
    ['uuid', 'node_id', 'volume_type', 'boot_index', 'volume_id', 'properties', 'extra', 'created_at'],
    nodes.map(({ id, i }) => [
      randomUUID(), id, 'iscsi', 0, `vol-${i}`,
      JSON.stringify({ target_iqn: `iqn.2026-12.org.example:vol-${i}`, target_portal: '10.0.2.101:3260', target_lun: 1, auth_method: 'CHAP', auth_username: `node${i}`, auth_password: 'Secret-p4ss' }),
      '{}', now,
    ]),
  );
  await dataSource.destroy();
}

/**
 * The same HTTP stack as the boot listener (node:http, the same headers)
 * serving one fixed script: what serving a static file costs, the ceiling
 * the listener is measured against. Run as its own process, as the service is.
 */
export function startStaticServer(port: number, body: string): ChildProcess {
  const program = `
    const body = ${JSON.stringify(body)};
    require('node:http').createServer((req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', 'Content-Length': Buffer.byteLength(body) });
      res.end(body);
    }).listen(${port}, '127.0.0.1', () => process.send && process.send('ready'));`;
  return spawn(process.execPath, ['-e', program], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
}

export interface StormResult {
  server: string;
  rps: number;
  p50: number;
  p99: number;
  max: number;
  non2xx: number;
  errors: number;
}

/** `connections` clients fetching per-MAC scripts of `count` machines in turn, for `duration` seconds. */
export async function storm(name: string, base: string, count: number, connections: number, duration: number): Promise<StormResult> {
  const result = await load(base, { connections, duration, next: (i) => ({ method: 'GET', path: `/pxelinux.cfg/${macOf(i % count).replace(/:/g, '-')}` }) });
  return {
    server: name,
    rps: result.rps,
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

/** The boot listener under a boot storm, against a static file served by the same HTTP stack. */
export async function bootStorm(o: Options, count: number, connections: number): Promise<void> {
  const databaseUrl = await emptyDatabase(o.database, 'storm');
  process.stdout.write(`seeding ${count} deployed nodes booting from their volume\n`);
  await seedBootingFleet(databaseUrl, count);
  const bootPort = await freePort();
  Object.assign(SERVER_ENV, { BOOT_HTTP_PORT: String(bootPort), BOOT_HTTP_HOST: '127.0.0.1', BOOT_HTTP_URL: 'http://10.0.2.100' });
  const server = await startIronvol(databaseUrl);
  const listener = `http://127.0.0.1:${bootPort}`;
  const sample = await fetch(`${listener}/pxelinux.cfg/${macOf(count - 1).replace(/:/g, '-')}`);
  const script = await sample.text();
  assert(sample.status === 200 && script.includes('sanhook --drive 0x80'), 'the listener serves a seeded machine its script');
  const staticPort = await freePort();
  const staticServer = startStaticServer(staticPort, script);
  await new Promise((resolve) => staticServer.once('message', resolve));
  const servers = [['boot listener', listener], ['static file', `http://127.0.0.1:${staticPort}`]];
  const results: StormResult[] = [];
  for (const [name, base] of servers) await storm(name, base, count, connections, o.warmup);
  for (const round of [0, 1]) {
    for (const [name, base] of servers) {
      const result = await storm(name, base, count, connections, o.duration / 2);
      results.push(result);
      process.stdout.write(`${name} round ${round + 1} c=${connections}: ${result.rps} req/s p99 ${result.p99} ms\n`);
    }
  }
  const lines = [`| server (${count} machines, ${connections} clients) | req/s | p50 ms | p99 ms | max ms | non-2xx | errors |`, '|---|---|---|---|---|---|---|'];
  for (const [name] of servers) {
    const rs = results.filter((r) => r.server === name);
    const rps = Math.round(rs.reduce((a, r) => a + r.rps, 0) / rs.length);
    lines.push(`| ${name} | ${rps} | ${Math.max(...rs.map((r) => r.p50))} | ${Math.max(...rs.map((r) => r.p99))} | ${Math.max(...rs.map((r) => r.max))} | ${rs.reduce((a, r) => a + r.non2xx, 0)} | ${rs.reduce((a, r) => a + r.errors, 0)} |`);
  }
  process.stdout.write(`\n${lines.join('\n')}\n`);
  if (o.out) writeFileSync(o.out, `${JSON.stringify({ options: o, results }, null, 2)}\n`);
  staticServer.kill();
  server.child.kill('SIGTERM');
}
