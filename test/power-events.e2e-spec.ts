import { loadNotificationConfig } from '../src/notifications/notification-config';
import { PowerSync } from '../src/node/power/power-sync';
import { bmcPowerConfig, FakeBmc, hasIpmi, managedNode, nodeOf } from './support/fake-bmc';
import { createConnector, createNode, createTarget, setPower } from './support/fixtures';
import { hasIronicObjects, readWithIronicClasses } from './support/ironic-objects';
import { createTestApp, TestApp } from './support/test-app';
import { testDatabases } from './support/databases';
import { LIFECYCLE_EVENTS, outbox, provisionEvents } from './support/outbox';
import { until } from './support/until';

if (process.env.REQUIRE_IRONIC && !hasIronicObjects) throw new Error('REQUIRE_IRONIC is set but Ironic\'s Python package is missing (../shared/reference-ironic/install.sh)');

/**
 * The broker here is a closed port: everything stays in the outbox, which
 * is read as the relay would send it.
 */
const NOTIFICATIONS = loadNotificationConfig({ NOTIFICATION_LEVEL: 'info', NOTIFICATION_TRANSPORT_URL: 'rabbit://u:p@127.0.0.1:1/', NOTIFICATION_HOST: 'conductor-1' });

/** A node's events as "<event_type> <to_power|from_power> -> <power_state>/<target_power_state>". */
async function nodeEvents(app: TestApp, uuid: string): Promise<string[]> {
  return (await outbox(app))
    .filter((e) => e.event_type.startsWith('baremetal.node.power') && e.payload['ironic_object.data'].uuid === uuid)
    .map((e) => {
      const d = e.payload['ironic_object.data'];
      const asked = e.event_type.includes('power_set') ? d.to_power : d.from_power;
      return `${e.event_type} ${asked} -> ${d.power_state}/${d.target_power_state}`;
    });
}

/** Every payload in the outbox is one Ironic's own classes read: name, version, every field and its type. */
async function expectIronicReadsEveryPayload(app: TestApp): Promise<void> {
  if (!hasIronicObjects) return;
  const payloads = (await outbox(app)).map((e) => e.payload);
  expect(readWithIronicClasses(payloads)).toEqual(payloads.map(() => 'ok'));
}

describe('node power events, as Ironic\'s conductor sends them', () => {
  it('fake-hardware: power_set.start with the node as it was, then .end with the state it is in', async () => {
    const app = await createTestApp('sqlite', { notifications: NOTIFICATIONS });
    try {
      const node = await createNode(app);
      await setPower(app, node.uuid, 'power on');
      await setPower(app, node.uuid, 'power off');
      // Refused before anything is done: no event, as in Ironic.
      expect((await app.call('PUT', `/v1/nodes/${node.uuid}/states/power`, { body: { target: 'sideways' } })).status).toBe(400);
      expect(await nodeEvents(app, node.uuid)).toEqual([
        'baremetal.node.power_set.start power on -> null/null',
        'baremetal.node.power_set.end power on -> power on/null',
        'baremetal.node.power_set.start power off -> power on/null',
        'baremetal.node.power_set.end power off -> power off/null',
      ]);
      const [start] = (await outbox(app)).filter((e) => e.event_type === 'baremetal.node.power_set.start');
      expect(start).toMatchObject({
        routing_key: 'ironic_versioned_notifications.info', priority: 'INFO', publisher_id: 'ironic-conductor.conductor-1',
        payload: { 'ironic_object.name': 'NodeSetPowerStatePayload', 'ironic_object.namespace': 'ironic', 'ironic_object.version': '1.16' },
      });
      expect(start.payload['ironic_object.data']).toMatchObject({
        uuid: node.uuid, name: node.name, driver: 'fake-hardware', power_interface: 'fake', provision_state: 'enroll', maintenance: false,
        traits: [], created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      });
      // Volume payloads are read by Ironic's classes too.
      await createConnector(app, node.uuid);
      await createTarget(app, node.uuid, { properties: { auth_password: 'secret', target_lun: 0 } });
      await expectIronicReadsEveryPayload(app);
    } finally {
      await app.close();
    }
  });

  it("fake-hardware: provision_set for each move of Ironic's state machine, start, success or end", async () => {
    const app = await createTestApp('sqlite', { notifications: NOTIFICATIONS });
    try {
      const node = await createNode(app);
      for (const target of ['manage', 'provide', 'active', 'deleted', 'manage']) {
        expect((await app.call('PUT', `/v1/nodes/${node.uuid}/states/provision`, { body: { target } })).status).toBe(202);
      }
      // Refused before anything is done: no event.
      expect((await app.call('PUT', `/v1/nodes/${node.uuid}/states/provision`, { body: { target: 'active' } })).status).toBe(400);
      expect(await provisionEvents(app, node.uuid)).toEqual([...LIFECYCLE_EVENTS, 'success manage: available/null -> manageable/null']);
      const [start] = (await outbox(app)).filter((e) => e.event_type === 'baremetal.node.provision_set.start');
      expect(start).toMatchObject({
        routing_key: 'ironic_versioned_notifications.info', priority: 'INFO', publisher_id: 'ironic-conductor.conductor-1',
        payload: { 'ironic_object.name': 'NodeSetProvisionStatePayload', 'ironic_object.version': '1.17' },
      });
      expect(start.payload['ironic_object.data']).toMatchObject({ uuid: node.uuid, instance_info: {}, driver_internal_info: {}, power_interface: 'fake' });
      await expectIronicReadsEveryPayload(app);
    } finally {
      await app.close();
    }
  });

  it('with NOTIFICATION_LEVEL unset, a power action writes nothing', async () => {
    const app = await createTestApp('sqlite');
    try {
      await createNode(app, { power: 'power on' });
      expect(await app.rows('SELECT COUNT(*) AS n FROM notification_outbox')).toEqual([{ n: 0 }]);
    } finally {
      await app.close();
    }
  });
});

