import { testDatabases } from './support/databases';
import { createTestApp, fault, TestApp } from './support/test-app';
import { createConnector, createNode, createTarget } from './support/fixtures';

describe.each(testDatabases())('collections (%s)', (_name, database) => {
  let t: TestApp;
  let nodeA: { uuid: string; name: string };
  let nodeB: { uuid: string; name: string };
  const onA: string[] = [];
  const onB: string[] = [];

  beforeAll(async () => {
    t = await createTestApp(database, { maxLimit: 50 });
    nodeA = await createNode(t, { name: 'list-a' });
    nodeB = await createNode(t, { name: 'list-b' });
    for (let i = 0; i < 7; i++) {
      onA.push((await createConnector(t, nodeA.uuid, { connector_id: `a-${String(i).padStart(2, '0')}`, type: i % 2 ? 'wwpn' : 'iqn' })).uuid);
      onB.push((await createConnector(t, nodeB.uuid, { connector_id: `b-${String(i).padStart(2, '0')}` })).uuid);
    }
    for (let i = 0; i < 4; i++) await createTarget(t, nodeA.uuid, { boot_index: i });
  });
  afterAll(async () => {
    expect(t.serverErrors).toEqual([]);
    expect(t.contractErrors).toEqual([]);
    await t.close();
  });

  /** Follows next links to the end, collecting uuids. */
  async function walk(path: string): Promise<{ uuids: string[]; pages: number }> {
    const uuids: string[] = [];
    let pages = 0;
    let url: string | undefined = path;
    while (url) {
      const res = await t.call('GET', url);
      expect(res.status).toBe(200);
      pages++;
      const items = res.body.connectors ?? res.body.targets;
      uuids.push(...items.map((c: { uuid: string }) => c.uuid));
      url = res.body.next ? new URL(res.body.next).pathname + new URL(res.body.next).search : undefined;
      if (pages > 50) throw new Error('too many pages');
    }
    return { uuids, pages };
  }

  it('lists default fields in creation order', async () => {
    const res = await t.call('GET', '/v1/volume/connectors');
    expect(res.body.connectors.map((c: { uuid: string }) => c.uuid)).toEqual(onA.map((a, i) => [a, onB[i]]).flat());
    expect(Object.keys(res.body.connectors[0])).toEqual(['uuid', 'connector_id', 'type', 'links', 'node_uuid']);
    expect(res.body.next).toBeUndefined();
  });

  it('pages with limit and marker, with Ironic\'s next link', async () => {
    const first = await t.call('GET', '/v1/volume/connectors?limit=3');
    expect(first.body.connectors).toHaveLength(3);
    expect(first.body.next).toMatch(
      new RegExp(`/v1/volume/connectors\\?sort_key=id&sort_dir=asc&fields=uuid,node_uuid,type,connector_id&limit=3&marker=${first.body.connectors[2].uuid}$`),
    );
    const walked = await walk('/v1/volume/connectors?limit=3');
    expect(walked.uuids).toHaveLength(14);
    expect(new Set(walked.uuids).size).toBe(14);
    expect(walked.pages).toBe(5);
  });

  it('keeps detail and fields in next links', async () => {
    const detail = await t.call('GET', '/v1/volume/connectors?limit=2&detail=True');
    expect(detail.body.next).toContain('&detail=True&limit=2&marker=');
    expect(detail.body.connectors[0]).toHaveProperty('extra');
    const fields = await t.call('GET', '/v1/volume/connectors?limit=1&fields=uuid,type');
    expect(Object.keys(fields.body.connectors[0])).toEqual(['uuid', 'type', 'links']);
    expect(fields.body.next).toContain('&fields=uuid,type&limit=1&marker=');
  });

  it('keeps the node filter in next links, so page 2 stays on the node (Ironic drops it)', async () => {
    const first = await t.call('GET', `/v1/volume/connectors?node=${nodeA.uuid}&limit=2`);
    expect(first.body.next).toContain(`node=${nodeA.uuid}`);
    const walked = await walk(`/v1/volume/connectors?node=list-a&limit=2`);
    expect(walked.uuids).toEqual(onA);
  });

  it.each([
    ['sort_key=connector_id&sort_dir=desc', (a: string[]) => a],
  ])('sorts and pages by %s without gaps or repeats', async (query) => {
    const walked = await walk(`/v1/volume/connectors?${query}&limit=4`);
    const all = await t.call('GET', `/v1/volume/connectors?${query}&fields=connector_id`);
    const ids = all.body.connectors.map((c: { connector_id: string }) => c.connector_id);
    expect([...ids].sort().reverse()).toEqual(ids);
    expect(walked.uuids).toHaveLength(14);
  });

  it.each(['type', 'uuid', 'created_at', 'updated_at', 'node_id'])('pages by sort_key=%s in both directions', async (key) => {
    for (const dir of ['asc', 'desc']) {
      const walked = await walk(`/v1/volume/connectors?sort_key=${key}&sort_dir=${dir}&limit=3`);
      expect(new Set(walked.uuids).size).toBe(14);
    }
  });

  it('caps limit at MAX_LIMIT', async () => {
    const res = await t.call('GET', '/v1/volume/connectors?limit=5000');
    expect(res.status).toBe(200);
    expect(res.body.connectors).toHaveLength(14);
  });

  it.each([
    ['fields=uuid&detail=True', 400, "Can't fetch a subset of fields with 'detail' set"],
    ['fields=uuid,bogus', 400, 'Field(s) "bogus" are not valid'],
    ['limit=0', 400, 'Limit must be positive'],
    ['limit=-1', 400, 'Limit must be positive'],
    ['limit=abc', 400, 'Expected an integer for limit: abc'],
    ['marker=nope', 400, 'Expected UUID for marker: nope'],
    ['marker=99999999-9999-9999-9999-999999999999', 404, 'Volume connector 99999999-9999-9999-9999-999999999999 could not be found.'],
    ['sort_dir=up', 400, "Invalid sort direction: up. Acceptable values are 'asc' or 'desc'"],
    ['sort_key=extra', 400, 'The sort_key value extra is an invalid field for sorting'],
    ['sort_key=bogus', 400, 'The sort_key value "bogus" is an invalid field for sorting'],
    ['sort_key=node_uuid', 400, 'The sort_key value "node_uuid" is an invalid field for sorting'],
    ['detail=maybe', 400, "Invalid detail: Unrecognized value 'maybe', acceptable values are: '0', '1', 'f', 'false', 'n', 'no', 'off', 'on', 't', 'true', 'y', 'yes'"],
    ['node=no-such-node', 404, 'Node no-such-node could not be found.'],
    ['node=bad%20name', 400, 'Expected UUID or name for node: bad name'],
  ])('GET /v1/volume/connectors?%s answers %d', async (query, status, message) => {
    const res = await t.call('GET', `/v1/volume/connectors?${query}`);
    expect(res.status).toBe(status);
    expect(fault(res).faultstring).toBe(message);
  });

  it('refuses sorting targets by properties', async () => {
    const res = await t.call('GET', '/v1/volume/targets?sort_key=properties');
    expect(fault(res).faultstring).toBe('The sort_key value properties is an invalid field for sorting');
  });

  it('lists targets with their default fields, sorted by boot_index', async () => {
    const res = await t.call('GET', '/v1/volume/targets?sort_key=boot_index&sort_dir=desc');
    expect(res.body.targets.map((x: { boot_index: number }) => x.boot_index)).toEqual([3, 2, 1, 0]);
    expect(Object.keys(res.body.targets[0])).toEqual(['uuid', 'boot_index', 'volume_id', 'volume_type', 'links', 'node_uuid']);
  });

  it('accepts a trailing slash, as the Ironic client sends', async () => {
    const res = await t.call('GET', `/v1/volume/connectors/?limit=1&detail=True&node=${nodeA.uuid}`);
    expect(res.status).toBe(200);
    expect(res.body.connectors[0].uuid).toBe(onA[0]);
  });

  describe('node views', () => {
    it('links a node\'s volume resources, by uuid or name', async () => {
      const res = await t.call('GET', `/v1/nodes/list-a/volume`);
      expect(res.status).toBe(200);
      expect(res.body.connectors[0].href).toMatch(/\/v1\/nodes\/list-a\/volume\/connectors$/);
      expect(res.body.links[0].href).toMatch(/\/v1\/nodes\/list-a\/volume\/$/);
    });

    it('lists a node\'s connectors by name (Ironic: 404) and uuid, ignoring ?node=', async () => {
      const byName = await t.call('GET', `/v1/nodes/list-a/volume/connectors?node=list-b`);
      expect(byName.status).toBe(200);
      expect(byName.body.connectors.map((c: { uuid: string }) => c.uuid)).toEqual(onA);
      const walked = await walk(`/v1/nodes/${nodeA.uuid}/volume/connectors?limit=3`);
      expect(walked.uuids).toEqual(onA);
    });

    it('lists a node\'s targets with detail', async () => {
      const res = await t.call('GET', `/v1/nodes/${nodeA.uuid}/volume/targets?detail=True`);
      expect(res.body.targets).toHaveLength(4);
      expect(res.body.targets[0]).toHaveProperty('properties');
    });

    it.each([
      ['/v1/nodes/no-such-node/volume/connectors', 404, 'Node no-such-node could not be found.'],
      ['/v1/nodes/bad%20name/volume/connectors', 400, undefined],
    ])('GET %s answers %d', async (path, status, message) => {
      const res = await t.call('GET', path);
      expect(res.status).toBe(status);
      if (message) expect(fault(res).faultstring).toBe(message);
    });

    it('answers the volume root of any node with links, looking no node up, as Ironic does', async () => {
      const res = await t.call('GET', '/v1/nodes/no-such-node/volume');
      expect(res.status).toBe(200);
      expect(res.body.connectors[0].href).toMatch(/\/v1\/nodes\/no-such-node\/volume\/connectors$/);
    });

    it('hides node views below 1.32', async () => {
      const res = await t.call('GET', `/v1/nodes/${nodeA.uuid}/volume`, { version: '1.31' });
      expect(res.status).toBe(404);
      expect(fault(res).faultstring).toBe('Resource could not be found.');
    });
  });

  describe('volume root', () => {
    it('links connectors and targets', async () => {
      const res = await t.call('GET', '/v1/volume/');
      expect(res.status).toBe(200);
      expect(Object.keys(res.body)).toEqual(['links', 'connectors', 'targets']);
      expect(res.body.connectors).toEqual([
        { href: expect.stringMatching(/\/v1\/volume\/connectors$/), rel: 'self' },
        { href: expect.stringMatching(/\/volume\/connectors$/), rel: 'bookmark' },
      ]);
    });

    it('answers an unknown path below it with 404 (Ironic: 500)', async () => {
      const res = await t.call('GET', '/v1/volume/bogus');
      expect(res.status).toBe(404);
      expect(fault(res).faultstring).toBe('Resource could not be found.');
    });

    it.each([['1.31'], [null]])('is hidden at %s', async (version) => {
      const res = await t.call('GET', '/v1/volume', { version });
      expect(res.status).toBe(404);
      expect(fault(res)).toEqual({ faultcode: 'Client', faultstring: 'Resource could not be found.', debuginfo: null });
    });
  });
});
