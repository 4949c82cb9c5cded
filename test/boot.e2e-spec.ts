import { testDatabases } from './support/databases';
import { createTestApp, fault, TestApp, useTestApp } from './support/test-app';
import { bmcPowerConfig, FakeBmc, hasIpmi, nodeOf } from './support/fake-bmc';
import { until } from './support/until';
import { createConnector, createNode, createTarget } from './support/fixtures';
import { loadConfig } from '../src/app.config';
import { BootListener } from '../src/boot/boot-listener';
import { loadNotificationConfig } from '../src/notifications/notification-config';
import { LIFECYCLE_EVENTS, outbox, provisionEvents } from './support/outbox';

const V = { version: '1.82' };
let macs = 0;

describe.each(testDatabases())('node validation and boot from volume records (%s)', (_name, database) => {
  const t = useTestApp(database, { boot: { ...loadConfig({}).boot, url: 'http://10.0.2.100' } });

  const validate = async (node: string) => (await t.call('GET', `/v1/nodes/${node}/validate`, V)).body as Record<string, { result: boolean | null; reason?: string }>;

  /** A node set to boot from an iSCSI volume, with its records as boot from volume needs them. */
  async function bootFromVolumeNode(properties: Record<string, unknown> = {}) {
    const node = await createNode(t, {
      body: { storage_interface: 'external', properties: { capabilities: 'iscsi_boot:True' } },
    });
    await createConnector(t, node.uuid, { type: 'iqn', connector_id: `iqn.2026-12.org.example:${node.name}` });
    await createConnector(t, node.uuid, { type: 'mac', connector_id: `52:54:00:bb:${(++macs).toString(16).padStart(4, '0').replace(/(..)(..)/, '$1:$2')}` });
    const target = await createTarget(t, node.uuid, {
      properties: {
        target_iqn: 'iqn.2026-12.org.example:boot', target_portal: '10.0.2.101:3260', target_lun: 1,
        auth_method: 'CHAP', auth_username: 'node1', auth_password: 'Secret-p4ss', ...properties,
      },
    });
    return { node, target };
  }

  it("answers each interface's verdict as Ironic does, every one true for a plain fake-hardware node", async () => {
    const node = await createNode(t);
    const results = await validate(node.uuid);
    expect(Object.keys(results).sort()).toEqual(['bios', 'boot', 'console', 'deploy', 'inspect', 'management', 'network', 'power', 'raid', 'rescue', 'storage']);
    expect(Object.values(results).every((r) => r.result === true)).toBe(true);
  });

  it('checks the records a node boots from strictly, naming the record and field', async () => {
    const { node } = await bootFromVolumeNode();
    expect((await validate(node.uuid)).storage).toEqual({ result: true });
    const bad = await bootFromVolumeNode({ target_iqn: 'iqn.2026-12.org.example:boot\nchain http://elsewhere/' });
    const storage = (await validate(bad.node.uuid)).storage;
    expect(storage.result).toBe(false);
    expect(storage.reason).toContain(`volume target ${bad.target.uuid} properties.target_iqn must be an iSCSI name`);
    const noChap = await bootFromVolumeNode({ auth_password: undefined });
    expect((await validate(noChap.node.uuid)).storage.reason).toContain('must be given together (CHAP), or neither');
    const bare = await createNode(t, { body: { storage_interface: 'external' } });
    expect((await validate(bare.uuid)).storage).toEqual({ result: false, reason: 'the node has no volume target with boot_index 0 to boot from' });
  });

  it('refuses arguments and methods as Ironic does', async () => {
    const node = await createNode(t);
    const unexpected = await t.call('GET', `/v1/nodes/${node.uuid}/validate?x=1`, V);
    expect([unexpected.status, fault(unexpected).faultstring]).toEqual([400, 'Unexpected arguments: x']);
    const missing = await t.call('GET', '/v1/nodes/nope/validate', V);
    expect([missing.status, fault(missing).faultstring]).toEqual([404, 'Node nope could not be found.']);
    expect((await t.call('GET', `/v1/nodes/${node.name}/validate`, { version: '1.1' })).status).toBe(406);
    const posted = await t.call('POST', `/v1/nodes/${node.name}/validate`, V);
    expect([posted.status, fault(posted).faultstring]).toEqual([400, `Schema error for node: '${node.name}' is not of type 'object'`]);
    expect((await t.call('PUT', `/v1/nodes/${node.uuid}/validate`, V)).status).toBe(405);
  });
});

