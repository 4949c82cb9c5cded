import { testDatabases } from './support/databases';
import { fault, useTestApp } from './support/test-app';
import { createConnector, createNode, createTarget } from './support/fixtures';
import { loadConfig } from '../src/app.config';

const V = { version: '1.82' };

describe.each(testDatabases())('node validation and boot from volume records (%s)', (_name, database) => {
  const t = useTestApp(database, { boot: { ...loadConfig({}).boot, url: 'http://10.0.2.100' } });

  const validate = async (node: string) => (await t.call('GET', `/v1/nodes/${node}/validate`, V)).body as Record<string, { result: boolean | null; reason?: string }>;

  /** A node set to boot from an iSCSI volume, with its records as boot from volume needs them. */
  async function bootFromVolumeNode(properties: Record<string, unknown> = {}) {
    const node = await createNode(t, {
      body: { storage_interface: 'external', properties: { capabilities: 'iscsi_boot:True' } },
    });
    await createConnector(t, node.uuid, { type: 'iqn', connector_id: `iqn.2026-12.org.example:${node.name}` });
    await createConnector(t, node.uuid, { type: 'mac', connector_id: `52:54:00:${Math.floor(Math.random() * 90 + 10)}:34:56` });
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
