import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { exportJWK, generateKeyPair, KeyLike, SignJWT } from 'jose';
import { POLICIES, PolicyName } from '../src/auth/policy';
import { testDatabases } from './support/databases';
import { as, basicHeader, httpBasicConfig } from './support/auth';
import { createConnector, createNode, createTarget, unique } from './support/fixtures';
import { fault, TestApp, useTestApp } from './support/test-app';

const USERS = {
  admin: { roles: ['admin'] },
  member: { roles: ['member'] },
  reader: { roles: ['reader'] },
  nobody: { roles: [] },
  p1admin: { roles: ['admin'], project: 'p1' },
  p1member: { roles: ['member'], project: 'p1' },
  p1reader: { roles: ['reader'], project: 'p1' },
  p1manager: { roles: ['manager'], project: 'p1' },
  p1nobody: { roles: [], project: 'p1' },
  service: { roles: ['service'], project: 'service' },
} as const;
type User = keyof typeof USERS;

describe.each(testDatabases())('authentication and policy (%s)', (_name, database) => {
  const app = useTestApp(database, httpBasicConfig(USERS as never));
  const u = (user: User): TestApp => as(app, basicHeader(user));

  /** Nodes as the policy tests need them: p1 owns `own`, leases `leased`, and has nothing to do with `foreign`. */
  async function nodes() {
    const admin = u('admin');
    const own = await createNode(admin, { power: 'power off', body: { owner: 'p1' } });
    const leased = await createNode(admin, { power: 'power off', body: { owner: 'p9', lessee: 'p1' } });
    const foreign = await createNode(admin, { power: 'power off', body: { owner: 'p2' } });
    return { own: own.uuid, leased: leased.uuid, foreign: foreign.uuid };
  }

  const expectDenied = (res: { status: number; body: unknown }, policy: PolicyName) => {
    expect(res.status).toBe(403);
    expect(fault(res as never).faultstring).toBe(`Access was denied to the following resource: ${policy}`);
  };

  describe('authentication (http_basic)', () => {
    it.each([
      ['no credentials', undefined, 401, 'Authorization required'],
      ['a wrong password', basicHeader('admin', 'nope'), 401, 'Incorrect username or password'],
      ['an unknown user', basicHeader('mallory'), 401, 'Incorrect username or password'],
      ['another scheme', 'Bearer abc', 400, 'Unsupported authorization type "Bearer"'],
      ['a broken token', 'Basic %%%', 400, 'Could not decode authorization token'],
    ])('answers %s with %i in the envelope', async (_case, header, status, message) => {
      const res = await app.call('GET', '/v1/volume/connectors', { headers: header ? { Authorization: header } : {} });
      expect(res.status).toBe(status);
      expect(fault(res).faultstring).toBe(message);
      expect(res.headers['openstack-request-id']).toMatch(/^req-/);
      if (status === 401) expect(res.headers['www-authenticate']).toBe('Basic realm="Baremetal API"');
    });

    it('reads no body before authenticating (a refused POST stores nothing, even a huge one)', async () => {
      const before = (await app.rows('SELECT COUNT(*) AS n FROM nodes'))[0].n;
      const res = await app.call('POST', '/v1/nodes', { raw: JSON.stringify({ driver: 'fake-hardware', name: 'x'.repeat(2_000_000) }), headers: { 'Content-Type': 'application/json' } });
      expect(res.status).toBe(401);
      expect((await app.rows('SELECT COUNT(*) AS n FROM nodes'))[0].n).toEqual(before);
    });

    it.each(['/', '/v1', '/v1/', '/healthz', '/readyz', '/openapi.json'])('keeps %s public', async (path) => {
      expect((await app.call('GET', path)).status).toBe(200);
    });

    it('answers random credentials with 400 or 401, never a 5xx and never a way in', async () => {
      const printable = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 200 });
      const header = fc.oneof(
        printable,
        printable.map((s) => `Basic ${s}`),
        fc.uint8Array({ maxLength: 120 }).map((b) => `Basic ${Buffer.from(b).toString('base64')}`),
        fc.tuple(fc.constantFrom('admin', 'member', 'nobody', ''), printable).map(([user, pw]) => basicHeader(user, pw)),
        fc.array(fc.uint8Array({ maxLength: 60 }), { minLength: 3, maxLength: 3 }).map((parts) => `Bearer ${parts.map((p) => Buffer.from(p).toString('base64url')).join('.')}`),
      );
      let tried = 0;
      await fc.assert(
        fc.asyncProperty(header, fc.constantFrom('GET /v1/volume/connectors', 'POST /v1/nodes', 'DELETE /v1/nodes/x'), async (value, route) => {
          const [method, path] = route.split(' ');
          const res = await app.call(method, path, { headers: { Authorization: value }, ...(method === 'POST' ? { body: { driver: 'fake-hardware' } } : {}) });
          tried++;
          return res.status === 400 || res.status === 401;
        }),
        { numRuns: Number(process.env.FUZZ_RUNS ?? 300) },
      );
      process.stdout.write(`auth fuzz: ${tried} random credentials, none let in, none answered 5xx\n`);
    });

    it('lets an authenticated user in, without a role map entry giving rights', async () => {
      expect((await u('reader').call('GET', '/v1/volume/connectors')).status).toBe(200);
      expectDenied(await u('nobody').call('GET', '/v1/volume/connectors'), 'baremetal:volume:list_all');
    });
  });

  /**
   * One test per row of the policy table: the weakest allowed role succeeds,
   * the next weaker is refused, and project scoping is tried both ways.
   */
  const rows: Record<PolicyName, () => Promise<void>> = {
    'baremetal:node:get': async () => {
      const n = await nodes();
      expect((await u('reader').call('GET', `/v1/nodes/${n.foreign}`)).status).toBe(200);
      expectDenied(await u('nobody').call('GET', `/v1/nodes/${n.own}`), 'baremetal:node:get');
      expect((await u('p1reader').call('GET', `/v1/nodes/${n.own}`)).status).toBe(200);
      expect((await u('p1reader').call('GET', `/v1/nodes/${n.leased}/states`)).status).toBe(200);
      const hidden = await u('p1reader').call('GET', `/v1/nodes/${n.foreign}`);
      expect([hidden.status, fault(hidden).faultstring]).toEqual([404, `Node ${n.foreign} could not be found.`]);
      expect((await u('p1reader').call('GET', `/v1/nodes/${n.foreign}/states`)).status).toBe(404);
      const listed = (await u('p1reader').call('GET', '/v1/nodes?limit=1000')).body.nodes.map((x: { uuid: string }) => x.uuid);
      expect(listed).toEqual(expect.arrayContaining([n.own, n.leased]));
      expect(listed).not.toContain(n.foreign);
      const detail = (await u('p1reader').call('GET', '/v1/nodes/detail', { version: '1.65' })).body.nodes as { owner: string; lessee: string }[];
      expect(detail.every((x) => x.owner === 'p1' || x.lessee === 'p1')).toBe(true);
    },
    'baremetal:node:create': async () => {
      expect((await u('admin').call('POST', '/v1/nodes', { body: { driver: 'fake-hardware' } })).status).toBe(201);
      expectDenied(await u('member').call('POST', '/v1/nodes', { body: { driver: 'fake-hardware' } }), 'baremetal:node:create');
      expectDenied(await u('p1admin').call('POST', '/v1/nodes', { body: { driver: 'fake-hardware', owner: 'p1' } }), 'baremetal:node:create');
    },
    'baremetal:node:update': async () => {
      const n = await nodes();
      const patch = { body: [{ op: 'add', path: '/extra/k', value: 'v' }] };
      expect((await u('member').call('PATCH', `/v1/nodes/${n.own}`, patch)).status).toBe(200);
      expectDenied(await u('reader').call('PATCH', `/v1/nodes/${n.own}`, patch), 'baremetal:node:update');
      // Project callers may not re-assign nodes (not even their own) to another owner.
      expectDenied(await u('p1admin').call('PATCH', `/v1/nodes/${n.own}`, { body: [{ op: 'replace', path: '/owner', value: 'p2' }] }), 'baremetal:node:update');
    },
    'baremetal:node:delete': async () => {
      const n = await nodes();
      expectDenied(await u('member').call('DELETE', `/v1/nodes/${n.own}`), 'baremetal:node:delete');
      expectDenied(await u('p1admin').call('DELETE', `/v1/nodes/${n.own}`), 'baremetal:node:delete');
      expect((await u('admin').call('DELETE', `/v1/nodes/${n.own}`)).status).toBe(204);
    },
    'baremetal:node:set_power_state': async () => {
      const n = await nodes();
      const on = { body: { target: 'power on' } };
      expect((await u('member').call('PUT', `/v1/nodes/${n.foreign}/states/power`, on)).status).toBe(202);
      expectDenied(await u('reader').call('PUT', `/v1/nodes/${n.own}/states/power`, on), 'baremetal:node:set_power_state');
      expectDenied(await u('p1reader').call('PUT', `/v1/nodes/${n.own}/states/power`, on), 'baremetal:node:set_power_state');
      expect((await u('p1member').call('PUT', `/v1/nodes/${n.own}/states/power`, on)).status).toBe(202);
      expect((await u('p1member').call('PUT', `/v1/nodes/${n.leased}/states/power`, on)).status).toBe(202);
      expect((await u('p1member').call('PUT', `/v1/nodes/${n.foreign}/states/power`, { body: { target: 'power off' } })).status).toBe(404);
      const [row] = await app.rows('SELECT power_state FROM nodes WHERE uuid = ?', [n.foreign]);
      expect(row.power_state).toBe('power on');
    },
    'baremetal:node:validate': async () => {
      const n = await nodes();
      expect((await u('member').call('GET', `/v1/nodes/${n.foreign}/validate`)).status).toBe(200);
      expectDenied(await u('reader').call('GET', `/v1/nodes/${n.own}/validate`), 'baremetal:node:validate');
      expectDenied(await u('p1reader').call('GET', `/v1/nodes/${n.own}/validate`), 'baremetal:node:validate');
      expect((await u('p1member').call('GET', `/v1/nodes/${n.leased}/validate`)).status).toBe(200);
      expect((await u('p1member').call('GET', `/v1/nodes/${n.foreign}/validate`)).status).toBe(404);
    },
    'baremetal:node:get_boot_device': async () => {
      const n = await nodes();
      for (const path of ['boot_device', 'boot_device/supported']) {
        expect((await u('member').call('GET', `/v1/nodes/${n.foreign}/management/${path}`)).status).toBe(200);
        expectDenied(await u('reader').call('GET', `/v1/nodes/${n.own}/management/${path}`), 'baremetal:node:get_boot_device');
        expect((await u('p1manager').call('GET', `/v1/nodes/${n.own}/management/${path}`)).status).toBe(200);
        // The owner's admins, not the lessee's nor the owner's members.
        expectDenied(await u('p1member').call('GET', `/v1/nodes/${n.own}/management/${path}`), 'baremetal:node:get_boot_device');
        expectDenied(await u('p1admin').call('GET', `/v1/nodes/${n.leased}/management/${path}`), 'baremetal:node:get_boot_device');
        expect((await u('p1admin').call('GET', `/v1/nodes/${n.foreign}/management/${path}`)).status).toBe(404);
      }
    },
    'baremetal:node:set_boot_device': async () => {
      const n = await nodes();
      const pxe = { body: { boot_device: 'pxe' } };
      expect((await u('member').call('PUT', `/v1/nodes/${n.foreign}/management/boot_device`, pxe)).status).toBe(204);
      expectDenied(await u('reader').call('PUT', `/v1/nodes/${n.own}/management/boot_device`, pxe), 'baremetal:node:set_boot_device');
      expect((await u('p1admin').call('PUT', `/v1/nodes/${n.own}/management/boot_device`, pxe)).status).toBe(204);
      expectDenied(await u('p1member').call('PUT', `/v1/nodes/${n.own}/management/boot_device`, pxe), 'baremetal:node:set_boot_device');
      expectDenied(await u('p1admin').call('PUT', `/v1/nodes/${n.leased}/management/boot_device`, pxe), 'baremetal:node:set_boot_device');
    },
    'baremetal:node:set_provision_state': async () => {
      const n = await nodes();
      expect((await u('member').call('PUT', `/v1/nodes/${n.own}/states/provision`, { body: { target: 'manage' } })).status).toBe(202);
      expectDenied(await u('reader').call('PUT', `/v1/nodes/${n.own}/states/provision`, { body: { target: 'provide' } }), 'baremetal:node:set_provision_state');
      expectDenied(await u('p1admin').call('PUT', `/v1/nodes/${n.own}/states/provision`, { body: { target: 'provide' } }), 'baremetal:node:set_provision_state');
    },
    'baremetal:volume:get': async () => {
      const n = await nodes();
      const admin = u('admin');
      const own = await createConnector(admin, n.own);
      const leased = await createTarget(admin, n.leased);
      const foreign = await createConnector(admin, n.foreign);
      const foreignTarget = await createTarget(admin, n.foreign);
      expect((await u('reader').call('GET', `/v1/volume/connectors/${foreign.uuid}`)).status).toBe(200);
      expectDenied(await u('nobody').call('GET', `/v1/volume/connectors/${own.uuid}`), 'baremetal:volume:get');
      expectDenied(await u('nobody').call('GET', '/v1/volume'), 'baremetal:volume:get');
      const p1 = u('p1reader');
      expect((await p1.call('GET', `/v1/volume/connectors/${own.uuid}`)).status).toBe(200);
      expect((await p1.call('GET', `/v1/volume/targets/${leased.uuid}`)).status).toBe(200);
      const hidden = await p1.call('GET', `/v1/volume/connectors/${foreign.uuid}`);
      expect([hidden.status, fault(hidden).faultstring]).toEqual([404, `Volume connector ${foreign.uuid} could not be found.`]);
      expect((await p1.call('GET', `/v1/volume/targets/${foreignTarget.uuid}`)).status).toBe(404);
      const connectors = (await p1.call('GET', '/v1/volume/connectors?limit=1000')).body.connectors.map((c: { uuid: string }) => c.uuid);
      expect(connectors).toContain(own.uuid);
      expect(connectors).not.toContain(foreign.uuid);
      const targets = (await p1.call('GET', '/v1/volume/targets?detail=True')).body.targets.map((c: { uuid: string }) => c.uuid);
      expect(targets).toContain(leased.uuid);
      expect(targets).not.toContain(foreignTarget.uuid);
      // Other projects' nodes are concealed in filters and node views as well.
      expect((await p1.call('GET', `/v1/volume/connectors?node=${n.foreign}`)).status).toBe(404);
      expect((await p1.call('GET', `/v1/nodes/${n.foreign}/volume/connectors`)).status).toBe(404);
      // As in Ironic, the node's volume root is links only and looks no node up.
      expect((await p1.call('GET', `/v1/nodes/${n.foreign}/volume`)).status).toBe(200);
      expect((await p1.call('GET', `/v1/nodes/${n.own}/volume/connectors`)).body.connectors).toHaveLength(1);
      // A marker from another project's item is as unknown as a missing one.
      expect((await p1.call('GET', `/v1/volume/connectors?marker=${own.uuid}`)).status).toBe(200);
    },
    'baremetal:volume:list_all': async () => {
      const n = await nodes();
      const foreign = await createConnector(u('admin'), n.foreign);
      const listed = async (user: User) =>
        (await u(user).call('GET', '/v1/volume/connectors?limit=1000')).body.connectors.map((c: { uuid: string }) => c.uuid);
      expect(await listed('reader')).toContain(foreign.uuid);
      // Ironic's service role in the service project lists every node's items.
      expect(await listed('service')).toContain(foreign.uuid);
      expectDenied(await u('nobody').call('GET', '/v1/volume/connectors'), 'baremetal:volume:list_all');
      expectDenied(await u('nobody').call('GET', `/v1/nodes/${n.foreign}/volume/targets`), 'baremetal:volume:list_all');
    },
    'baremetal:volume:list': async () => {
      const n = await nodes();
      const own = await createConnector(u('admin'), n.own);
      const foreign = await createConnector(u('admin'), n.foreign);
      const listed = (await u('p1reader').call('GET', '/v1/volume/connectors?limit=1000')).body.connectors.map((c: { uuid: string }) => c.uuid);
      expect(listed).toContain(own.uuid);
      expect(listed).not.toContain(foreign.uuid);
      expectDenied(await u('p1nobody').call('GET', '/v1/volume/connectors'), 'baremetal:volume:list');
      expectDenied(await u('p1nobody').call('GET', `/v1/nodes/${n.own}/volume/connectors`), 'baremetal:volume:list');
    },
    'baremetal:volume:create': async () => {
      const n = await nodes();
      const body = (node: string) => ({ body: { node_uuid: node, type: 'iqn', connector_id: unique('iqn') } });
      expect((await u('member').call('POST', '/v1/volume/connectors', body(n.foreign))).status).toBe(201);
      expectDenied(await u('reader').call('POST', '/v1/volume/connectors', body(n.own)), 'baremetal:volume:create');
      // As in Ironic, a project needs admin or manager to create, on nodes it owns or leases.
      expectDenied(await u('p1member').call('POST', '/v1/volume/connectors', body(n.own)), 'baremetal:volume:create');
      expect((await u('p1manager').call('POST', '/v1/volume/connectors', body(n.own))).status).toBe(201);
      expect((await u('p1admin').call('POST', '/v1/volume/targets', { body: { node_uuid: n.leased, volume_type: 'iscsi', boot_index: 0, volume_id: 'v' } })).status).toBe(201);
      expect((await u('service').call('POST', '/v1/volume/connectors', body(n.foreign))).status).toBe(201);
      // Another project's node and a node that does not exist look the same to a project caller.
      expectDenied(await u('p1admin').call('POST', '/v1/volume/connectors', body(n.foreign)), 'baremetal:volume:create');
      expectDenied(await u('p1admin').call('POST', '/v1/volume/connectors', body('1be26c0b-03f2-4d2e-ae87-c02d7f33c123')), 'baremetal:volume:create');
      expect((await u('member').call('POST', '/v1/volume/connectors', body('1be26c0b-03f2-4d2e-ae87-c02d7f33c123'))).status).toBe(400);
      expect(Number((await app.rows('SELECT COUNT(*) AS n FROM volume_connectors c JOIN nodes n ON n.id = c.node_id WHERE n.uuid = ?', [n.foreign]))[0].n)).toBe(2);
    },
    'baremetal:volume:update': async () => {
      const n = await nodes();
      const admin = u('admin');
      const own = await createConnector(admin, n.own);
      const leased = await createConnector(admin, n.leased);
      const foreign = await createConnector(admin, n.foreign);
      const patch = { body: [{ op: 'add', path: '/extra/k', value: 'v' }] };
      expect((await u('member').call('PATCH', `/v1/volume/connectors/${foreign.uuid}`, patch)).status).toBe(200);
      expectDenied(await u('reader').call('PATCH', `/v1/volume/connectors/${own.uuid}`, patch), 'baremetal:volume:update');
      expect((await u('p1member').call('PATCH', `/v1/volume/connectors/${own.uuid}`, patch)).status).toBe(200);
      expect((await u('p1member').call('PATCH', `/v1/volume/connectors/${foreign.uuid}`, patch)).status).toBe(404);
      // As in Ironic, a lessee needs admin or manager to update; an owner's member may.
      expectDenied(await u('p1member').call('PATCH', `/v1/volume/connectors/${leased.uuid}`, patch), 'baremetal:volume:update');
      expect((await u('p1manager').call('PATCH', `/v1/volume/connectors/${leased.uuid}`, patch)).status).toBe(200);
      const move = (node: string) => ({ body: [{ op: 'replace', path: '/node_uuid', value: node }] });
      expectDenied(await u('p1member').call('PATCH', `/v1/volume/connectors/${own.uuid}`, move(n.foreign)), 'baremetal:volume:update');
      expectDenied(await u('p1member').call('PATCH', `/v1/volume/connectors/${own.uuid}`, move('1be26c0b-03f2-4d2e-ae87-c02d7f33c123')), 'baremetal:volume:update');
      const [before] = await app.rows('SELECT n.uuid AS node FROM volume_connectors c JOIN nodes n ON n.id = c.node_id WHERE c.uuid = ?', [own.uuid]);
      expect(before.node).toBe(n.own);
      // Moving needs the update right on the destination too (Ironic checks none there).
      expectDenied(await u('p1member').call('PATCH', `/v1/volume/connectors/${own.uuid}`, move(n.leased)), 'baremetal:volume:update');
      const moved = await u('p1admin').call('PATCH', `/v1/volume/connectors/${own.uuid}`, move(n.leased));
      expect([moved.status, moved.body.node_uuid]).toEqual([200, n.leased]);
    },
    'baremetal:volume:delete': async () => {
      const n = await nodes();
      const admin = u('admin');
      const own = await createConnector(admin, n.own);
      const foreign = await createConnector(admin, n.foreign);
      expectDenied(await u('reader').call('DELETE', `/v1/volume/connectors/${own.uuid}`), 'baremetal:volume:delete');
      expect((await u('p1manager').call('DELETE', `/v1/volume/connectors/${foreign.uuid}`)).status).toBe(404);
      // As in Ironic, deleting needs admin or manager on a project.
      expectDenied(await u('p1member').call('DELETE', `/v1/volume/connectors/${own.uuid}`), 'baremetal:volume:delete');
      expect((await u('p1manager').call('DELETE', `/v1/volume/connectors/${own.uuid}`)).status).toBe(204);
      expect((await u('member').call('DELETE', `/v1/volume/connectors/${foreign.uuid}`)).status).toBe(204);
    },
    'baremetal:volume:view_target_properties': async () => {
      const n = await nodes();
      const properties = { target_iqn: 'iqn.x', auth_username: 'chap', auth_password: 's3cret', nested: { client_secret: 'x' } };
      const target = await createTarget(u('admin'), n.own, { properties });
      // As in Ironic: secrets masked for every caller; callers without the right see a redaction notice.
      const masked = { ...properties, auth_password: '******', nested: { client_secret: '******' } };
      const redacted = {
        redacted_contents: '** Value redacted: Requires permission baremetal:volume:view_target_properties access. Permission denied. **',
      };
      expect((await u('admin').call('GET', `/v1/volume/targets/${target.uuid}`)).body.properties).toEqual(masked);
      expect((await u('p1admin').call('GET', `/v1/volume/targets/${target.uuid}`)).body.properties).toEqual(masked);
      expect((await u('reader').call('GET', `/v1/volume/targets/${target.uuid}`)).body.properties).toEqual(masked);
      expect((await u('p1member').call('GET', `/v1/volume/targets/${target.uuid}`)).body.properties).toEqual(redacted);
      expect((await u('p1reader').call('GET', `/v1/volume/targets?detail=True&node=${n.own}`)).body.targets[0].properties).toEqual(redacted);
      expect((await u('p1reader').call('GET', `/v1/nodes/${n.own}/volume/targets?fields=properties`)).body.targets[0].properties).toEqual(redacted);
      // A member may change a secret but not read it back. JSON Patch's test, copy and
      // move, which could probe or copy it, are not accepted at all (as in Ironic).
      const changed = await u('p1member').call('PATCH', `/v1/volume/targets/${target.uuid}`, { body: [{ op: 'replace', path: '/properties/auth_password', value: 'n3w' }] });
      expect([changed.status, changed.body.properties]).toEqual([200, redacted]);
      for (const op of [
        { op: 'test', path: '/properties/auth_password', value: 'n3w' },
        { op: 'copy', from: '/properties/auth_password', path: '/extra/leak' },
        { op: 'move', from: '/properties', path: '/extra/leak' },
      ]) {
        expect((await u('p1member').call('PATCH', `/v1/volume/targets/${target.uuid}`, { body: [op] })).status).toBe(400);
      }
      const [row] = await app.rows('SELECT properties, extra FROM volume_targets WHERE uuid = ?', [target.uuid]);
      expect(JSON.parse(row.properties as string).auth_password).toBe('n3w');
      expect(JSON.parse(row.extra as string)).toEqual({});
      // Masking is in the answer only: the stored value is the one sent (read above from the row).
      expect((await u('admin').call('GET', `/v1/volume/targets/${target.uuid}`)).body.properties.auth_password).toBe('******');
    },
  };

  it('has a test for every row of the policy table', () => {
    expect(Object.keys(rows).sort()).toEqual(Object.keys(POLICIES).sort());
  });

  it.each(Object.keys(rows) as PolicyName[])('enforces %s', async (policy) => {
    await rows[policy]();
  });

  it('checks the policy before the powered-off rule (a reader learns nothing of the node)', async () => {
    const node = await createNode(u('admin'), { power: 'power on' });
    const c = await createConnector(u('admin'), node.uuid);
    expectDenied(await u('reader').call('DELETE', `/v1/volume/connectors/${c.uuid}`), 'baremetal:volume:delete');
    expect((await u('member').call('DELETE', `/v1/volume/connectors/${c.uuid}`)).status).toBe(400);
  });
});