describe.each(testDatabases())('the boot listener (%s)', (_name, database) => {
  const defaults = loadConfig({});
  const t = useTestApp(database, {
    boot: { port: 0, host: '127.0.0.1', url: 'http://10.0.2.100' },
    power: { ...defaults.power, hardwareTypes: ['fake-hardware', 'ipmi'] },
  });
  const base = () => `http://127.0.0.1:${t.app.get(BootListener).port}`;
  const get = async (path: string) => {
    const res = await fetch(`${base()}${path}`);
    return { status: res.status, text: await res.text() };
  };

  /** An ipmi node booting from an iSCSI volume (ipxe, external), its records, and its provision state set as deploy leaves it. */
  async function bootingNode(mac: string, properties: Record<string, unknown> = {}, state = 'active') {
    const node = await createNode(t, {
      body: {
        driver: 'ipmi', storage_interface: 'external', properties: { capabilities: 'iscsi_boot:True' },
        driver_info: { ipmi_address: '127.0.0.1', ipmi_port: 1, ipmi_username: 'admin', ipmi_password: 'password' },
      },
    });
    await createConnector(t, node.uuid, { type: 'iqn', connector_id: `iqn.2026-12.org.example:${node.name}` });
    await createConnector(t, node.uuid, { type: 'mac', connector_id: mac });
    const target = await createTarget(t, node.uuid, {
      properties: { target_iqn: 'iqn.2026-12.org.example:boot', target_portal: '10.0.2.101:3260', target_lun: 1, auth_username: 'node1', auth_password: 'Secret-p4ss', ...properties },
    });
    await t.rows('UPDATE nodes SET provision_state = ? WHERE uuid = ?', [state, node.uuid]);
    return { node, target };
  }

  it('serves boot.ipxe and, for a booting node, its script written from the records as they are now', async () => {
    expect(await get('/boot.ipxe')).toMatchObject({ status: 200, text: expect.stringContaining('chain pxelinux.cfg/${net${netid}/mac:hexhyp}') });
    const { node, target } = await bootingNode('52:54:00:AA:00:01');
    const served = await get('/pxelinux.cfg/52-54-00-aa-00-01');
    expect(served.status).toBe(200);
    expect(served.text).toContain(`set initiator-iqn iqn.2026-12.org.example:${node.name}`);
    expect(served.text).toContain('sanhook --drive 0x80 iscsi:10.0.2.101::3260:1:iqn.2026-12.org.example:boot || goto fail_iscsi_retry');
    expect(served.text).toContain(`imgfetch --name report http://10.0.2.100/report/${node.uuid}?volume=\${volume}&errno=\${errno}`);
    // The record changes (as an operator changes it while the machine is off): the next fetch has it.
    await t.rows('UPDATE volume_targets SET properties = ? WHERE uuid = ?', [JSON.stringify({ target_iqn: 'iqn.2026-12.org.example:boot', target_portal: '10.0.2.101:3260', target_lun: 10 }), target.uuid]);
    expect((await get('/pxelinux.cfg/52-54-00-aa-00-01')).text).toContain('iscsi:10.0.2.101::3260:a:iqn.2026-12.org.example:boot');
  });

  it('serves nothing for a node that is not booting, an unknown NIC, or records that do not pass, and never writes an injected value', async () => {
    await bootingNode('52:54:00:aa:00:02', {}, 'available');
    expect((await get('/pxelinux.cfg/52-54-00-aa-00-02')).status).toBe(404);
    expect((await get('/pxelinux.cfg/52-54-00-aa-00-99')).status).toBe(404);
    await bootingNode('52:54:00:aa:00:03', { target_iqn: 'iqn.2026-12.org.example:boot\nchain http://elsewhere/' });
    const injected = await get('/pxelinux.cfg/52-54-00-aa-00-03');
    expect(injected.status).toBe(404);
    expect(injected.text).not.toContain('elsewhere');
    expect((await get('/v1/nodes')).status).toBe(404);
    expect((await fetch(`${base()}/boot.ipxe`, { method: 'POST' })).status).toBe(405);
  });

  it("records a machine's report of a failed attach in last_error, once per distinct failure", async () => {
    const { node } = await bootingNode('52:54:00:aa:00:04');
    expect((await get(`/report/${node.uuid}?volume=0&errno=0x3d0c6139`)).status).toBe(200);
    const shown = await t.call('GET', `/v1/nodes/${node.uuid}`, { version: '1.82' });
    expect(shown.body.last_error).toBe(
      'The machine could not attach its boot volume iqn.2026-12.org.example:boot at 10.0.2.101:3260: iPXE error 0x3d0c6139 (https://ipxe.org/err/3d0c6139)',
    );
    expect((await get(`/report/${node.uuid}?volume=0&errno=0x3d0c6139`)).status).toBe(200);
    const again = await t.call('GET', `/v1/nodes/${node.uuid}`, { version: '1.82' });
    expect(again.headers.etag).toBe(shown.headers.etag);
    expect((await get('/report/1be26c0b-03f2-4d2e-ae87-c02d7f33c123?volume=0&errno=1')).status).toBe(404);
  });
});

