import { mkdtempSync, writeFileSync } from 'node:fs';
import bcrypt from 'bcryptjs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { parseDatabaseUrl } from '../src/config/config';
import { serviceDataSourceOptions } from '../src/database';
import { createTestApp, TestApp } from './support/test-app';
import { createConnector, createNode } from './support/fixtures';
import { client, ensureBuilt, startService } from './support/service-process';

const metric = (text: string, name: string) =>
  text
    .split('\n')
    .filter((l) => l.startsWith(name))
    .reduce((sum, l) => sum + Number(l.split(' ').pop()), 0);

describe('metrics', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('sqlite');
  });
  afterAll(async () => {
    await t.close();
  });

  it('counts requests by route template and status, power actions and powered-off refusals', async () => {
    const before = (await t.call('GET', '/metrics', { version: null })).text;
    const node = await createNode(t, { power: 'power on' });
    const connector = await createConnector(t, node.uuid);
    await t.call('DELETE', `/v1/volume/connectors/${connector.uuid}`);
    const after = await t.call('GET', '/metrics', { version: null });
    expect(after.status).toBe(200);
    expect(after.headers['content-type']).toMatch(/^text\/plain/);
    expect(after.text).toMatch(/ironvol_http_requests_total\{method="DELETE",route="\/v1\/volume\/connectors\/:uuid",status="400"\} \d+/);
    expect(after.text).toContain('ironvol_http_request_duration_seconds_bucket{');
    expect(metric(after.text, 'ironvol_power_actions_total{target="power on",result="done"}')).toBe(
      metric(before, 'ironvol_power_actions_total{target="power on",result="done"}') + 1,
    );
    expect(metric(after.text, 'ironvol_powered_off_refusals_total{action="volume connector deletion"}')).toBeGreaterThan(
      metric(before, 'ironvol_powered_off_refusals_total{action="volume connector deletion"}'),
    );
    expect(after.text).toContain('ironvol_db_pool_total_connections');
  });

  it('is off with METRICS_ENABLED=false', async () => {
    const off = await createTestApp('sqlite', { metricsEnabled: false });
    try {
      expect((await off.call('GET', '/metrics', { version: null })).status).toBe(404);
    } finally {
      await off.close();
    }
  });
});

