import { mkdtempSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { parseDatabaseUrl } from '../src/config/config';
import { serviceDataSourceOptions } from '../src/database';
import { resetDatabase } from './support/test-app';
import { testDatabases } from './support/databases';
import { client, ensureBuilt, ServiceProcess, startService } from './support/service-process';
import { until } from './support/until';

interface LogLine {
  msg: string;
  worker?: number;
  pid?: number;
  route?: string;
}

const lines = (service: ServiceProcess): LogLine[] =>
  service
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine);

const listening = (service: ServiceProcess) => lines(service).filter((line) => line.msg === 'listening');

/** The value of a counter series in Prometheus text, or 0 when it is absent. */
function counter(text: string, name: string, labels: Record<string, string>): number {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && wanted.every((w) => l.includes(w)));
  return line ? Number(line.split(' ').pop()) : 0;
}

/**
 * WORKERS=2: a primary and two workers on one port and one database. Both
 * workers answer, what they create is unique across them, /metrics counts
 * the requests of both, a killed worker is replaced in its slot while the
 * other serves, and SIGTERM stops them all.
 */
describe.each(testDatabases())('WORKERS=2 on %s', (name, database) => {
  let service: ServiceProcess;
  let url: string;

  beforeAll(async () => {
    ensureBuilt();
    url = database;
    if (name === 'sqlite') url = `sqlite:${join(mkdtempSync(join(tmpdir(), 'ironvol-workers-')), 'ironvol.sqlite')}`;
    else await resetDatabase(url);
    service = await startService({ DATABASE_URL: url, WORKERS: '2', LOG_LEVEL: 'info' }, 60000);
    await until(() => listening(service).length, (n) => n === 2, 30000);
  }, 90000);

  afterAll(async () => {
    await service?.stop();
  });

  it('starts two workers, each under its own slot, and both answer requests', async () => {
    expect(listening(service).map((line) => line.worker).sort()).toEqual([0, 1]);
    const api = client(service.url);
    const node = await api('POST', '/v1/nodes', { driver: 'fake-hardware', name: `workers-${Date.now()}` });
    expect(node.status).toBe(201);
    await api('PUT', `/v1/nodes/${node.body.uuid}/states/power`, { target: 'power off' });
    // Separate connections: the primary hands each new connection to the next worker.
    const creates = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        fetch(`${service.url}/v1/volume/connectors`, {
          method: 'POST',
          headers: { 'X-OpenStack-Ironic-API-Version': '1.32', 'Content-Type': 'application/json', Connection: 'close' },
          body: JSON.stringify({ node_uuid: node.body.uuid, type: 'iqn', connector_id: `iqn.2026-12.org.workers:${i}` }),
        }),
      ),
    );
    expect(creates.map((res) => res.status)).toEqual(Array(20).fill(201));
    await until(() => lines(service).filter((line) => line.route === '/v1/volume/connectors' && line.msg === 'request').length, (n) => n === 20, 5000);
    const workers = new Set(lines(service).filter((line) => line.route === '/v1/volume/connectors').map((line) => line.worker));
    expect([...workers].sort()).toEqual([0, 1]);
  });

  it('creates one connector when both workers are asked for the same at once', async () => {
    const api = client(service.url);
    const node = await api('POST', '/v1/nodes', { driver: 'fake-hardware', name: `workers-dup-${Date.now()}` });
    await api('PUT', `/v1/nodes/${node.body.uuid}/states/power`, { target: 'power off' });
    const statuses = await Promise.all(
      Array.from({ length: 10 }, async () => {
        const res = await fetch(`${service.url}/v1/volume/connectors`, {
          method: 'POST',
          headers: { 'X-OpenStack-Ironic-API-Version': '1.32', 'Content-Type': 'application/json', Connection: 'close' },
          body: JSON.stringify({ node_uuid: node.body.uuid, type: 'iqn', connector_id: 'iqn.2026-12.org.workers:same' }),
        });
        return res.status;
      }),
    );
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s !== 201).every((s) => s === 409)).toBe(true);
  });

  it("counts every worker's requests in /metrics", async () => {
    const route = { method: 'GET', route: '/v1/volume/connectors/:uuid', status: '404' };
    const before = counter(await (await fetch(`${service.url}/metrics`)).text(), 'ironvol_http_requests_total', route);
    const missing = '6e7c5bd4-0b1e-4c86-9d0b-6b5a4f1f1c00';
    for (let i = 0; i < 30; i++) {
      const res = await fetch(`${service.url}/v1/volume/connectors/${missing}`, { headers: { 'X-OpenStack-Ironic-API-Version': '1.32', Connection: 'close' } });
      expect(res.status).toBe(404);
    }
    // Each scrape reaches one worker; every one of them answers with the sum.
    for (let i = 0; i < 4; i++) {
      const text = await (await fetch(`${service.url}/metrics`, { headers: { Connection: 'close' } })).text();
      expect(counter(text, 'ironvol_http_requests_total', route) - before).toBe(30);
    }
  }, 30000);

  it('replaces a worker that dies, in its slot, while the other serves; the successor fails only its own interrupted actions', async () => {
    // Two nodes in the middle of a deploy, one held by each worker (as a live action holds it).
    const api = client(service.url);
    const held: Record<number, string> = {};
    for (const worker of [0, 1]) {
      const node = await api('POST', '/v1/nodes', { driver: 'fake-hardware', name: `workers-held-${worker}-${Date.now()}` });
      held[worker] = node.body.uuid;
    }
    const db = await new DataSource(serviceDataSourceOptions(parseDatabaseUrl(url))).initialize();
    try {
      const at = `${new Date().toISOString().slice(0, 23)}000+00:00`;
      for (const worker of [0, 1]) {
        await db.query(
          `UPDATE nodes SET provision_state = 'deploying', target_provision_state = 'active', reservation = '${hostname()}/worker-${worker}', reserved_at = '${at}' WHERE uuid = '${held[worker]}'`,
        );
      }
    } finally {
      await db.destroy();
    }
    const victim = listening(service).find((line) => line.worker === 1)!;
    process.kill(victim.pid!, 'SIGKILL');
    // Connections the primary handed to the worker as it died are lost, as with any server that dies;
    // once the primary has seen it go, new connections reach the live worker while the successor starts.
    await until(() => lines(service).filter((line) => line.msg === 'a worker stopped; starting another in its place').length, (n) => n === 1, 10000);
    const list = () =>
      fetch(`${service.url}/v1/volume/connectors?limit=1`, { headers: { 'X-OpenStack-Ironic-API-Version': '1.32', Connection: 'close' } });
    for (let i = 0; i < 4; i++) expect((await list()).status).toBe(200);
    await until(() => listening(service).filter((line) => line.worker === 1).length, (n) => n === 2, 30000);
    const successor = listening(service).filter((line) => line.worker === 1)[1];
    expect(successor.pid).not.toBe(victim.pid);
    for (let i = 0; i < 4; i++) expect((await list()).status).toBe(200);
    const own = await api('GET', `/v1/nodes/${held[1]}`);
    expect(own.body).toMatchObject({ provision_state: 'deploy failed', reservation: null });
    expect(own.body.last_error).toMatch(/interrupted/);
    const sibling = await api('GET', `/v1/nodes/${held[0]}`);
    expect(sibling.body).toMatchObject({ provision_state: 'deploying', reservation: `${hostname()}/worker-0` });
  }, 60000);

  it('stops every worker on SIGTERM and exits 0', async () => {
    const pids = listening(service).map((line) => line.pid!);
    expect(await service.stop('SIGTERM')).toBe(0);
    for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow();
  }, 60000);
});