describe.each(testDatabases())('power events under concurrent power requests (%s)', (_name, database) => {
  it('writes start and end for each accepted request and nothing for a refused one, in order', async () => {
    const app = await createTestApp(database, { notifications: NOTIFICATIONS });
    try {
      const nodes = [await createNode(app), await createNode(app)];
      const targets = ['power on', 'power off', 'rebooting', 'power off', 'power on', 'power off'];
      // Six requests on each node at once: the node's reservation lets some through and refuses the others (409).
      const answers = await Promise.all(
        nodes.flatMap((node) => targets.map((target) => app.call('PUT', `/v1/nodes/${node.uuid}/states/power`, { body: { target } }).then((res) => ({ node: node.uuid, target, status: res.status })))),
      );
      expect(answers.every((a) => a.status === 202 || a.status === 409)).toBe(true);
      for (const node of nodes) {
        const accepted = answers.filter((a) => a.node === node.uuid && a.status === 202);
        expect(accepted.length).toBeGreaterThan(0);
        const events = (await outbox(app)).filter((e) => e.payload['ironic_object.data'].uuid === node.uuid);
        // Each accepted action is a start followed by its end, never interleaved with another's.
        expect(events.map((e) => e.event_type)).toEqual(accepted.flatMap(() => ['baremetal.node.power_set.start', 'baremetal.node.power_set.end']));
        const toPower = events.map((e) => e.payload['ironic_object.data'].to_power);
        expect(toPower.filter((_t, i) => i % 2 === 0).sort()).toEqual(accepted.map((a) => a.target).sort());
        for (let i = 0; i < events.length; i += 2) expect(toPower[i + 1]).toBe(toPower[i]);
        // The last end names the state the node is in.
        const last = events[events.length - 1].payload['ironic_object.data'].power_state;
        expect((await app.call('GET', `/v1/nodes/${node.uuid}`)).body.power_state).toBe(last);
      }
    } finally {
      await app.close();
    }
  }, 60000);
});

(hasIpmi ? describe : describe.skip)('node power events for a machine behind a BMC', () => {
  let bmc: FakeBmc;
  beforeAll(async () => {
    bmc = await FakeBmc.start();
  });
  afterAll(() => bmc.down());

  it('verification, actions, a machine already in the asked state, and a BMC that does not answer', async () => {
    const app = await createTestApp('sqlite', { notifications: NOTIFICATIONS, power: bmcPowerConfig() });
    try {
      const node = await managedNode(app, bmc);
      const settled = () => until(() => nodeOf(app, node.uuid), (n) => n.target_power_state === null, 30000);
      await setPower(app, node.uuid, 'power on');
      await settled();
      await setPower(app, node.uuid, 'power on');
      await settled();
      await bmc.down();
      try {
        await setPower(app, node.uuid, 'power off');
        expect((await settled()).last_error).toMatch(/^Failed to change power state to 'power off'/);
      } finally {
        await bmc.up();
      }
      expect(await nodeEvents(app, node.uuid)).toEqual([
        // manage reads the machine: the record had no power state.
        'baremetal.node.power_state_corrected.success null -> power off/null',
        'baremetal.node.power_set.start power on -> power off/null',
        'baremetal.node.power_set.end power on -> power on/null',
        // Already on: nothing done, and Ironic still ends the action.
        'baremetal.node.power_set.start power on -> power on/null',
        'baremetal.node.power_set.end power on -> power on/null',
        'baremetal.node.power_set.start power off -> power on/null',
        'baremetal.node.power_set.error power off -> power on/null',
      ]);
      const error = (await outbox(app)).find((e) => e.event_type === 'baremetal.node.power_set.error')!;
      expect(error).toMatchObject({ routing_key: 'ironic_versioned_notifications.error', priority: 'ERROR' });
      expect(error.payload['ironic_object.data']).toMatchObject({ power_interface: 'ipmitool', last_error: expect.stringMatching(/^Failed to change power state/) });
      await expectIronicReadsEveryPayload(app);
    } finally {
      await app.close();
    }
  }, 90000);

  it.each([
    [false, ['baremetal.node.power_state_corrected.success power off -> power on/null']],
    [true, ['baremetal.node.power_set.start power off -> power off/null', 'baremetal.node.power_set.end power off -> power off/null']],
  ])('power-state sync with POWER_SYNC_FORCE=%s, after the machine was powered on out of band', async (force, expected) => {
    const app = await createTestApp('sqlite', { notifications: NOTIFICATIONS, power: bmcPowerConfig({ syncForce: force }) });
    try {
      const node = await managedNode(app, bmc);
      expect(bmc.ipmitool('power', 'on').status).toBe(0);
      await app.app.get(PowerSync).runPass();
      // A pass that finds the record right sends nothing.
      await app.app.get(PowerSync).runPass();
      const events = await nodeEvents(app, node.uuid);
      expect(events.slice(1)).toEqual(expected);
      await expectIronicReadsEveryPayload(app);
    } finally {
      await app.close();
      bmc.ipmitool('power', 'off');
    }
  }, 60000);
});
