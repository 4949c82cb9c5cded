import { testDatabases } from './support/databases';
import { fault, useTestApp } from './support/test-app';
import { createConnector, createNode, setPower, unique } from './support/fixtures';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const TS_RE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00$/;

describe.each(testDatabases())('volume connectors (%s)', (_name, database) => {
  const t = useTestApp(database);

  const count = async (where = '1 = 1', params: unknown[] = []) =>
    Number((await t.rows(`SELECT COUNT(*) AS n FROM volume_connectors WHERE ${where}`, params))[0].n);

  describe('create', () => {
    it('creates a connector and answers 201 with Location and the stored fields', async () => {
      const node = await createNode(t);
      const res = await t.call('POST', '/v1/volume/connectors', {
        body: { node_uuid: node.uuid, type: 'iqn', connector_id: 'iqn.2017-05.org.openstack:c1', extra: { foo: 'bar' } },
      });
      expect(res.status).toBe(201);
      expect(Object.keys(res.body)).toEqual(['uuid', 'created_at', 'updated_at', 'connector_id', 'extra', 'type', 'links', 'node_uuid']);
      expect(res.body).toMatchObject({ connector_id: 'iqn.2017-05.org.openstack:c1', extra: { foo: 'bar' }, type: 'iqn', node_uuid: node.uuid, updated_at: null });
      expect(res.body.uuid).toMatch(UUID_RE);
      expect(res.body.created_at).toMatch(TS_RE);
      expect(res.headers.location).toMatch(new RegExp(`/v1/volume/connectors/${res.body.uuid}$`));
      expect(res.body.links).toEqual([
        { href: expect.stringMatching(new RegExp(`/v1/volume/connectors/${res.body.uuid}$`)), rel: 'self' },
        { href: expect.stringMatching(new RegExp(`^http://[^/]+/volume/connectors/${res.body.uuid}$`)), rel: 'bookmark' },
      ]);
      const [row] = await t.rows('SELECT type, connector_id, extra FROM volume_connectors WHERE uuid = ?', [res.body.uuid]);
      expect(row).toEqual({ type: 'iqn', connector_id: 'iqn.2017-05.org.openstack:c1', extra: '{"foo":"bar"}' });
    });

    it('keeps a client-chosen uuid, normalised to lower case', async () => {
      const node = await createNode(t);
      const uuid = '11111111-2222-3333-4444-55555555555A';
      const c = await createConnector(t, node.uuid, { uuid });
      expect(c.uuid).toBe(uuid.toLowerCase());
    });

    it('accepts any type string, as Ironic does', async () => {
      const node = await createNode(t);
      expect((await createConnector(t, node.uuid, { type: 'foo' })).type).toBe('foo');
    });

    it('allows creating on a powered-on node', async () => {
      const node = await createNode(t, { power: 'power on' });
      await createConnector(t, node.uuid);
    });

    it('refuses a duplicate type and connector_id with 409 and stores nothing', async () => {
      const node = await createNode(t);
      const c = await createConnector(t, node.uuid);
      const before = await count();
      const res = await t.call('POST', '/v1/volume/connectors', { body: { node_uuid: node.uuid, type: 'iqn', connector_id: c.connector_id } });
      expect(res.status).toBe(409);
      expect(fault(res)).toEqual({ faultcode: 'Client', faultstring: `A volume connector with type iqn and connector ID ${c.connector_id} already exists.`, debuginfo: null });
      expect(await count()).toBe(before);
    });

    it('allows the same connector_id with another type', async () => {
      const node = await createNode(t);
      const c = await createConnector(t, node.uuid);
      await createConnector(t, node.uuid, { type: 'ip', connector_id: c.connector_id });
    });

    it('refuses a duplicate uuid with 409', async () => {
      const node = await createNode(t);
      const c = await createConnector(t, node.uuid);
      const res = await t.call('POST', '/v1/volume/connectors', { body: { node_uuid: node.uuid, type: 'ip', connector_id: unique('10.0.0'), uuid: c.uuid } });
      expect(res.status).toBe(409);
      expect(fault(res).faultstring).toBe(`A volume connector with UUID ${c.uuid} already exists.`);
    });

    it.each([
      [{}, "Schema error for connector: 'connector_id' is a required property"],
      [{ type: 'iqn', connector_id: 'x' }, "Schema error for connector: 'node_uuid' is a required property"],
      [{ node_uuid: 'NODE', connector_id: 'x' }, "Schema error for connector: 'type' is a required property"],
      [{ node_uuid: 'NODE', type: 'iqn', connector_id: 'z', bogus: 1 }, "Schema error for connector: Additional properties are not allowed ('bogus' was unexpected)"],
      [{ node_uuid: 'NODE', type: 'iqn', connector_id: 'z', a: 1, b: 2 }, "Schema error for connector: Additional properties are not allowed ('a', 'b' were unexpected)"],
      [{ node_uuid: 'NODE', type: 'iqn', connector_id: 5 }, "Schema error for connector: 5 is not of type 'string'"],
      [{ node_uuid: 'NODE', type: 7, connector_id: 'x' }, "Schema error for connector: 7 is not of type 'string'"],
      [{ node_uuid: 'NODE', type: 'iqn', connector_id: 'x', extra: [] }, "Schema error for connector: [] is not of type 'object', 'null'"],
      [{ node_uuid: 'NODE', type: 'iqn', connector_id: 'x', extra: 'no' }, "Schema error for connector: 'no' is not of type 'object', 'null'"],
      [{ node_uuid: 'NODE', type: 'x'.repeat(33), connector_id: 'x' }, `Schema error for connector: '${'x'.repeat(33)}' is too long`],
      [{ node_uuid: 'NODE', type: 'iqn', connector_id: 'c'.repeat(256) }, `Schema error for connector: '${'c'.repeat(256)}' is too long`],
      [{ node_uuid: 'node-a', type: 'iqn', connector_id: 'y' }, 'Expected UUID for node_uuid: node-a'],
      [{ node_uuid: 'NODE', type: 'iqn', connector_id: 'y', uuid: 'nope' }, 'Expected UUID for uuid: nope'],
      [{ node_uuid: true, type: 'iqn', connector_id: 'y' }, "Schema error for connector: True is not of type 'string'"],
      [[1, 2], "Schema error for connector: [1, 2] is not of type 'object'"],
      ['text', "Schema error for connector: 'text' is not of type 'object'"],
    ])('refuses %j with 400 and stores nothing', async (body, message) => {
      const node = await createNode(t);
      const before = await count();
      const json = JSON.parse(JSON.stringify(body).replace(/"NODE"/g, JSON.stringify(node.uuid)));
      const res = await t.call('POST', '/v1/volume/connectors', { body: json });
      expect(res.status).toBe(400);
      expect(fault(res)).toEqual({ faultcode: 'Client', faultstring: message, debuginfo: null });
      expect(await count()).toBe(before);
    });

    it('refuses an unknown node_uuid with 400', async () => {
      const res = await t.call('POST', '/v1/volume/connectors', { body: { node_uuid: '00000000-0000-0000-0000-000000000000', type: 'iqn', connector_id: 'x' } });
      expect(res.status).toBe(400);
      expect(fault(res).faultstring).toBe("Invalid input for field/attribute node_uuid. Value: '00000000-0000-0000-0000-000000000000'. ");
    });

    it('refuses malformed JSON with 400 naming the parse error (Ironic: 500)', async () => {
      const res = await t.call('POST', '/v1/volume/connectors', { raw: '{"node_uuid": ', headers: { 'Content-Type': 'application/json' } });
      expect(res.status).toBe(400);
      expect(fault(res).faultstring).toMatch(/^The request body is not valid JSON: /);
    });

    it('refuses a form-encoded body with 400', async () => {
      const res = await t.call('POST', '/v1/volume/connectors', { raw: 'a=b', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
      expect(res.status).toBe(400);
      expect(fault(res).faultstring).toMatch(/must be JSON/);
    });

    it('reads a request without a body as an empty object, as Ironic does', async () => {
      const res = await t.call('POST', '/v1/volume/connectors', { headers: { 'Content-Type': 'application/json' } });
      expect(res.status).toBe(400);
      expect(fault(res).faultstring).toBe("Schema error for connector: 'connector_id' is a required property");
      const patch = await t.call('PATCH', '/v1/volume/connectors/9f000000-0000-4000-8000-00000000dead', { headers: { 'Content-Type': 'application/json' } });
      expect(fault(patch).faultstring).toBe("Schema error for patch: {} is not of type 'array'");
      const blank = await t.call('POST', '/v1/volume/connectors', { raw: '   ', headers: { 'Content-Type': 'application/json' } });
      expect([blank.status, fault(blank).faultstring]).toEqual([400, expect.stringMatching(/^The request body is not valid JSON: /)]);
    });

    it('refuses invalid UTF-8 and over-deep JSON with 400', async () => {
      const bad = await t.call('POST', '/v1/volume/connectors', { raw: Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]), headers: { 'Content-Type': 'application/json' } });
      expect(bad.status).toBe(400);
      const deep = await t.call('POST', '/v1/volume/connectors', { raw: '['.repeat(100) + ']'.repeat(100), headers: { 'Content-Type': 'application/json' } });
      expect(deep.status).toBe(400);
    });

    it('refuses a body over 1 MiB with 413', async () => {
      const res = await t.call('POST', '/v1/volume/connectors', { raw: JSON.stringify({ extra: { a: 'x'.repeat(1_100_000) } }), headers: { 'Content-Type': 'application/json' } });
      expect(res.status).toBe(413);
      expect(fault(res).faultcode).toBe('Client');
    });

    it('refuses a POST below the node views with 403', async () => {
      const node = await createNode(t);
      const res = await t.call('POST', `/v1/nodes/${node.uuid}/volume/connectors`, { body: { node_uuid: node.uuid, type: 'iqn', connector_id: 'sub' } });
      expect(res.status).toBe(403);
      expect(fault(res).faultstring).toBe('Operation not permitted.');
      // Ironic looks the body's node up first: a missing one is an invalid input, not a refused operation.
      const missing = '9f000000-0000-4000-8000-00000000dead';
      const unknown = await t.call('POST', `/v1/nodes/${node.uuid}/volume/connectors`, { body: { node_uuid: missing, type: 'iqn', connector_id: 'sub' } });
      expect([unknown.status, fault(unknown).faultstring]).toEqual([400, `Invalid input for field/attribute node_uuid. Value: '${missing}'. `]);
    });

    it('finds the item before it refuses a null patch document (Ironic takes null past its document check)', async () => {
      const missing = await t.call('PATCH', '/v1/volume/connectors/9f000000-0000-4000-8000-00000000dead', { body: null });
      expect([missing.status, fault(missing).faultstring]).toEqual([404, 'Volume connector 9f000000-0000-4000-8000-00000000dead could not be found.']);
      const node = await createNode(t, { power: 'power off' });
      const connector = await createConnector(t, node.uuid);
      const present = await t.call('PATCH', `/v1/volume/connectors/${connector.uuid}`, { body: null });
      expect([present.status, fault(present).faultstring]).toEqual([400, "Schema error for patch: None is not of type 'array'"]);
    });
  });

  describe('show', () => {
    it('shows a connector with an ETag, and only the asked fields', async () => {
      const node = await createNode(t);
      const c = await createConnector(t, node.uuid, { extra: { k: 'v' } });
      const res = await t.call('GET', `/v1/volume/connectors/${c.uuid}`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ uuid: c.uuid, extra: { k: 'v' }, node_uuid: node.uuid });
      expect(res.headers.etag).toMatch(/^"\d+-\d+"$/);
      const some = await t.call('GET', `/v1/volume/connectors/${c.uuid}?fields=uuid,connector_id`);
      expect(Object.keys(some.body)).toEqual(['uuid', 'connector_id', 'links']);
    });

    it.each([
      ['/v1/volume/connectors/not-a-uuid', 400, 'Expected UUID for connector_uuid: not-a-uuid'],
      ['/v1/volume/connectors/99999999-9999-9999-9999-999999999999', 404, 'Volume connector 99999999-9999-9999-9999-999999999999 could not be found.'],
      // Ironic finds the item before it checks the fields' names.
      ['/v1/volume/connectors/99999999-9999-9999-9999-999999999999?fields=bogus', 404, 'Volume connector 99999999-9999-9999-9999-999999999999 could not be found.'],
    ])('GET %s answers %d', async (path, status, message) => {
      const res = await t.call('GET', path);
      expect(res.status).toBe(status);
      expect(fault(res).faultstring).toBe(message);
    });

    it('refuses GET of one item below the node views with 403', async () => {
      const node = await createNode(t);
      const c = await createConnector(t, node.uuid);
      const res = await t.call('GET', `/v1/nodes/${node.uuid}/volume/connectors/${c.uuid}`);
      expect(res.status).toBe(403);
    });
  });

  describe('update', () => {
    it('applies add, replace and remove on a powered-off node', async () => {
      const node = await createNode(t, { power: 'power off' });
      const c = await createConnector(t, node.uuid, { extra: { foo: 'bar' } });
      const res = await t.call('PATCH', `/v1/volume/connectors/${c.uuid}`, {
        body: [
          { op: 'replace', path: '/extra/foo', value: 'baz' },
          { op: 'add', path: '/extra/new', value: [1, 2] },
          { op: 'replace', path: '/connector_id', value: `${c.connector_id}-2` },
        ],
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ extra: { foo: 'baz', new: [1, 2] }, connector_id: `${c.connector_id}-2` });
      expect(res.body.updated_at).toMatch(TS_RE);
      expect(res.headers.etag).toBeDefined();
      const removed = await t.call('PATCH', `/v1/volume/connectors/${c.uuid}`, { body: [{ op: 'remove', path: '/extra' }] });
      expect(removed.body.extra).toEqual({});
      const [row] = await t.rows('SELECT connector_id, extra, version FROM volume_connectors WHERE uuid = ?', [c.uuid]);
      expect(row).toMatchObject({ connector_id: `${c.connector_id}-2`, extra: '{}' });
      expect(Number(row.version)).toBe(3);
    });

    it('answers an empty patch with the item unchanged', async () => {
      const node = await createNode(t, { power: 'power off' });
      const c = await createConnector(t, node.uuid);
      const res = await t.call('PATCH', `/v1/volume/connectors/${c.uuid}`, { body: [] });
      expect(res.status).toBe(200);
      expect(res.body.connector_id).toBe(c.connector_id);
    });

    it.each([
      ['power on', '"power on"'],
      [null, '"None"'],
    ])('refuses a change while the node is %s, with Ironic\'s message', async (power, state) => {
      const node = await createNode(t, power ? { power: power as 'power on' } : {});
      const c = await createConnector(t, node.uuid, { extra: { a: 1 } });
      const res = await t.call('PATCH', `/v1/volume/connectors/${c.uuid}`, { body: [{ op: 'add', path: '/extra/x', value: 1 }] });
      expect(res.status).toBe(400);
      expect(fault(res).faultstring).toBe(`The requested action "volume connector update" can not be performed on node "${node.uuid}" while it is in state ${state}.`);
      const [row] = await t.rows('SELECT extra FROM volume_connectors WHERE uuid = ?', [c.uuid]);
      expect(row.extra).toBe('{"a":1}');
    });

    it('validates the patch before the power state (bad input on a powered-on node is about the input)', async () => {
      const node = await createNode(t, { power: 'power on' });
      const c = await createConnector(t, node.uuid);
      const res = await t.call('PATCH', `/v1/volume/connectors/${c.uuid}`, { body: [{ op: 'remove', path: '/type' }] });
      expect(res.status).toBe(400);
      expect(fault(res).faultstring).toBe("Schema error for patch: 'type' is a required property");
    });

    it('reports the power state before a duplicate (400, not 409)', async () => {
      const node = await createNode(t, { power: 'power off' });
      const a = await createConnector(t, node.uuid);
      const b = await createConnector(t, node.uuid);
      await setPower(t, node.uuid, 'power on');
      const res = await t.call('PATCH', `/v1/volume/connectors/${b.uuid}`, { body: [{ op: 'replace', path: '/connector_id', value: a.connector_id }] });
      expect(res.status).toBe(400);
    });

    it.each([
      [[{ op: 'replace', path: '/uuid', value: '22222222-2222-3333-4444-555555555555' }], 'Cannot patch /uuid. Only the following can be updated: connector_id, extra, node_uuid, type'],
      [[{ op: 'replace', path: '/id', value: 1 }], 'Cannot patch /id. Only the following can be updated: connector_id, extra, node_uuid, type'],
      [[{ op: 'replace', path: '/node_id', value: 1 }], 'Cannot patch /node_id. Only the following can be updated: connector_id, extra, node_uuid, type'],
      [[{ op: 'replace', path: '/created_at', value: 'x' }], 'Cannot patch /created_at. Only the following can be updated: connector_id, extra, node_uuid, type'],
      [[{ op: 'test', path: '/type', value: 'iqn' }], "Schema error for patch: 'test' is not one of ['add', 'replace', 'remove']"],
      [[{ op: 'move', from: '/type', path: '/connector_id' }], "Schema error for patch: Additional properties are not allowed ('from' was unexpected)"],
      [[{ op: 'frobnicate', path: '/type', value: 1 }], "Schema error for patch: 'frobnicate' is not one of ['add', 'replace', 'remove']"],
      [{ op: 'replace', path: '/type', value: 'iqn' }, "Schema error for patch: {'op': 'replace', 'path': '/type', 'value': 'iqn'} is not of type 'array'"],
      [[{ path: '/type', value: 'iqn' }], "Schema error for patch: 'op' is a required property"],
      [[{ op: 'replace', value: 'iqn' }], "Schema error for patch: 'path' is a required property"],
      [[{ op: 'replace', path: 'type', value: 'iqn' }], "Schema error for patch: 'type' does not match '^(/[\\\\w-]+)+$'"],
      [['nope'], "Schema error for patch: 'nope' is not of type 'object'"],
      [[{ op: 'remove', path: '/extra/nothere' }], "Couldn't apply patch '{'op': 'remove', 'path': '/extra/nothere'}'. Reason: can't remove a non-existent object 'nothere'"],
      [[{ op: 'replace', path: '/extra' }], "Couldn't apply patch '{'op': 'replace', 'path': '/extra'}'. Reason: The operation does not contain a 'value' member"],
      [[{ op: 'remove', path: '/type' }], "Schema error for patch: 'type' is a required property"],
      [[{ op: 'replace', path: '/type', value: 5 }], "Schema error for patch: 5 is not of type 'string'"],
      [[{ op: 'replace', path: '/extra', value: [] }], "Schema error for patch: [] is not of type 'object', 'null'"],
      [[{ op: 'replace', path: '/type', value: 'y'.repeat(40) }], `Schema error for patch: '${'y'.repeat(40)}' is too long`],
      [[{ op: 'replace', path: '/node_uuid', value: 'node-a' }], 'Expected a UUID for node_uuid, but received node-a.'],
      [[{ op: 'replace', path: '/node_uuid', value: '00000000-0000-0000-0000-000000000000' }], 'Node 00000000-0000-0000-0000-000000000000 could not be found.'],
      [[{ op: 'add', path: '/extra/__proto__', value: { polluted: true } }], expect.stringMatching(/^Couldn't apply patch/)],
    ])('refuses %j with 400 and changes nothing', async (patch, message) => {
      const node = await createNode(t, { power: 'power off' });
      const c = await createConnector(t, node.uuid);
      const [before] = await t.rows('SELECT * FROM volume_connectors WHERE uuid = ?', [c.uuid]);
      const res = await t.call('PATCH', `/v1/volume/connectors/${c.uuid}`, { body: patch });
      expect(res.status).toBe(400);
      expect(fault(res).faultstring).toEqual(message);
      const [after] = await t.rows('SELECT * FROM volume_connectors WHERE uuid = ?', [c.uuid]);
      expect(after).toEqual(before);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    it('refuses a patch that duplicates another connector with 409', async () => {
      const node = await createNode(t, { power: 'power off' });
      const a = await createConnector(t, node.uuid);
      const b = await createConnector(t, node.uuid, { type: 'wwpn' });
      const res = await t.call('PATCH', `/v1/volume/connectors/${b.uuid}`, {
        body: [{ op: 'replace', path: '/type', value: 'iqn' }, { op: 'replace', path: '/connector_id', value: a.connector_id }],
      });
      expect(res.status).toBe(409);
      expect(fault(res).faultstring).toBe(`A volume connector with type iqn and connector ID ${a.connector_id} already exists.`);
    });

    it('moves a connector between powered-off nodes', async () => {
      const a = await createNode(t, { power: 'power off' });
      const b = await createNode(t, { power: 'power off' });
      const c = await createConnector(t, a.uuid);
      const res = await t.call('PATCH', `/v1/volume/connectors/${c.uuid}`, { body: [{ op: 'replace', path: '/node_uuid', value: b.uuid }] });
      expect(res.status).toBe(200);
      expect(res.body.node_uuid).toBe(b.uuid);
      const [row] = await t.rows('SELECT n.uuid AS node FROM volume_connectors c JOIN nodes n ON n.id = c.node_id WHERE c.uuid = ?', [c.uuid]);
      expect(row.node).toBe(b.uuid);
    });

    it('refuses a move onto a powered-on node, naming that node', async () => {
      const a = await createNode(t, { power: 'power off' });
      const b = await createNode(t, { power: 'power on' });
      const c = await createConnector(t, a.uuid);
      const res = await t.call('PATCH', `/v1/volume/connectors/${c.uuid}`, { body: [{ op: 'replace', path: '/node_uuid', value: b.uuid }] });
      expect(res.status).toBe(400);
      expect(fault(res).faultstring).toBe(`The requested action "volume connector update" can not be performed on node "${b.uuid}" while it is in state "power on".`);
    });

    it('refuses a move off a powered-on node, naming the source (beyond Ironic)', async () => {
      const a = await createNode(t, { power: 'power on' });
      const b = await createNode(t, { power: 'power off' });
      const c = await createConnector(t, a.uuid);
      const res = await t.call('PATCH', `/v1/volume/connectors/${c.uuid}`, { body: [{ op: 'replace', path: '/node_uuid', value: b.uuid }] });
      expect(res.status).toBe(400);
      expect(fault(res).faultstring).toContain(`node "${a.uuid}" while it is in state "power on"`);
    });

    it('honours If-Match: 412 on a stale ETag, 200 on the current one', async () => {
      const node = await createNode(t, { power: 'power off' });
      const c = await createConnector(t, node.uuid);
      const shown = await t.call('GET', `/v1/volume/connectors/${c.uuid}`);
      const first = await t.call('PATCH', `/v1/volume/connectors/${c.uuid}`, { body: [{ op: 'add', path: '/extra/a', value: 1 }], headers: { 'If-Match': shown.headers.etag } });
      expect(first.status).toBe(200);
      const stale = await t.call('PATCH', `/v1/volume/connectors/${c.uuid}`, { body: [{ op: 'add', path: '/extra/b', value: 2 }], headers: { 'If-Match': shown.headers.etag } });
      expect(stale.status).toBe(412);
      const del = await t.call('DELETE', `/v1/volume/connectors/${c.uuid}`, { headers: { 'If-Match': shown.headers.etag } });
      expect(del.status).toBe(412);
      const ok = await t.call('DELETE', `/v1/volume/connectors/${c.uuid}`, { headers: { 'If-Match': first.headers.etag } });
      expect(ok.status).toBe(204);
    });
  });

  describe('delete', () => {
    it('deletes on a powered-off node (204), then 404', async () => {
      const node = await createNode(t, { power: 'power off' });
      const c = await createConnector(t, node.uuid);
      const res = await t.call('DELETE', `/v1/volume/connectors/${c.uuid}`);
      expect(res.status).toBe(204);
      expect(res.text).toBe('');
      expect(await count('uuid = ?', [c.uuid])).toBe(0);
      const again = await t.call('DELETE', `/v1/volume/connectors/${c.uuid}`);
      expect(again.status).toBe(404);
      expect(fault(again).faultstring).toBe(`Volume connector ${c.uuid} could not be found.`);
    });

    it.each([['power on'], [null]])('refuses while the node is %s', async (power) => {
      const node = await createNode(t, power ? { power: power as 'power on' } : {});
      const c = await createConnector(t, node.uuid);
      const res = await t.call('DELETE', `/v1/volume/connectors/${c.uuid}`);
      expect(res.status).toBe(400);
      expect(fault(res).faultstring).toBe(`The requested action "volume connector deletion" can not be performed on node "${node.uuid}" while it is in state "${power ?? 'None'}".`);
      expect(await count('uuid = ?', [c.uuid])).toBe(1);
    });

    it('refuses DELETE below the node views with 403', async () => {
      const node = await createNode(t, { power: 'power off' });
      const c = await createConnector(t, node.uuid);
      expect((await t.call('DELETE', `/v1/nodes/${node.uuid}/volume/connectors/${c.uuid}`)).status).toBe(403);
      expect((await t.call('PATCH', `/v1/nodes/${node.uuid}/volume/connectors/${c.uuid}`, { body: [] })).status).toBe(403);
    });

    it('answers a malformed uuid with 400', async () => {
      const res = await t.call('DELETE', '/v1/volume/connectors/xyz');
      expect(res.status).toBe(400);
      expect(fault(res).faultstring).toBe('Expected UUID for connector_uuid: xyz');
    });
  });

  describe('versions', () => {
    it.each([['1.31'], [null]])('hides the collection below 1.32 (%s) as Ironic does', async (version) => {
      const res = await t.call('GET', '/v1/volume/connectors', { version });
      expect(res.status).toBe(404);
      expect(fault(res)).toEqual({ code: 404, title: 'Not Found', description: '' });
    });

    it.each([['1.83'], ['2.0'], ['1.0']])('answers %s with 406', async (version) => {
      const res = await t.call('GET', '/v1/volume/connectors', { version });
      expect(res.status).toBe(406);
      expect(fault(res).code).toBe(406);
      expect(res.headers['x-openstack-ironic-api-minimum-version']).toBe('1.1');
      expect(res.headers['x-openstack-ironic-api-maximum-version']).toBe('1.82');
    });

    it('answers latest as 1.82', async () => {
      const res = await t.call('GET', '/v1/volume/connectors', { version: 'latest' });
      expect(res.status).toBe(200);
      expect(res.headers['x-openstack-ironic-api-version']).toBe('1.82');
    });
  });
});
