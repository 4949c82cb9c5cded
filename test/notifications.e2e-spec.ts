import { ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadNotificationConfig } from '../src/notifications/notification-config';
import { client, ensureBuilt, ServiceProcess, startService } from './support/service-process';
import { createConnector, createNode, unique } from './support/fixtures';
import { createTestApp, resetDatabase } from './support/test-app';
import { hasIronicObjects, readWithIronicClasses } from './support/ironic-objects';

const TRANSPORT_URL = process.env.TEST_RABBITMQ_URL ?? 'rabbit://guest:guest@127.0.0.1:5672/';
const hasBroker = spawnSync('sh', ['-c', 'rabbitmqctl -q status >/dev/null 2>&1']).status === 0;
const hasOslo = spawnSync('/usr/bin/python3', ['-c', 'import oslo_messaging']).status === 0;
if (process.env.REQUIRE_RABBITMQ && (!hasBroker || !hasOslo)) {
  throw new Error('REQUIRE_RABBITMQ is set but RabbitMQ (rabbitmqctl) or python3-oslo.messaging is missing');
}
const QUEUES = ['ironic_versioned_notifications.info', 'ironic_versioned_notifications.error'];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Received {
  event_type: string;
  priority: string;
  publisher_id: string;
  message_id: string;
  payload: { 'ironic_object.name': string; 'ironic_object.namespace': string; 'ironic_object.version': string; 'ironic_object.data': Record<string, any> };
}

/** oslo.messaging's notification listener on Ironic's topic (test/clients/oslo-listener.py), collecting what it decodes. */
class Listener {
  readonly received: Received[] = [];
  private constructor(private readonly child: ChildProcess) {}

  static async start(): Promise<Listener> {
    const child = spawn('/usr/bin/python3', [join(__dirname, 'clients', 'oslo-listener.py'), TRANSPORT_URL.replace(/^rabbit:/, 'rabbit:'), ''], { stdio: ['ignore', 'pipe', 'pipe'] });
    const listener = new Listener(child);
    let buffer = '';
    let ready = false;
    child.stdout!.on('data', (chunk) => {
      buffer += chunk;
      const lines = buffer.split('\n');
      buffer = lines.pop()!;
      for (const line of lines) {
        if (line === 'ready') ready = true;
        else if (line.startsWith('{')) listener.received.push(JSON.parse(line));
      }
    });
    for (let i = 0; i < 100 && !ready; i++) await sleep(100);
    if (!ready) throw new Error('the oslo.messaging listener did not start');
    return listener;
  }

  of(uuid: string): Received[] {
    return this.received.filter((r) => r.payload['ironic_object.data'].uuid === uuid);
  }

  async until(done: () => boolean, timeoutMs = 30000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!done()) {
      if (Date.now() > deadline) throw new Error(`events did not arrive; got ${this.received.length}: ${this.received.map((r) => r.event_type).join(", ")}`);
      await sleep(100);
    }
  }

  stop(): void {
    this.child.kill('SIGINT');
  }
}

