import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, Server, Socket, connect } from 'node:net';
import type { KeystoneConfig } from '../src/auth/auth-config';
import type { PolicyName } from '../src/auth/policy';
import { withHeaders } from './support/auth';
import { KEYSTONE_URL, KeystoneAdmin, passwordToken, Scope } from './support/keystone';
import { createConnector, createNode, createTarget, unique } from './support/fixtures';
import { client, ensureBuilt, ServiceProcess, startService } from './support/service-process';
import { createTestApp, fault, TestApp, useTestApp } from './support/test-app';

const hasClients = spawnSync('sh', ['-c', 'command -v baremetal']).status === 0 && spawnSync('/usr/bin/python3', ['-c', 'import openstack']).status === 0;

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

  (hasClients ? describe : describe.skip)('the real clients, logging in to Keystone with a password', () => {
    let service: ServiceProcess;
    let node: string;
    const env = (persona: Persona): Record<string, string> => {
      const scope: Record<string, string> = PERSONAS[persona].scope === 'system' ? { OS_SYSTEM_SCOPE: 'all' } : { OS_PROJECT_NAME: PERSONAS[persona].scope, OS_PROJECT_DOMAIN_NAME: 'Default' };
      return {
        PATH: process.env.PATH!, HOME: tmpdir(), OS_AUTH_URL: KEYSTONE_URL!, OS_USERNAME: `${persona}-${RUN}`, OS_PASSWORD: PASSWORD,
        OS_USER_DOMAIN_NAME: 'Default', OS_REGION_NAME: 'RegionOne', OS_IDENTITY_API_VERSION: '3', ...scope,
      };
    };
    /**
     * The CLI as one persona. The reference Keystone (uwsgi's plain HTTP socket)
     * closes kept-alive connections, which keystoneauth now and then reuses and
     * reports as "Unable to establish connection"; such a run is tried again.
     */
    const baremetal = (persona: Persona, ...args: string[]) => baremetalWith(env(persona), ...args);
    const baremetalWith = (environment: Record<string, string>, ...args: string[]) => {
      for (let attempt = 1; ; attempt++) {
        const run = spawnSync('baremetal', ['--max-retries', '0', ...args], { encoding: 'utf8', timeout: 60000, env: environment });
        const out = `${run.stdout}${run.stderr}`;
        if (attempt < 3 && /Unable to establish connection to http:\/\/127\.0\.0\.1:\d+\/v3/.test(out)) continue;
        return { code: run.status, out };
      }
    };

    beforeAll(async () => {
      ensureBuilt();
      const dir = mkdtempSync(join(tmpdir(), 'ironvol-keystone-'));
      service = await startService({
        DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`, LOG_LEVEL: 'info', AUTH_STRATEGY: 'keystone',
        KEYSTONE_AUTH_URL: KEYSTONE_URL!, KEYSTONE_USERNAME: SERVICE_USER, KEYSTONE_PASSWORD: PASSWORD, KEYSTONE_PROJECT_NAME: 'service',
      });
      // As in a cloud: the clients find ironvol in Keystone's catalog, under the baremetal service.
      await admin.catalogBaremetal(service.url);
      const api = client(service.url);
      const system = await tokenFor('systemAdmin');
      const created = await fetch(`${service.url}/v1/nodes`, {
        method: 'POST',
        headers: { 'X-Auth-Token': system, 'Content-Type': 'application/json', 'X-OpenStack-Ironic-API-Version': '1.65' },
        body: JSON.stringify({ driver: 'fake-hardware', name: `ks-${RUN}`, owner: projects.p1 }),
      });
      expect(created.status).toBe(201);
      node = ((await created.json()) as { uuid: string }).uuid;
      expect((await api('GET', '/v1/nodes')).status).toBe(401);
    }, 120000);
    afterAll(async () => {
      await service?.stop();
    });

    it('runs the volume session with the baremetal CLI as a project manager, refuses a reader, lists all as the system', () => {
      expect(baremetal('systemAdmin', 'node', 'power', 'off', node).code).toBe(0);
      const created = baremetal('p1Manager', 'volume', 'connector', 'create', '--node', node, '--type', 'iqn', '--connector-id', `iqn.cli:${RUN}`, '-f', 'value', '-c', 'connector_id');
      expect(created).toEqual({ code: 0, out: `iqn.cli:${RUN}\n` });
      expect(baremetal('p1Reader', 'volume', 'connector', 'list', '-f', 'value', '-c', 'Connector ID').out).toBe(`iqn.cli:${RUN}\n`);
      const refused = baremetal('p1Reader', 'volume', 'connector', 'create', '--node', node, '--type', 'iqn', '--connector-id', 'iqn.cli:x');
      expect(refused.code).toBe(1);
      expect(refused.out).toMatch(/Access was denied to the following resource: baremetal:volume:create \(HTTP 403\)/);
      expect(baremetal('systemReader', 'volume', 'connector', 'list', '--node', node, '-f', 'value', '-c', 'Connector ID').out).toBe(`iqn.cli:${RUN}\n`);
      const uuid = baremetal('p1Manager', 'volume', 'connector', 'list', '-f', 'value', '-c', 'UUID').out.trim();
      expect(baremetal('p1Manager', 'volume', 'connector', 'delete', uuid).out).toMatch(/Deleted volume connector/);
    }, 180000);

    it('has Keystone refuse a wrong password before ironvol is reached', () => {
      const run = baremetalWith({ ...env('p1Reader'), OS_PASSWORD: 'wrong' }, 'volume', 'connector', 'list');
      expect(run.code).toBe(1);
      expect(run.out).toMatch(/The request you have made requires authentication\. \(HTTP 401\)/);
    }, 60000);

    it('runs an openstacksdk session through the catalog', () => {
      const out = execFileSync('/usr/bin/python3', [join(__dirname, 'clients', 'sdk-keystone-session.py'), KEYSTONE_URL!, `p1Admin-${RUN}`, PASSWORD, P1, node], {
        encoding: 'utf8', timeout: 120000,
      });
      expect(out).toContain(`endpoint ${service.url}`);
      expect(out).toContain('connector iqn iqn.sdk-keystone:1');
      expect(out).toContain("target iscsi {'auth_password': '******'}");
      expect(out).toContain("updated {'k': 'v'}");
      expect(out).toContain('cleaned up');
    }, 180000);

    it('audits changes by Keystone user and project, and logs no token', async () => {
      expect(await service.stop()).toBe(0); // the log is complete once the process has exited
      const output = service.output();
      const audits = output.split('\n').filter((l) => l.includes('"msg":"audit"')).map((l) => JSON.parse(l));
      expect(audits).toContainEqual(expect.objectContaining({ user_name: `p1Manager-${RUN}`, project: projects.p1, project_name: P1, result: 'done', status: 201 }));
      expect(audits).toContainEqual(expect.objectContaining({ user_name: `p1Reader-${RUN}`, project: projects.p1, result: 'refused', status: 403 }));
      // Fernet tokens start with gAAAAA; none may reach a log line.
      expect(output).not.toMatch(/gAAAAA/);
      expect(output).not.toContain(PASSWORD);
    });
  });
});
