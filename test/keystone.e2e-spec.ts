import { randomBytes } from 'node:crypto';
import { createServer, Server, Socket, connect } from 'node:net';
import type { KeystoneConfig } from '../src/auth/auth-config';
import type { PolicyName } from '../src/auth/policy';
import { withHeaders } from './support/auth';
import { KEYSTONE_URL, KeystoneAdmin, passwordToken, Scope } from './support/keystone';
import { createConnector, createNode, createTarget, unique } from './support/fixtures';
import { createTestApp, fault, TestApp, useTestApp } from './support/test-app';

/** Names of this run's Keystone users and projects. */
const RUN = randomBytes(3).toString('hex');
const PASSWORD = `pw-${RUN}`;
const P1 = `ironvol-p1-${RUN}`;
const P2 = `ironvol-p2-${RUN}`;
/** ironvol's own service user: the service role in the service project, as keystonemiddleware's users have. */
const SERVICE_USER = `ironvol-${RUN}`;

/** One user per persona of Ironic's policy: system-scoped and project-scoped, each role. */
const PERSONAS = {
  systemAdmin: { role: 'admin', scope: 'system' },
  systemMember: { role: 'member', scope: 'system' },
  systemReader: { role: 'reader', scope: 'system' },
  p1Admin: { role: 'admin', scope: P1 },
  p1Manager: { role: 'manager', scope: P1 },
  p1Member: { role: 'member', scope: P1 },
  p1Reader: { role: 'reader', scope: P1 },
  service: { role: 'service', scope: 'service' },
} as const;
type Persona = keyof typeof PERSONAS;

export function keystoneConfig(overrides: Partial<KeystoneConfig> = {}): KeystoneConfig {
  return {
    strategy: 'keystone',
    authUrl: KEYSTONE_URL!,
    username: SERVICE_USER,
    password: PASSWORD,
    projectName: 'service',
    userDomainName: 'Default',
    projectDomainName: 'Default',
    wwwAuthenticateUri: KEYSTONE_URL!,
    cacheSeconds: 300,
    cacheSize: 1000,
    timeoutMs: 5000,
    ...overrides,
  };
}

/** Sets up this run's projects and users (once per file). */
async function provision() {
  const admin = await KeystoneAdmin.connect();
  const projects = { p1: await admin.project(P1), p2: await admin.project(P2) };
  await admin.role('manager');
  for (const [name, persona] of Object.entries(PERSONAS)) {
    const grant = persona.scope === 'system' ? { role: persona.role, system: true as const } : { role: persona.role, project: persona.scope };
    await admin.user(`${name}-${RUN}`, PASSWORD, [grant]);
  }
  await admin.user(SERVICE_USER, PASSWORD, [{ role: 'service', project: 'service' }]);
  return { admin, projects };
}

function scopeOf(persona: Persona): Scope {
  const { scope } = PERSONAS[persona];
  return scope === 'system' ? { system: true } : { project: scope };
}

const tokenFor = (persona: Persona) => passwordToken(`${persona}-${RUN}`, PASSWORD, scopeOf(persona));

function expectKeystoneRefusal(res: { status: number; body: unknown; headers: Record<string, string> }) {
  expect(res.status).toBe(401);
  expect(res.headers['www-authenticate']).toBe(`Keystone uri="${KEYSTONE_URL}"`);
  expect(res.body).toEqual({ error: { code: 401, title: 'Unauthorized', message: 'The request you have made requires authentication.' } });
}

function expectDenied(res: { status: number; body: unknown }, policy: PolicyName) {
  expect(res.status).toBe(403);
  expect(fault(res as never).faultstring).toBe(`Access was denied to the following resource: ${policy}`);
}

/** A TCP relay to Keystone that a test can cut and restore, to see ironvol through an outage. */
class Relay {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  constructor(readonly port: number, private readonly target: URL) {}

