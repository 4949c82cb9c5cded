import { request as httpRequest } from 'node:http';
import { AddressInfo } from 'node:net';
import { testDatabases } from './support/databases';
import { fault, useTestApp } from './support/test-app';
import { createConnector, createNode, createTarget } from './support/fixtures';

/**
 * Answers as real Ironic 21.4 gives them (each expectation was read off
 * Ironic; the differential test compares the same requests by machine).
 */
describe.each(testDatabases())('fidelity to Ironic (%s)', (_name, database) => {
  const t = useTestApp(database);

  describe('query strings are strict', () => {
    it.each([
      ['/v1/volume/connectors?foo=1', 'Unexpected arguments: foo'],
      ['/v1/volume/connectors?nodes=x', 'Unexpected arguments: nodes'],
      ['/v1/volume/connectors?marker=', 'Expected UUID for marker: '],
      ['/v1/volume/connectors?node=', 'Expected UUID or name for node: '],
      ['/v1/volume/connectors?sort_dir=', "Invalid sort direction: . Acceptable values are 'asc' or 'desc'"],
      ['/v1/volume/connectors?limit=', 'Expected an integer for limit: '],
      ['/v1/volume/connectors?limit=1&limit=2', "Expected an integer for limit: ['1', '2']"],
      ['/v1/volume/targets?fields=uuid&fields=boot_index', "Expected string for fields: ['uuid', 'boot_index']"],
      ['/v1/volume/targets?sort_key=extra&sort_key=uuid', "Expected string for sort_key: ['extra', 'uuid']"],
      ['/v1/volume/connectors/11111111-2222-3333-4444-555555555555?detail=True', 'Unexpected arguments: detail'],
      ['/v1/volume/connectors/not-a-uuid?limit=1', 'Unexpected arguments: limit'],
    ])('GET %s answers 400 %j', async (path, message) => {
      const res = await t.call('GET', path);
      expect([res.status, fault(res).faultstring]).toEqual([400, message]);
    });

    it('refuses unknown arguments on changes too', async () => {
      const node = await createNode(t, { power: 'power off' });
      const c = await createConnector(t, node.uuid);
      const patched = await t.call('PATCH', `/v1/volume/connectors/${c.uuid}?foo=1`, { body: [] });
      expect([patched.status, fault(patched).faultstring]).toEqual([400, 'Unexpected arguments: foo']);
      const created = await t.call('POST', '/v1/volume/connectors?x=1', { body: { node_uuid: node.uuid, type: 'iqn', connector_id: 'q' } });
      expect([created.status, fault(created).faultstring]).toEqual([400, 'Unexpected arguments: x']);
      expect(await t.rows("SELECT uuid FROM volume_connectors WHERE connector_id = 'q'")).toEqual([]);
    });
  });

  describe('fields', () => {
    it('takes any case and repeats, answering with the canonical names', async () => {
      const node = await createNode(t);
      const c = await createConnector(t, node.uuid);
      const res = await t.call('GET', `/v1/volume/connectors?fields=UUID,Type,uuid&node=${node.uuid}`);
      expect(res.status).toBe(200);
      expect(Object.keys(res.body.connectors[0])).toEqual(['uuid', 'type', 'links']);
      expect(res.body.connectors[0].uuid).toBe(c.uuid);
    });

    it('answers only links for fields= and leaves fields out of next', async () => {
      const node = await createNode(t);
      await createConnector(t, node.uuid);
      await createConnector(t, node.uuid);
      const res = await t.call('GET', `/v1/volume/connectors?fields=&limit=1&node=${node.uuid}`);
      expect(Object.keys(res.body.connectors[0])).toEqual(['links']);
      expect(res.body.next).not.toMatch(/fields=/);
    });

    it('finds the item before it checks the fields', async () => {
      const res = await t.call('GET', '/v1/volume/targets/11111111-2222-3333-4444-555555555555?fields=bogus');
      expect([res.status, fault(res).faultstring]).toEqual([404, 'Volume target 11111111-2222-3333-4444-555555555555 could not be found.']);
    });
  });

  it('masks secrets in target properties for every caller and in every answer, storing them as sent', async () => {
    const node = await createNode(t, { power: 'power off' });
    const properties = { auth_password: 'p', target_iqn: 'iqn.t', nested: { chap_secret: 'c' }, s: 'CHAPPASSWORD=abc', list: [{ password: 'x' }] };
    const masked = { auth_password: '******', target_iqn: 'iqn.t', nested: { chap_secret: '******' }, s: 'CHAPPASSWORD=******', list: [{ password: 'x' }] };
    const target = await createTarget(t, node.uuid, { properties });
    expect((target as unknown as { properties: unknown }).properties).toEqual(masked);
    expect((await t.call('GET', `/v1/volume/targets/${target.uuid}`)).body.properties).toEqual(masked);
    expect((await t.call('GET', `/v1/volume/targets?fields=properties&node=${node.uuid}`)).body.targets[0].properties).toEqual(masked);
    const patched = await t.call('PATCH', `/v1/volume/targets/${target.uuid}`, { body: [{ op: 'add', path: '/extra/a', value: 1 }] });
    expect(patched.body.properties).toEqual(masked);
    const [row] = await t.rows('SELECT properties FROM volume_targets WHERE uuid = ?', [target.uuid]);
    expect(JSON.parse(row.properties as string)).toEqual(properties);
  });

  it('keeps updated_at and the ETag when a PATCH changes nothing', async () => {
    const node = await createNode(t, { power: 'power off' });
    const c = await createConnector(t, node.uuid, { extra: { a: 1 } });
    const before = await t.call('GET', `/v1/volume/connectors/${c.uuid}`);
    const res = await t.call('PATCH', `/v1/volume/connectors/${c.uuid}`, { body: [{ op: 'replace', path: '/extra/a', value: 1 }] });
    expect(res.status).toBe(200);
    expect(res.body.updated_at).toBeNull();
    expect(res.headers.etag).toBe(before.headers.etag);
  });

  it('still refuses a PATCH that changes nothing on a powered-on node, as Ironic does', async () => {
    const node = await createNode(t, { power: 'power on' });
    const c = await createConnector(t, node.uuid);
    const res = await t.call('PATCH', `/v1/volume/connectors/${c.uuid}`, { body: [] });
    expect(res.status).toBe(400);
  });

  it('refuses text that is not valid Unicode and stores nothing', async () => {
    const node = await createNode(t);
    const res = await t.call('POST', '/v1/volume/connectors', {
      raw: `{"node_uuid": "${node.uuid}", "type": "iqn", "connector_id": "iqn.\\ud800-x"}`,
      headers: { 'Content-Type': 'application/json' },
    });
    expect(res.status).toBe(400);
    expect(fault(res).faultstring).toContain('/connector_id');
    expect(await t.rows('SELECT uuid FROM volume_connectors WHERE node_id = (SELECT id FROM nodes WHERE uuid = ?)', [node.uuid])).toEqual([]);
  });

  it.each(['/v1/volume/connectors.json', '/v1/volume/targets.json'])('serves %s as the path without .json', async (path) => {
    const res = await t.call('GET', path);
    expect(res.status).toBe(200);
  });

  it('refuses an invalid node identifier in a node view as Ironic\'s router does', async () => {
    const res = await t.call('GET', '/v1/nodes/bad%20name/volume/connectors');
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body.error_message)).toEqual({ code: 400, title: 'Bad Request', description: 'Expected UUID or name for node: bad name' });
  });

  it('checks the query of a node view after the node', async () => {
    const missing = await t.call('GET', '/v1/nodes/11111111-2222-3333-4444-555555555555/volume/connectors?sort_key=bogus');
    expect(fault(missing).faultstring).toBe('Node 11111111-2222-3333-4444-555555555555 could not be found.');
    const unexpected = await t.call('GET', '/v1/nodes/11111111-2222-3333-4444-555555555555/volume/connectors?foo=1');
    expect(fault(unexpected).faultstring).toBe('Unexpected arguments: foo');
  });

  it.each([
    ['POST', '/v1/volume/connectors/11111111-2222-3333-4444-555555555555', "Schema error for connector: '11111111-2222-3333-4444-555555555555' is not of type 'object'"],
    ['DELETE', '/v1/nodes/11111111-2222-3333-4444-555555555555/volume/targets', 'Missing mandatory parameter: target_uuid'],
  ])('%s %s answers 400 as Ironic does', async (method, path, message) => {
    const res = await t.call(method, path, { body: {} });
    expect([res.status, fault(res).faultstring]).toEqual([400, message]);
  });

  it('names a taken type and connector ID before a taken UUID', async () => {
    const node = await createNode(t);
    const c = await createConnector(t, node.uuid);
    const res = await t.call('POST', '/v1/volume/connectors', { body: { uuid: c.uuid, node_uuid: node.uuid, type: c.type, connector_id: c.connector_id } });
    expect(fault(res).faultstring).toBe(`A volume connector with type ${c.type} and connector ID ${c.connector_id} already exists.`);
  });

  it('answers CONNECT like any other method the resource does not take', async () => {
    const server = t.app.getHttpServer();
    if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, method: 'CONNECT', path: '/v1/volume/connectors', headers: { 'X-OpenStack-Ironic-API-Version': '1.32' } });
      req.on('connect', (res, socket) => {
        socket.destroy();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    await new Promise((resolve) => server.close(resolve));
    expect(status).toBe(405);
  });
});