describe('AUTH_STRATEGY=jwt', () => {
  let signing: KeyLike;
  const dir = mkdtempSync(join(tmpdir(), 'ironvol-jwt-'));
  const jwksFile = join(dir, 'jwks.json');
  const config = {
    auth: {
      strategy: 'jwt', jwksFile, jwksUrl: null, issuer: 'https://idp.example', audience: 'ironvol',
      claims: { user: 'sub', roles: 'groups', project: 'tenant' }, clockToleranceSeconds: 0, algorithms: ['RS256'],
    },
  } as const;

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    signing = pair.privateKey;
    writeFileSync(jwksFile, JSON.stringify({ keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k', alg: 'RS256' }] }));
  });

  const app = useTestApp('sqlite', config as never);
  const bearer = async (claims: Record<string, unknown>, expiresIn = '5m') =>
    `Bearer ${await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'k' }).setIssuer('https://idp.example').setAudience('ironvol').setExpirationTime(expiresIn).sign(signing)}`;

  it('authorizes by the token\'s roles and project', async () => {
    const admin = as(app, await bearer({ sub: 'ops', groups: ['admin'] }));
    const mine = await createNode(admin, { body: { owner: 'tenant-a' } });
    const theirs = await createNode(admin, { body: { owner: 'tenant-b' } });
    const tenant = as(app, await bearer({ sub: 'alice', groups: ['manager'], tenant: 'tenant-a' }));
    expect((await tenant.call('POST', '/v1/volume/connectors', { body: { node_uuid: mine.uuid, type: 'iqn', connector_id: unique('iqn') } })).status).toBe(201);
    expect((await tenant.call('GET', `/v1/nodes/${theirs.uuid}`)).status).toBe(404);
    expect((await tenant.call('POST', '/v1/nodes', { body: { driver: 'fake-hardware' } })).status).toBe(403);
  });

  it('refuses a missing, expired or foreign token with 401 and a Bearer challenge', async () => {
    const missing = await app.call('GET', '/v1/volume/connectors');
    expect([missing.status, missing.headers['www-authenticate']]).toEqual([401, 'Bearer realm="Baremetal API"']);
    const expired = await app.call('GET', '/v1/volume/connectors', { headers: { Authorization: await bearer({ sub: 'a', groups: ['admin'] }, '-1m') } });
    expect(expired.status).toBe(401);
    expect(expired.headers['www-authenticate']).toContain('error="invalid_token"');
    const stranger = (await generateKeyPair('RS256')).privateKey;
    const forged = `Bearer ${await new SignJWT({ sub: 'x', groups: ['admin'] }).setProtectedHeader({ alg: 'RS256', kid: 'k' }).setIssuer('https://idp.example').setAudience('ironvol').setExpirationTime('5m').sign(stranger)}`;
    expect((await app.call('POST', '/v1/nodes', { body: { driver: 'fake-hardware' }, headers: { Authorization: forged } })).status).toBe(401);
  });
});

describe('rate limiting', () => {
  const app = useTestApp('sqlite', { rateLimit: { perSecond: 1, burst: 3 } });

  it('answers 429 with Retry-After in the envelope once a client spends its burst, but never limits probes', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await app.call('GET', '/v1/volume/connectors')).status);
    expect(statuses.slice(0, 3)).toEqual([200, 200, 200]);
    expect(statuses.slice(3)).toEqual([429, 429]);
    const limited = await app.call('POST', '/v1/nodes', { body: { driver: 'fake-hardware', name: 'limited' } });
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toMatch(/^[1-9]\d*$/);
    expect(fault(limited).faultstring).toBe('Too many requests from this client; please retry later.');
    expect(await app.rows("SELECT id FROM nodes WHERE name = 'limited'")).toEqual([]);
    for (let i = 0; i < 5; i++) expect((await app.call('GET', '/healthz')).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await app.call('GET', '/v1/volume/connectors')).status).toBe(200);
  });
});