function notifyingService(dir: string, extra: Record<string, string> = {}) {
  return startService({
    DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`, NOTIFICATION_LEVEL: 'info', NOTIFICATION_TRANSPORT_URL: TRANSPORT_URL,
    NOTIFICATION_HOST: 'ironvol-test', NOTIFICATION_RELAY_INTERVAL_MS: '50', ...extra,
  });
}

/** The events of each resource, in the order received, duplicates (same message_id) dropped. */
function sequences(events: Received[]): { byResource: Map<string, string[]>; duplicates: number } {
  const seen = new Set<string>();
  const byResource = new Map<string, string[]>();
  let duplicates = 0;
  for (const event of events) {
    if (seen.has(event.message_id)) {
      duplicates++;
      continue;
    }
    seen.add(event.message_id);
    const uuid = event.payload['ironic_object.data'].uuid as string;
    byResource.set(uuid, [...(byResource.get(uuid) ?? []), event.event_type]);
  }
  return { byResource, duplicates };
}

(hasBroker && hasOslo ? describe : describe.skip)('versioned notifications on RabbitMQ, read by oslo.messaging', () => {
  let listener: Listener;
  let service: ServiceProcess;
  let dir: string;

  beforeAll(async () => {
    ensureBuilt();
    for (const queue of QUEUES) spawnSync('rabbitmqctl', ['-q', 'purge_queue', queue]);
    listener = await Listener.start();
    dir = mkdtempSync(join(tmpdir(), 'ironvol-notify-'));
    service = await notifyingService(dir);
  }, 60000);
  afterAll(async () => {
    await service?.stop();
    listener?.stop();
  });

  it('sends every volume event as Ironic does: start and end, start and error for a refusal, payloads as versioned objects', async () => {
    const api = client(service.url);
    const node = (await api('POST', '/v1/nodes', { driver: 'fake-hardware', name: unique('notify') })).body.uuid as string;
    await api('PUT', `/v1/nodes/${node}/states/power`, { target: 'power off' });
    const connector = await api('POST', '/v1/volume/connectors', { node_uuid: node, type: 'iqn', connector_id: unique('iqn.notify') });
    expect(connector.status).toBe(201);
    const c = connector.body.uuid as string;
    expect((await api('PATCH', `/v1/volume/connectors/${c}`, [{ op: 'add', path: '/extra/k', value: 'v' }])).status).toBe(200);
    expect((await api('POST', '/v1/volume/connectors', { node_uuid: node, type: 'iqn', connector_id: connector.body.connector_id })).status).toBe(409);
    const target = await api('POST', '/v1/volume/targets', { node_uuid: node, volume_type: 'iscsi', boot_index: 0, volume_id: 'v1', properties: { auth_password: 's3cret', portal: 'p' } });
    const t = target.body.uuid as string;
    await api('PUT', `/v1/nodes/${node}/states/power`, { target: 'power on' });
    expect((await api('PATCH', `/v1/volume/targets/${t}`, [{ op: 'add', path: '/extra/k', value: 'v' }])).status).toBe(400);
    await api('PUT', `/v1/nodes/${node}/states/power`, { target: 'power off' });
    expect((await api('DELETE', `/v1/volume/connectors/${c}`)).status).toBe(204);
    expect((await api('DELETE', `/v1/volume/targets/${t}`)).status).toBe(204);

    await listener.until(() => listener.of(c).length >= 6 && listener.of(t).length >= 6 && listener.of(node).length >= 6);
    // The power actions, from the conductor, as Ironic's conductor sends them.
    expect(listener.of(node).map((e) => `${e.event_type} ${e.publisher_id} ${e.payload['ironic_object.data'].to_power}`)).toEqual(
      ['power off', 'power on', 'power off'].flatMap((to) => [`baremetal.node.power_set.start ironic-conductor.ironvol-test ${to}`, `baremetal.node.power_set.end ironic-conductor.ironvol-test ${to}`]),
    );
    if (hasIronicObjects) expect(readWithIronicClasses(listener.received.map((e) => e.payload)).filter((r) => r !== 'ok')).toEqual([]);
    const types = (uuid: string) => listener.of(uuid).map((e) => `${e.event_type} ${e.priority}`);
    expect(types(c)).toEqual([
      'baremetal.volumeconnector.create.start INFO', 'baremetal.volumeconnector.create.end INFO',
      'baremetal.volumeconnector.update.start INFO', 'baremetal.volumeconnector.update.end INFO',
      'baremetal.volumeconnector.delete.start INFO', 'baremetal.volumeconnector.delete.end INFO',
    ]);
    // Each priority has its own queue (oslo.messaging's), so order holds within a priority.
    expect(types(t).filter((e) => e.endsWith('INFO'))).toEqual([
      'baremetal.volumetarget.create.start INFO', 'baremetal.volumetarget.create.end INFO',
      'baremetal.volumetarget.update.start INFO',
      'baremetal.volumetarget.delete.start INFO', 'baremetal.volumetarget.delete.end INFO',
    ]);
    expect(types(t).filter((e) => e.endsWith('ERROR'))).toEqual(['baremetal.volumetarget.update.error ERROR']);
    // The refused duplicate: start and error, for the connector that was not created.
    const duplicate = listener.received.filter((e) => e.event_type === 'baremetal.volumeconnector.create.error' && e.payload['ironic_object.data'].connector_id === connector.body.connector_id);
    expect(duplicate).toHaveLength(1);

    const created = listener.of(c)[1];
    expect(created.publisher_id).toBe('ironic-api.ironvol-test');
    expect(created.payload).toEqual({
      'ironic_object.name': 'VolumeConnectorCRUDPayload', 'ironic_object.namespace': 'ironic', 'ironic_object.version': '1.0',
      'ironic_object.data': {
        uuid: c, node_uuid: node, type: 'iqn', connector_id: connector.body.connector_id, extra: {},
        created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/), updated_at: null,
      },
    });
    expect(listener.of(c)[0].payload['ironic_object.data'].created_at).toBeNull();
    expect(listener.of(c)[3].payload['ironic_object.data']).toMatchObject({ extra: { k: 'v' }, updated_at: expect.stringMatching(/Z$/) });
    const targetData = listener.of(t)[1].payload;
    expect(targetData['ironic_object.name']).toBe('VolumeTargetCRUDPayload');
    expect(targetData['ironic_object.data']).toMatchObject({ volume_type: 'iscsi', boot_index: 0, volume_id: 'v1', properties: { auth_password: '******', portal: 'p' } });
  }, 60000);

  it('loses nothing while RabbitMQ is stopped, and sends in order per resource once it is back', async () => {
    const api = client(service.url);
    const node = (await api('POST', '/v1/nodes', { driver: 'fake-hardware', name: unique('outage') })).body.uuid as string;
    await api('PUT', `/v1/nodes/${node}/states/power`, { target: 'power off' });
    const items: string[] = [];
    const expected = new Map<string, string[]>();
    const change = async (round: number) => {
      if (round % 3 === 0 || items.length === 0) {
        const res = await api('POST', '/v1/volume/connectors', { node_uuid: node, type: 'iqn', connector_id: unique('iqn.outage') });
        expect(res.status).toBe(201);
        items.push(res.body.uuid);
        expected.set(res.body.uuid, ['create.start', 'create.end']);
      } else {
        const uuid = items[round % items.length];
        expect((await api('PATCH', `/v1/volume/connectors/${uuid}`, [{ op: 'add', path: '/extra/round', value: round }])).status).toBe(200);
        expected.get(uuid)!.push('update.start', 'update.end');
      }
    };
    let round = 0;
    for (; round < 10; round++) await change(round);
    execFileSync('rabbitmqctl', ['-q', 'stop_app']);
    try {
      const started = Date.now();
      for (; round < 40; round++) await change(round);
      // The API answered at its usual speed with the broker down.
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      execFileSync('rabbitmqctl', ['-q', 'start_app']);
    }
    for (; round < 50; round++) await change(round);
    const total = [...expected.values()].reduce((n, list) => n + list.length, 0);
    await listener.until(() => sequences(listener.received.filter((e) => expected.has(e.payload['ironic_object.data'].uuid))).byResource.size === expected.size &&
      [...expected].every(([uuid, list]) => (sequences(listener.of(uuid)).byResource.get(uuid) ?? []).length === list.length), 60000);
    const got = sequences(listener.received.filter((e) => expected.has(e.payload['ironic_object.data'].uuid)));
    for (const [uuid, list] of expected) expect(got.byResource.get(uuid)).toEqual(list.map((e) => `baremetal.volumeconnector.${e}`));
    // The transport URL's password never reaches the log, not even while the broker is down.
    expect(service.output()).not.toContain('guest:guest');
    console.log(`broker outage: 50 changes, ${total} events expected, ${total + got.duplicates} received, ${got.duplicates} duplicates (same message_id)`);
  }, 120000);

  it('loses nothing when ironvol is killed mid-load and started again', async () => {
    const api = () => client(service.url);
    const node = (await api()('POST', '/v1/nodes', { driver: 'fake-hardware', name: unique('kill') })).body.uuid as string;
    await api()('PUT', `/v1/nodes/${node}/states/power`, { target: 'power off' });
    const acknowledged = new Map<string, number>();
    const load = async (count: number) => {
      for (let i = 0; i < count; i++) {
        const res = await api()('POST', '/v1/volume/connectors', { node_uuid: node, type: 'iqn', connector_id: unique('iqn.kill') }).catch(() => null);
        if (res?.status === 201) acknowledged.set(res.body.uuid, 2);
      }
    };
    const running = load(40);
    await sleep(150);
    await service.stop('SIGKILL');
    await running;
    service = await notifyingService(dir);
    await load(10);
    await listener.until(() => [...acknowledged.keys()].every((uuid) => sequences(listener.of(uuid)).byResource.get(uuid)?.length === 2), 60000);
    const got = sequences(listener.received.filter((e) => acknowledged.has(e.payload['ironic_object.data'].uuid)));
    for (const uuid of acknowledged.keys()) expect(got.byResource.get(uuid)).toEqual(['baremetal.volumeconnector.create.start', 'baremetal.volumeconnector.create.end']);
    console.log(`SIGKILL mid-load: ${acknowledged.size} creates acknowledged, ${acknowledged.size * 2} events expected, ${acknowledged.size * 2 + got.duplicates} received, ${got.duplicates} duplicates`);
  }, 120000);
});

const POSTGRES = process.env.TEST_POSTGRES_URL;

(hasBroker && hasOslo && POSTGRES ? describe : describe.skip)('two replicas on one PostgreSQL', () => {
  it('send every event once, in order per resource, whichever replica made the change', async () => {
    ensureBuilt();
    await resetDatabase(POSTGRES!);
    const listener = await Listener.start();
    const dir = mkdtempSync(join(tmpdir(), 'ironvol-replicas-'));
    const replicas = [await notifyingService(dir, { DATABASE_URL: POSTGRES! }), await notifyingService(dir, { DATABASE_URL: POSTGRES! })];
    try {
      const [a, b] = replicas.map((r) => client(r.url));
      const node = (await a('POST', '/v1/nodes', { driver: 'fake-hardware', name: unique('replicas') })).body.uuid as string;
      await a('PUT', `/v1/nodes/${node}/states/power`, { target: 'power off' });
      const expected = new Map<string, string[]>();
      // Each connector is created by one replica and changed, alternately, by both, two writers at a time.
      await Promise.all([a, b].map(async (api, writer) => {
        for (let i = 0; i < 20; i++) {
          const created = await api('POST', '/v1/volume/connectors', { node_uuid: node, type: 'iqn', connector_id: unique(`iqn.replica${writer}`) });
          expect(created.status).toBe(201);
          const uuid = created.body.uuid as string;
          expected.set(uuid, ['create.start', 'create.end']);
          for (const [round, other] of [a, b, a].entries()) {
            expect((await other('PATCH', `/v1/volume/connectors/${uuid}`, [{ op: 'add', path: '/extra/round', value: round }])).status).toBe(200);
            expected.get(uuid)!.push('update.start', 'update.end');
          }
        }
      }));
      const total = [...expected.values()].reduce((n, list) => n + list.length, 0);
      const ours = () => listener.received.filter((e) => expected.has(e.payload['ironic_object.data'].uuid));
      await listener.until(() => ours().length >= total, 60000);
      await sleep(1000); // a duplicate would arrive by now
      const got = sequences(ours());
      for (const [uuid, list] of expected) expect(got.byResource.get(uuid)).toEqual(list.map((e) => `baremetal.volumeconnector.${e}`));
      expect(ours()).toHaveLength(total);
      console.log(`two replicas: ${expected.size * 4} changes, ${total} events expected, ${ours().length} received, ${got.duplicates} duplicates`);
    } finally {
      for (const replica of replicas) await replica.stop();
      listener.stop();
    }
  }, 120000);
});

describe('NOTIFICATION_LEVEL', () => {
  it('unset: nothing is written to the outbox', async () => {
    const app = await createTestApp('sqlite');
    try {
      const node = await createNode(app, { power: 'power off' });
      await createConnector(app, node.uuid);
      expect(await app.rows('SELECT COUNT(*) AS n FROM notification_outbox')).toEqual([{ n: 0 }]);
    } finally {
      await app.close();
    }
  });

  it('error: only error events are written (a refused change), as oslo.messaging filters by priority', async () => {
    const app = await createTestApp('sqlite', { notifications: loadNotificationConfig({ NOTIFICATION_LEVEL: 'error', NOTIFICATION_TRANSPORT_URL: 'rabbit://u:p@127.0.0.1:1/' }) });
    try {
      const node = await createNode(app, { power: 'power on' });
      const connector = await createConnector(app, node.uuid);
      expect((await app.call('DELETE', `/v1/volume/connectors/${connector.uuid}`)).status).toBe(400);
      const rows = await app.rows('SELECT routing_key, message FROM notification_outbox');
      expect(rows.map((r) => [r.routing_key, JSON.parse(r.message as string).event_type])).toEqual([
        ['ironic_versioned_notifications.error', 'baremetal.volumeconnector.delete.error'],
      ]);
    } finally {
      await app.close();
    }
  });

  it.each([
    [{ NOTIFICATION_LEVEL: 'verbose' }, 'NOTIFICATION_LEVEL must be one of debug, info, warning, error, critical'],
    [{ NOTIFICATION_LEVEL: 'info' }, 'NOTIFICATION_TRANSPORT_URL or NOTIFICATION_TRANSPORT_URL_FILE must be set'],
    [{ NOTIFICATION_LEVEL: 'info', NOTIFICATION_TRANSPORT_URL: 'kafka://x' }, 'NOTIFICATION_TRANSPORT_URL must be a rabbit:// URL (got a kafka:// URL)'],
    [{ NOTIFICATION_LEVEL: 'info', NOTIFICATION_TRANSPORT_URL: 'rabbit://a:b@h/', NOTIFICATION_TOPICS: 'a b' }, 'NOTIFICATION_TOPICS must be a comma-separated list'],
  ])('refuses %j naming the variable, never echoing the URL\'s password', (env, message) => {
    expect(() => loadNotificationConfig(env)).toThrow(message);
  });

  it('reads a rabbit:// URL as the broker, its password kept out of the name used in logs', () => {
    expect(loadNotificationConfig({ NOTIFICATION_LEVEL: 'INFO', NOTIFICATION_TRANSPORT_URL: 'rabbit://ironic:s3cret@mq1:5672,mq2:5672/openstack' })).toMatchObject({
      level: 'info', brokerUrl: 'amqp://ironic:s3cret@mq1:5672/openstack', brokerName: 'mq1:5672/openstack', exchange: 'ironic', topics: ['ironic_versioned_notifications'],
    });
  });
});