(hasIpmi ? describe : describe.skip)('deploying a node that boots from its volume, on a BMC speaking IPMI', () => {
  let bmc: FakeBmc;
  let t: TestApp;

  beforeAll(async () => {
    bmc = await FakeBmc.start();
    // Notifications go to a closed port: they stay in the outbox, read as the relay would send them.
    const notifications = loadNotificationConfig({ NOTIFICATION_LEVEL: 'info', NOTIFICATION_TRANSPORT_URL: 'rabbit://u:p@127.0.0.1:1/' });
    t = await createTestApp('sqlite', { power: bmcPowerConfig(), boot: { port: 0, host: '127.0.0.1', url: 'http://10.0.2.100' }, notifications });
  }, 30000);
  afterAll(async () => {
    expect(t.serverErrors).toEqual([]);
    await t.close();
    await bmc.down();
  });

  const provision = (uuid: string, target: string) => t.call('PUT', `/v1/nodes/${uuid}/states/provision`, { version: '1.82', body: { target } });
  const settled = (uuid: string) => until(() => nodeOf(t, uuid), (n) => !['deploying', 'deleting'].includes(n.provision_state), 20000);

  /** An ipmi node (ipxe, direct by default) made available, with an iqn and a mac connector and an iscsi boot target. */
  async function availableNode(properties: Record<string, unknown> = {}, nodeProperties: Record<string, unknown> = { capabilities: 'iscsi_boot:True' }) {
    const node = await createNode(t, { body: { driver: 'ipmi', driver_info: bmc.driverInfo(), storage_interface: 'external', properties: nodeProperties } });
    expect((await provision(node.uuid, 'manage')).status).toBe(202);
    await until(() => nodeOf(t, node.uuid), (n) => n.provision_state === 'manageable');
    expect((await provision(node.uuid, 'provide')).status).toBe(202);
    await createConnector(t, node.uuid, { type: 'iqn', connector_id: `iqn.2026-12.org.example:${node.name}` });
    await createConnector(t, node.uuid, { type: 'mac', connector_id: `52:54:00:cc:${(++macs).toString(16).padStart(4, '0').replace(/(..)(..)/, '$1:$2')}` });
    await createTarget(t, node.uuid, {
      properties: { target_iqn: 'iqn.2026-12.org.example:boot', target_portal: '10.0.2.101:3260', target_lun: 1, auth_username: 'node1', auth_password: 'Secret-p4ss', ...properties },
    });
    return node;
  }

  it('deploys: the BMC boots from the network, the machine is on, the node active; tear down powers it off and deletes its targets', async () => {
    const node = await availableNode();
    expect((await t.call('GET', `/v1/nodes/${node.uuid}`, { version: '1.82' })).body).toMatchObject({ boot_interface: 'ipxe', deploy_interface: 'direct' });
    expect((await provision(node.uuid, 'active')).status).toBe(202);
    const deployed = await settled(node.uuid);
    expect([deployed.provision_state, deployed.power_state, deployed.last_error, deployed.reservation]).toEqual(['active', 'power on', null, null]);
    expect(bmc.machine()).toBe('on');
    expect(bmc.ipmitool('chassis', 'bootparam', 'get', '5').stdout).toContain('Force PXE');
    expect((await t.call('GET', `/v1/nodes/${node.uuid}/volume/targets`)).body.targets).toHaveLength(1);

    expect((await provision(node.uuid, 'deleted')).status).toBe(202);
    const torn = await settled(node.uuid);
    expect([torn.provision_state, torn.power_state, torn.last_error]).toEqual(['available', 'power off', null]);
    expect(bmc.machine()).toBe('off');
    expect((await t.call('GET', `/v1/nodes/${node.uuid}/volume/targets`)).body.targets).toEqual([]);
    expect((await t.call('GET', `/v1/nodes/${node.uuid}/volume/connectors`)).body.connectors).toHaveLength(2);
    expect(await provisionEvents(t, node.uuid)).toEqual(LIFECYCLE_EVENTS);
  }, 60000);

  it('fails a deploy whose records do not pass, naming the field, and never powers the machine on', async () => {
    const injected = await availableNode({ target_iqn: 'iqn.2026-12.org.example:boot\nchain http://elsewhere/' });
    expect((await provision(injected.uuid, 'active')).status).toBe(202);
    const failed = await settled(injected.uuid);
    expect(failed.provision_state).toBe('deploy failed');
    expect(failed.last_error).toMatch(/^Failed to prepare to deploy: volume target [0-9a-f-]+ properties\.target_iqn must be an iSCSI name/);
    expect(bmc.machine()).toBe('off');
    expect((await provisionEvents(t, injected.uuid)).slice(-2)).toEqual([
      'start deploy: available/null -> deploying/active',
      'error fail: deploying/active -> deploy failed/active',
    ]);
    const [failure] = (await outbox(t)).filter((e) => e.event_type === 'baremetal.node.provision_set.error' && e.payload['ironic_object.data'].uuid === injected.uuid);
    expect(failure).toMatchObject({ priority: 'ERROR', routing_key: 'ironic_versioned_notifications.error' });
    expect(failure.payload['ironic_object.data'].last_error).toMatch(/^Failed to prepare to deploy: /);

    const unsupported = await availableNode({}, {});
    expect((await provision(unsupported.uuid, 'active')).status).toBe(202);
    expect((await settled(unsupported.uuid)).last_error).toBe(
      `Failed to prepare to deploy: Node ${unsupported.uuid} has an iSCSI boot volume defined and no iSCSI boot support available.`,
    );
  }, 60000);
});