describe('the running service', () => {
  beforeAll(() => ensureBuilt(), 120000);

  it('logs one JSON line per request with its id, route, status and duration, and no secrets', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ironvol-log-'));
    const service = await startService({ DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`, LOG_LEVEL: 'info' });
    const res = await fetch(`${service.url}/v1/volume/connectors/not-a-uuid`, { headers: { 'X-OpenStack-Ironic-API-Version': '1.32', Authorization: 'Basic c2VjcmV0OnBhc3N3b3Jk' } });
    const id = res.headers.get('openstack-request-id');
    const created = await fetch(`${service.url}/v1/nodes`, {
      method: 'POST',
      headers: { 'X-OpenStack-Ironic-API-Version': '1.32', 'Content-Type': 'application/json' },
      body: JSON.stringify({ driver: 'fake-hardware', name: 'audited' }),
    });
    const createdId = created.headers.get('openstack-request-id');
    expect(await service.stop()).toBe(0);
    const lines = service.output().trim().split('\n').map((l) => JSON.parse(l));
    const line = lines.find((l) => l.msg === 'request' && l.req_id === id);
    expect(line).toMatchObject({ level: 'info', method: 'GET', route: '/v1/volume/connectors/:uuid', status: 400, version: '1.32' });
    expect(typeof line.duration_ms).toBe('number');
    expect(service.output()).not.toContain('c2VjcmV0OnBhc3N3b3Jk');
    const audits = lines.filter((l) => l.msg === 'audit');
    expect(audits).toEqual([
      expect.objectContaining({ req_id: createdId, user: 'admin', action: 'POST /v1/nodes', resource: '/v1/nodes', result: 'done', status: 201 }),
    ]);
    expect(lines.some((l) => l.msg === 'stopped')).toBe(true);
  }, 60000);

  it('audits who made each change under http_basic, and never logs a password or token', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ironvol-audit-'));
    writeFileSync(join(dir, 'htpasswd'), `alice:${bcrypt.hashSync('correct-horse-battery', 4)}\n`);
    writeFileSync(join(dir, 'roles.json'), JSON.stringify({ alice: { roles: ['member'], project: 'p1' } }));
    const service = await startService({
      DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`,
      LOG_LEVEL: 'info',
      AUTH_STRATEGY: 'http_basic',
      HTTP_BASIC_AUTH_USER_FILE: join(dir, 'htpasswd'),
      HTTP_BASIC_AUTH_ROLES_FILE: join(dir, 'roles.json'),
    });
    const send = (password: string) =>
      fetch(`${service.url}/v1/nodes`, {
        method: 'POST',
        headers: {
          'X-OpenStack-Ironic-API-Version': '1.32',
          'Content-Type': 'application/json',
          Authorization: `Basic ${Buffer.from(`alice:${password}`).toString('base64')}`,
        },
        body: JSON.stringify({ driver: 'fake-hardware' }),
      });
    const denied = await send('correct-horse-battery');
    const unauthenticated = await send('wrong-guess');
    expect([denied.status, unauthenticated.status]).toEqual([403, 401]);
    expect(await service.stop()).toBe(0);
    const output = service.output();
    for (const secret of ['correct-horse-battery', 'wrong-guess', Buffer.from('alice:correct-horse-battery').toString('base64')]) {
      expect(output).not.toContain(secret);
    }
    const audits = output.trim().split('\n').map((l) => JSON.parse(l)).filter((l) => l.msg === 'audit');
    expect(audits).toEqual([
      expect.objectContaining({ req_id: denied.headers.get('openstack-request-id'), user: 'alice', roles: ['member'], project: 'p1', result: 'refused', status: 403 }),
      expect.objectContaining({ req_id: unauthenticated.headers.get('openstack-request-id'), user: 'unauthenticated', result: 'refused', status: 401 }),
    ]);
  }, 60000);

  it('refuses to start with a bad variable, naming it', async () => {
    await expect(startService({ PORT_UNUSED: '1', MAX_LIMIT: 'lots' }, 5000)).rejects.toThrow(/MAX_LIMIT must be an integer/);
  }, 30000);

  (process.env.TEST_POSTGRES_URL ? it : it.skip)('finishes a request in flight on SIGTERM, then exits 0', async () => {
    const url = process.env.TEST_POSTGRES_URL!;
    const service = await startService({ DATABASE_URL: url, NODE_LOCK_TIMEOUT_MS: '20000', SHUTDOWN_GRACE_MS: '20000' });
    const api = client(service.url);
    const node = await api('POST', '/v1/nodes', { driver: 'fake-hardware', name: `drain-${Date.now()}` });
    await api('PUT', `/v1/nodes/${node.body.uuid}/states/power`, { target: 'power off' });
    const connector = await api('POST', '/v1/volume/connectors', { node_uuid: node.body.uuid, type: 'iqn', connector_id: `iqn.drain:${Date.now()}` });
    // Hold the node's row lock so the PATCH below is still in flight when SIGTERM arrives.
    const db = await new DataSource(serviceDataSourceOptions(parseDatabaseUrl(url))).initialize();
    const holder = db.createQueryRunner();
    await holder.connect();
    await holder.startTransaction();
    await holder.query('SELECT id FROM nodes WHERE uuid = $1 FOR UPDATE', [node.body.uuid]);
    const patch = api('PATCH', `/v1/volume/connectors/${connector.body.uuid}`, [{ op: 'add', path: '/extra/drained', value: true }]);
    await new Promise((r) => setTimeout(r, 500));
    const exited = service.stop('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    const ready = await fetch(`${service.url}/readyz`).then((r) => r.status).catch(() => 'closed');
    expect(ready).not.toBe(200);
    await holder.commitTransaction();
    await holder.release();
    const answer = await patch;
    expect(answer.status).toBe(200);
    expect(answer.body.extra).toEqual({ drained: true });
    expect(await exited).toBe(0);
    const [row] = await db.query('SELECT extra FROM volume_connectors WHERE uuid = $1', [connector.body.uuid]);
    expect(JSON.parse(row.extra)).toEqual({ drained: true });
    await db.destroy();
  }, 60000);
});
