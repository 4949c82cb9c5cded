/**
 * A real Keystone for the keystone tests: ../shared/reference-keystone
 * started by .ci/run (KEYSTONE_URL), administered through its v3 API with
 * the bootstrap admin. Every name a test run creates carries a run suffix.
 */
export const KEYSTONE_URL = process.env.KEYSTONE_URL?.replace(/\/+$/, '');
export const ADMIN_PASSWORD = process.env.KEYSTONE_ADMIN_PASSWORD ?? 'admin-secret';

if (process.env.REQUIRE_KEYSTONE && !KEYSTONE_URL) {
  throw new Error('REQUIRE_KEYSTONE is set but KEYSTONE_URL is not (start ../shared/reference-keystone/start.sh)');
}

export type Scope = { project: string } | { system: true } | { domain: string } | null;

interface Json {
  [key: string]: unknown;
}

async function call(method: string, path: string, token: string | null, body?: unknown, extra: Record<string, string> = {}) {
  const res = await fetch(`${KEYSTONE_URL}${path}`, {
    method,
    headers: { ...(token ? { 'X-Auth-Token': token } : {}), ...(body ? { 'Content-Type': 'application/json' } : {}), ...extra },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as Json, headers: res.headers };
}

/** A token for the user with a password, in the scope given (a project by name in Default, the system, or none). */
export async function passwordToken(user: string, password: string, scope: Scope): Promise<string> {
  const scopes: Json = {};
  if (scope && 'project' in scope) scopes.scope = { project: { name: scope.project, domain: { name: 'Default' } } };
  if (scope && 'system' in scope) scopes.scope = { system: { all: true } };
  if (scope && 'domain' in scope) scopes.scope = { domain: { name: scope.domain } };
  const res = await call('POST', '/auth/tokens', null, {
    auth: { identity: { methods: ['password'], password: { user: { name: user, domain: { name: 'Default' }, password } } }, ...scopes },
  });
  if (res.status !== 201) throw new Error(`Keystone refused ${user}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.headers.get('x-subject-token')!;
}

/** The bootstrap admin, system-scoped, for administering Keystone. */
export class KeystoneAdmin {
  private constructor(private readonly token: string) {}

  static async connect(): Promise<KeystoneAdmin> {
    return new KeystoneAdmin(await passwordToken('admin', ADMIN_PASSWORD, { project: 'admin' }));
  }

  private async find(collection: string, name: string): Promise<string | null> {
    const res = await call('GET', `/${collection}?name=${encodeURIComponent(name)}`, this.token);
    const items = res.body[collection] as { id: string }[];
    return items[0]?.id ?? null;
  }

  private async ensure(collection: string, singular: string, name: string, fields: Json = {}): Promise<string> {
    const found = await this.find(collection, name);
    if (found) return found;
    const res = await call('POST', `/${collection}`, this.token, { [singular]: { name, ...fields } });
    if (res.status !== 201) throw new Error(`cannot create ${singular} ${name}: ${res.status} ${JSON.stringify(res.body)}`);
    return (res.body[singular] as { id: string }).id;
  }

  role(name: string): Promise<string> {
    return this.ensure('roles', 'role', name);
  }

  project(name: string): Promise<string> {
    return this.ensure('projects', 'project', name, { domain_id: 'default' });
  }

  /** A user with the password, holding each role on its project (or on the system, or the Default domain). */
  async user(name: string, password: string, grants: { role: string; project?: string; system?: true; domain?: true }[]): Promise<string> {
    const id = await this.ensure('users', 'user', name, { domain_id: 'default', password });
    for (const grant of grants) {
      const role = await this.role(grant.role);
      const path = grant.system
        ? `/system/users/${id}/roles/${role}`
        : grant.domain
          ? `/domains/default/users/${id}/roles/${role}`
          : `/projects/${await this.project(grant.project!)}/users/${id}/roles/${role}`;
      const res = await call('PUT', path, this.token);
      if (res.status !== 204) throw new Error(`cannot grant ${grant.role} to ${name}: ${res.status}`);
    }
    return id;
  }

  async revoke(token: string): Promise<void> {
    const res = await call('DELETE', '/auth/tokens', this.token, undefined, { 'X-Subject-Token': token });
    if (res.status !== 204) throw new Error(`cannot revoke a token: ${res.status}`);
  }

  /** Points the catalog's baremetal service at the URL (all three interfaces), replacing older endpoints. */
  async catalogBaremetal(url: string): Promise<void> {
    let service = (await call('GET', '/services?type=baremetal', this.token)).body.services as { id: string }[];
    if (!service.length) {
      const res = await call('POST', '/services', this.token, { service: { type: 'baremetal', name: 'ironic', enabled: true } });
      service = [res.body.service as { id: string }];
    }
    const endpoints = (await call('GET', `/endpoints?service_id=${service[0].id}`, this.token)).body.endpoints as { id: string }[];
    for (const endpoint of endpoints) await call('DELETE', `/endpoints/${endpoint.id}`, this.token);
    for (const iface of ['public', 'internal', 'admin']) {
      const res = await call('POST', '/endpoints', this.token, { endpoint: { service_id: service[0].id, interface: iface, url, region_id: 'RegionOne' } });
      if (res.status !== 201) throw new Error(`cannot add the ${iface} endpoint: ${res.status}`);
    }
  }
}
