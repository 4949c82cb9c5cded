import { parseDatabaseUrl } from '../src/config/config';
import { testDatabases } from './support/databases';
import { fault, useTestApp } from './support/test-app';
import { createConnector, createNode, unique } from './support/fixtures';

/**
 * The write path's guarantees: a PATCH stores exactly what its operations
 * say, concurrent node PATCHes all land, a write never waits on a second
 * pool connection, and a reserved node refuses changes.
 */
describe.each(testDatabases())('volume core (%s)', (_name, database) => {
  const t = useTestApp(database);

  const extraOf = async (uuid: string) => {
    const [row] = await t.rows('SELECT extra FROM volume_connectors WHERE uuid = ?', [uuid]);
    return JSON.parse(row.extra as string);
  };

  it.each([
    [
      [{ op: 'add', path: '/extra/list', value: [1] }, { op: 'add', path: '/extra/list/-', value: 2 }],
      { list: [1, 2] },
    ],
    [
      [
        { op: 'add', path: '/extra/o', value: { a: 1 } },
        { op: 'add', path: '/extra/o/b', value: 2 },
        { op: 'remove', path: '/extra/o/a' },
      ],
      { o: { b: 2 } },
    ],
  ])('stores what the patch %j says, as Ironic does', async (patch, extra) => {
    const node = await createNode(t, { power: 'power off' });
    const connector = await createConnector(t, node.uuid);
    const res = await t.call('PATCH', `/v1/volume/connectors/${connector.uuid}`, { body: patch });
    expect(res.status).toBe(200);
    expect(res.body.extra).toEqual(extra);
    expect(await extraOf(connector.uuid)).toEqual(extra);
  });

  it('lands every one of concurrent node PATCHes to different keys', async () => {
    const node = await createNode(t);
    const keys = Array.from({ length: 12 }, (_, i) => `k${i}`);
    const results = await Promise.all(
      keys.map((key) => t.call('PATCH', `/v1/nodes/${node.uuid}`, { body: [{ op: 'add', path: `/extra/${key}`, value: key }] })),
    );
    expect(results.map((r) => r.status)).toEqual(keys.map(() => 200));
    const shown = await t.call('GET', `/v1/nodes/${node.uuid}`);
    expect(shown.body.extra).toEqual(Object.fromEntries(keys.map((k) => [k, k])));
  });

  it('gives nodes an ETag and honours If-Match on PATCH and DELETE', async () => {
    const node = await createNode(t);
    const shown = await t.call('GET', `/v1/nodes/${node.uuid}`);
    const etag = shown.headers.etag;
    expect(etag).toMatch(/^"1-\d+"$/);
    const patched = await t.call('PATCH', `/v1/nodes/${node.uuid}`, {
      body: [{ op: 'add', path: '/extra/a', value: 1 }],
      headers: { 'If-Match': etag },
    });
    expect(patched.status).toBe(200);
    expect(patched.headers.etag).not.toBe(etag);
    const stale = await t.call('PATCH', `/v1/nodes/${node.uuid}`, {
      body: [{ op: 'add', path: '/extra/b', value: 2 }],
      headers: { 'If-Match': etag },
    });
    expect(stale.status).toBe(412);
    expect((await t.call('DELETE', `/v1/nodes/${node.uuid}`, { headers: { 'If-Match': etag } })).status).toBe(412);
    expect((await t.call('GET', `/v1/nodes/${node.uuid}`)).body.extra).toEqual({ a: 1 });
    expect((await t.call('DELETE', `/v1/nodes/${node.uuid}`, { headers: { 'If-Match': patched.headers.etag } })).status).toBe(204);
  });

  it('refuses volume changes on a node reserved by a power action (409 NodeLocked) until the reservation expires', async () => {
    const node = await createNode(t, { power: 'power off' });
    const connector = await createConnector(t, node.uuid);
    const reserve = (at: Date) =>
      t.rows('UPDATE nodes SET reservation = ?, reserved_at = ? WHERE uuid = ?', ['conductor-2', at.toISOString(), node.uuid]);
    await reserve(new Date());
    const patch = [{ op: 'add', path: '/extra/x', value: 1 }];
    const refused = await t.call('PATCH', `/v1/volume/connectors/${connector.uuid}`, { body: patch });
    expect(refused.status).toBe(409);
    expect(fault(refused).faultstring).toBe(
      `Node ${node.uuid} is locked by host conductor-2, please retry after the current operation is completed.`,
    );
    expect((await t.call('DELETE', `/v1/volume/connectors/${connector.uuid}`)).status).toBe(409);
    expect((await t.call('PUT', `/v1/nodes/${node.uuid}/states/power`, { body: { target: 'power on' } })).status).toBe(409);
    expect(await extraOf(connector.uuid)).toEqual({});

    await reserve(new Date(Date.now() - t.config.nodeReservationTimeoutMs - 1000));
    expect((await t.call('PATCH', `/v1/volume/connectors/${connector.uuid}`, { body: patch })).status).toBe(200);
    expect((await t.call('PUT', `/v1/nodes/${node.uuid}/states/power`, { body: { target: 'power on' } })).status).toBe(202);
    const states = await t.call('GET', `/v1/nodes/${node.uuid}`);
    expect(states.body).toMatchObject({ power_state: 'power on', target_power_state: null, reservation: null });
  });
});

/** More concurrent moves than pool connections: each write must run all its queries on its own connection. */
const serverDatabases = testDatabases().filter(([name]) => name !== 'sqlite');
(serverDatabases.length ? describe.each(serverDatabases) : describe.skip.each([['no server database', 'sqlite']]))('moves with a small pool (%s)', (_name, database) => {
  const POOL = 2;
  const t = useTestApp(database, database === 'sqlite' ? {} : { database: parseDatabaseUrl(database, 'DATABASE_URL', POOL) });

  it(`completes ${POOL * 4} concurrent moves with ${POOL} connections`, async () => {
    const from = await createNode(t, { power: 'power off' });
    const to = await createNode(t, { power: 'power off' });
    const connectors = await Promise.all(Array.from({ length: POOL * 4 }, () => createConnector(t, from.uuid, { connector_id: unique('iqn.move') })));
    const started = Date.now();
    const results = await Promise.all(
      connectors.map((c) =>
        t.call('PATCH', `/v1/volume/connectors/${c.uuid}`, { body: [{ op: 'replace', path: '/node_uuid', value: to.uuid }] }),
      ),
    );
    expect(results.map((r) => `${r.status} ${r.status === 200 ? '' : r.text}`)).toEqual(connectors.map(() => '200 '));
    expect(Date.now() - started).toBeLessThan(5000);
    const moved = await t.call('GET', `/v1/nodes/${to.uuid}/volume/connectors`);
    expect(moved.body.connectors).toHaveLength(connectors.length);
  });
});