  static async open(target: string): Promise<Relay> {
    const probe = createServer();
    const port = await new Promise<number>((resolve) => probe.listen(0, '127.0.0.1', () => resolve((probe.address() as { port: number }).port)));
    await new Promise((resolve) => probe.close(resolve));
    const relay = new Relay(port, new URL(target));
    await relay.up();
    return relay;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}${this.target.pathname}`;
  }

  async up(): Promise<void> {
    this.server = createServer((inbound) => {
      const outbound = connect(Number(this.target.port), this.target.hostname);
      for (const socket of [inbound, outbound]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => socket.destroy());
      }
      inbound.pipe(outbound).pipe(inbound);
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
  }

  async down(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise((resolve) => this.server?.close(resolve));
  }
}

const metric = (text: string, name: string, labels: string) =>
  Number(new RegExp(`^${name}\\{${labels}\\} (\\d+)`, 'm').exec(text)?.[1] ?? 0);

(KEYSTONE_URL ? describe : describe.skip)('AUTH_STRATEGY=keystone against a real Keystone', () => {
  let projects: { p1: string; p2: string };
  let admin: KeystoneAdmin;
  const tokens = {} as Record<Persona, string>;

  beforeAll(async () => {
    ({ admin, projects } = await provision());
    for (const persona of Object.keys(PERSONAS) as Persona[]) tokens[persona] = await tokenFor(persona);
  }, 120000);

  describe('answers as keystonemiddleware in front of Ironic', () => {
    const app = useTestApp('sqlite', { auth: keystoneConfig() });

    it('refuses a request without a valid X-Auth-Token with 401 and the Keystone challenge', async () => {
      expectKeystoneRefusal(await app.call('GET', '/v1/volume/connectors'));
      expectKeystoneRefusal(await app.call('GET', '/v1/volume/connectors', { headers: { 'X-Auth-Token': 'gAAAAABnot-a-token' } }));
      expectKeystoneRefusal(await app.call('GET', '/v1/volume/connectors', { headers: { 'X-Auth-Token': 'x'.repeat(9000) } }));
      // Identity headers from the caller count for nothing (keystonemiddleware strips them).
      expectKeystoneRefusal(
        await app.call('POST', '/v1/nodes', { body: { driver: 'fake-hardware' }, headers: { 'X-Roles': 'admin', 'X-User-Id': 'x', 'X-Identity-Status': 'Confirmed' } }),
      );
      // A bearer token is not a Keystone token.
      expectKeystoneRefusal(await app.call('GET', '/v1/volume/connectors', { headers: { Authorization: `Bearer ${tokens.systemAdmin}` } }));
      expect(await app.rows('SELECT id FROM nodes')).toEqual([]);
    });

    it.each(['/', '/v1', '/v1/', '/healthz', '/readyz', '/openapi.json'])('keeps %s public', async (path) => {
      expect((await app.call('GET', path)).status).toBe(200);
    });

    it('takes a system-scoped token and a project-scoped one, each for what its roles allow', async () => {
      const sys = withHeaders(app, { 'X-Auth-Token': tokens.systemAdmin });
      const node = await createNode(sys, { power: 'power off', body: { owner: projects.p1 } });
      expect((await sys.call('GET', `/v1/nodes/${node.uuid}`)).status).toBe(200);
      const p1 = withHeaders(app, { 'X-Auth-Token': tokens.p1Reader });
      expect((await p1.call('GET', `/v1/nodes/${node.uuid}`)).status).toBe(200);
      expectDenied(await p1.call('POST', '/v1/nodes', { body: { driver: 'fake-hardware' } }), 'baremetal:node:create');
    });

    it('refuses a domain-scoped token everything (neither system nor project)', async () => {
      await admin.user(`domainAdmin-${RUN}`, PASSWORD, [{ role: 'admin', domain: true }]);
      const domainToken = await passwordToken(`domainAdmin-${RUN}`, PASSWORD, { domain: 'Default' });
      expectDenied(await withHeaders(app, { 'X-Auth-Token': domainToken }).call('GET', '/v1/volume/connectors'), 'baremetal:volume:list_all');
    });
  });

  describe('applies Ironic 2023.1\'s volume policy to Keystone identities', () => {
    const app = useTestApp('sqlite', { auth: keystoneConfig() });
    const as = (persona: Persona) => withHeaders(app, { 'X-Auth-Token': tokens[persona] });
    let own: string;
    let leased: string;
    let foreign: string;
    const body = (node: string) => ({ body: { node_uuid: node, type: 'iqn', connector_id: unique('iqn.ks') } });

    beforeAll(async () => {
      const sys = as('systemAdmin');
      own = (await createNode(sys, { power: 'power off', body: { owner: projects.p1 } })).uuid;
      leased = (await createNode(sys, { power: 'power off', body: { owner: projects.p2, lessee: projects.p1 } })).uuid;
      foreign = (await createNode(sys, { power: 'power off', body: { owner: projects.p2 } })).uuid;
    });

    it('system scope: readers see every node\'s items, members change them', async () => {
      const item = await createConnector(as('systemMember'), foreign);
      const listed = (await as('systemReader').call('GET', '/v1/volume/connectors?limit=1000')).body.connectors.map((c: { uuid: string }) => c.uuid);
      expect(listed).toContain(item.uuid);
      expectDenied(await as('systemReader').call('POST', '/v1/volume/connectors', body(foreign)), 'baremetal:volume:create');
      expectDenied(await as('systemReader').call('DELETE', `/v1/volume/connectors/${item.uuid}`), 'baremetal:volume:delete');
      expect((await as('systemMember').call('DELETE', `/v1/volume/connectors/${item.uuid}`)).status).toBe(204);
    });

    it('project scope: only nodes the project owns or leases, by role', async () => {
      const mine = await createConnector(as('p1Manager'), own);
      const onLease = await createConnector(as('p1Admin'), leased);
      const theirs = await createConnector(as('systemAdmin'), foreign);
      const reader = as('p1Reader');
      const listed = (await reader.call('GET', '/v1/volume/connectors?limit=1000')).body.connectors.map((c: { uuid: string }) => c.uuid);
      expect(listed).toEqual(expect.arrayContaining([mine.uuid, onLease.uuid]));
      expect(listed).not.toContain(theirs.uuid);
      expect((await reader.call('GET', `/v1/volume/connectors/${theirs.uuid}`)).status).toBe(404);
      expectDenied(await reader.call('PATCH', `/v1/volume/connectors/${mine.uuid}`, { body: [{ op: 'add', path: '/extra/k', value: 'v' }] }), 'baremetal:volume:update');

      const member = as('p1Member');
      expect((await member.call('PATCH', `/v1/volume/connectors/${mine.uuid}`, { body: [{ op: 'add', path: '/extra/k', value: 'v' }] })).status).toBe(200);
      expectDenied(await member.call('PATCH', `/v1/volume/connectors/${onLease.uuid}`, { body: [{ op: 'add', path: '/extra/k', value: 'v' }] }), 'baremetal:volume:update');
      expectDenied(await member.call('POST', '/v1/volume/connectors', body(own)), 'baremetal:volume:create');
      expectDenied(await member.call('DELETE', `/v1/volume/connectors/${mine.uuid}`), 'baremetal:volume:delete');

      expectDenied(await as('p1Admin').call('POST', '/v1/volume/connectors', body(foreign)), 'baremetal:volume:create');
      expectDenied(
        await as('p1Admin').call('PATCH', `/v1/volume/connectors/${mine.uuid}`, { body: [{ op: 'replace', path: '/node_uuid', value: foreign }] }),
        'baremetal:volume:update',
      );
      expect((await as('p1Manager').call('DELETE', `/v1/volume/connectors/${mine.uuid}`)).status).toBe(204);
      expect((await as('p1Admin').call('DELETE', `/v1/volume/connectors/${onLease.uuid}`)).status).toBe(204);
    });

    it('the service role in the service project acts on every node', async () => {
      const item = await createConnector(as('service'), foreign);
      expect((await as('service').call('GET', `/v1/volume/connectors/${item.uuid}`)).status).toBe(200);
    });

    it('shows target properties to system readers and admins, masked; others get the redaction notice', async () => {
      const target = await createTarget(as('systemAdmin'), own, { properties: { auth_password: 's3cret', portal: 'p' } });
      for (const persona of ['systemReader', 'p1Admin'] as const) {
        expect((await as(persona).call('GET', `/v1/volume/targets/${target.uuid}`)).body.properties).toEqual({ auth_password: '******', portal: 'p' });
      }
      expect((await as('p1Member').call('GET', `/v1/volume/targets/${target.uuid}`)).body.properties).toEqual({
        redacted_contents: '** Value redacted: Requires permission baremetal:volume:view_target_properties access. Permission denied. **',
      });
    });
  });

  describe('the token cache', () => {
    it('asks Keystone once per token while the cache time lasts, and counts it', async () => {
      const app = await createTestApp('sqlite', { auth: keystoneConfig() });
      try {
        const token = await tokenFor('systemReader');
        const before = (await app.call('GET', '/metrics')).text;
        for (let i = 0; i < 200; i++) expect((await app.call('GET', '/v1/volume/connectors', { headers: { 'X-Auth-Token': token } })).status).toBe(200);
        const after = (await app.call('GET', '/metrics')).text;
        const delta = (labels: string, name = 'ironvol_keystone_token_validations_total') => metric(after, name, labels) - metric(before, name, labels);
        expect(delta('outcome="valid"')).toBe(1);
        expect(delta('result="hit"', 'ironvol_keystone_token_cache_lookups_total')).toBe(199);
        expect(delta('result="miss"', 'ironvol_keystone_token_cache_lookups_total')).toBe(1);
        expect(app.serverErrors).toEqual([]);
      } finally {
        await app.close();
      }
    }, 30000);

    it('refuses a revoked token once the cache time has passed, and at once without a cache', async () => {
      const cached = await createTestApp('sqlite', { auth: keystoneConfig({ cacheSeconds: 3 }) });
      const uncached = await createTestApp('sqlite', { auth: keystoneConfig({ cacheSeconds: 0 }) });
      try {
        const token = await tokenFor('p1Reader');
        const get = (app: TestApp) => app.call('GET', '/v1/volume/connectors', { headers: { 'X-Auth-Token': token } });
        expect((await get(cached)).status).toBe(200);
        expect((await get(uncached)).status).toBe(200);
        await admin.revoke(token);
        expectKeystoneRefusal(await get(uncached));
        expect((await get(cached)).status).toBe(200);
        await new Promise((resolve) => setTimeout(resolve, 3100));
        expectKeystoneRefusal(await get(cached));
      } finally {
        await cached.close();
        await uncached.close();
      }
    }, 30000);
  });

  describe('Keystone out of reach', () => {
    it('answers 503 (not 401, not 500), says so in /readyz, and recovers when Keystone is back', async () => {
      const relay = await Relay.open(KEYSTONE_URL!);
      const app = await createTestApp('sqlite', { auth: keystoneConfig({ authUrl: relay.url.replace(/\/$/, ''), timeoutMs: 2000 }) });
      try {
        const seen = await tokenFor('systemReader');
        const unseen = await tokenFor('p1Reader');
        const get = (token: string) => app.call('GET', '/v1/volume/connectors', { headers: { 'X-Auth-Token': token } });
        expect((await get(seen)).status).toBe(200);
        await relay.down();
        await new Promise((resolve) => setTimeout(resolve, 5100)); // /readyz looks again after 5 s
        const refused = await get(unseen);
        expect(refused.status).toBe(503);
        expect(refused.body).toEqual({ error: { code: 503, title: 'Service Unavailable', message: 'The Keystone service is temporarily unavailable.' } });
        // A token Keystone vouched for within the cache time still works, as with keystonemiddleware's cache.
        expect((await get(seen)).status).toBe(200);
        const ready = await app.call('GET', '/readyz');
        expect(ready.status).toBe(503);
        expect(fault(ready).faultstring).toMatch(/^Not ready: Keystone at .* cannot be reached/);
        await relay.up();
        await new Promise((resolve) => setTimeout(resolve, 5100));
        expect((await get(unseen)).status).toBe(200);
        expect((await app.call('GET', '/readyz')).status).toBe(200);
        expect(app.serverErrors.map((e) => e.split(' -> ')[1].slice(0, 3))).toEqual(['503', '503']);
      } finally {
        await app.close();
        await relay.down();
      }
    }, 60000);
  });
});
