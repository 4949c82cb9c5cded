import fc from 'fast-check';
import type { KeystoneConfig } from '../auth-config';
import { KeystoneAuthenticator, identityOf } from './keystone.authenticator';
import { KeystoneClient, KeystoneUnreachable } from './keystone-client';
import { TokenCache } from './token-cache';

const CONFIG: KeystoneConfig = {
  strategy: 'keystone', authUrl: 'http://keystone.test/v3', username: 'ironic', password: 'pw', projectName: 'service',
  userDomainName: 'Default', projectDomainName: 'Default', wwwAuthenticateUri: 'http://keystone.test/v3',
  cacheSeconds: 300, cacheSize: 100, timeoutMs: 1000,
};

const HOUR = 3_600_000;

/**
 * A Keystone in memory, speaking the two calls ironvol makes: it issues
 * service tokens for ironic/pw, knows some user tokens, and can be told to
 * refuse service tokens it issued, or to fail.
 */
class FakeKeystone {
  now = Date.parse('2026-11-30T12:00:00Z');
  readonly users = new Map<string, object>();
  readonly serviceTokens = new Set<string>();
  logins = 0;
  validations = 0;
  failing: Error | number | null = null;

  readonly fetch = (async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = String(input);
    const headers = new Headers(init?.headers);
    if (this.failing instanceof Error) throw this.failing;
    if (typeof this.failing === 'number') return new Response('{}', { status: this.failing });
    if (init?.method === 'POST' && url.startsWith(`${CONFIG.authUrl}/auth/tokens`)) {
      const body = JSON.parse(String(init.body));
      if (body.auth.identity.password.user.password !== 'pw') return new Response('{}', { status: 401 });
      const token = `service-${++this.logins}`;
      this.serviceTokens.add(token);
      return new Response(JSON.stringify({ token: { expires_at: new Date(this.now + HOUR).toISOString() } }), {
        status: 201, headers: { 'X-Subject-Token': token },
      });
    }
    if (init?.method === 'GET' && url === `${CONFIG.authUrl}/auth/tokens?nocatalog`) {
      this.validations++;
      if (!this.serviceTokens.has(headers.get('x-auth-token') ?? '')) return new Response('{}', { status: 401 });
      const token = this.users.get(headers.get('x-subject-token') ?? '');
      return token ? new Response(JSON.stringify({ token }), { status: 200 }) : new Response('{}', { status: 404 });
    }
    return new Response('{}', { status: 200 });
  }) as typeof fetch;

  userToken(value: string, token: Partial<{ expires_at: string; project: object; system: object; roles: object[] }> = {}) {
    this.users.set(value, {
      expires_at: new Date(this.now + HOUR).toISOString(),
      user: { id: 'u1', name: 'alice' },
      roles: [{ name: 'Member' }, { name: 'reader' }],
      project: { id: 'p1', name: 'demo' },
      ...token,
    });
  }
}

function setUp(config: Partial<KeystoneConfig> = {}) {
  const keystone = new FakeKeystone();
  const warnings: unknown[] = [];
  const merged = { ...CONFIG, ...config };
  const client = new KeystoneClient(merged, keystone.fetch, () => keystone.now);
  const auth = new KeystoneAuthenticator(merged, { warn: (...args: unknown[]) => warnings.push(args) } as never, client, () => keystone.now);
  return { keystone, auth, warnings };
}

describe('KeystoneAuthenticator', () => {
  it('maps a project token to the identity, role names in lower case', async () => {
    const { keystone, auth } = setUp();
    keystone.userToken('t1');
    await expect(auth.authenticate({ 'x-auth-token': 't1' })).resolves.toEqual({
      user: 'u1', userName: 'alice', roles: ['member', 'reader'], project: 'p1', projectName: 'demo',
    });
  });

  it('maps system scope to no project, and gives domain-scoped and unscoped tokens no roles', () => {
    const base = { expires_at: '2030-01-01T00:00:00Z', user: { id: 'u' }, roles: [{ name: 'admin' }] };
    expect(identityOf({ ...base, system: { all: true } })).toMatchObject({ project: null, roles: ['admin'] });
    expect(identityOf({ ...base, domain: { id: 'default' } })).toMatchObject({ project: null, roles: [] });
    expect(identityOf(base)).toMatchObject({ project: null, roles: [] });
  });

  it('refuses a missing, malformed or unknown token with 401 and the Keystone challenge', async () => {
    const { auth, keystone } = setUp();
    for (const headers of [{}, { 'x-auth-token': '' }, { 'x-auth-token': 'a b' }, { 'x-auth-token': 'é' }, { 'x-auth-token': 'unknown' }]) {
      await expect(auth.authenticate(headers)).rejects.toMatchObject({
        status: 401, headers: { 'WWW-Authenticate': 'Keystone uri="http://keystone.test/v3"' },
      });
    }
    // Only the well-formed unknown token was worth asking Keystone about.
    expect(keystone.validations).toBe(1);
  });

  it('asks Keystone once per token within the cache time, and once for concurrent requests', async () => {
    const { auth, keystone } = setUp();
    keystone.userToken('t1');
    await Promise.all(Array.from({ length: 20 }, () => auth.authenticate({ 'x-auth-token': 't1' })));
    await auth.authenticate({ 'x-auth-token': 't1' });
    expect(keystone.validations).toBe(1);
    keystone.now += 301_000;
    await auth.authenticate({ 'x-auth-token': 't1' });
    expect(keystone.validations).toBe(2);
  });

  it('refuses an expired token even while Keystone\'s answer is cached', async () => {
    const { auth, keystone } = setUp();
    keystone.userToken('short', { expires_at: new Date(keystone.now + 60_000).toISOString() });
    await auth.authenticate({ 'x-auth-token': 'short' });
    keystone.now += 61_000;
    await expect(auth.authenticate({ 'x-auth-token': 'short' })).rejects.toMatchObject({ status: 401 });
    expect(keystone.validations).toBe(1);
  });

  it('asks Keystone every time with a cache time of 0', async () => {
    const { auth, keystone } = setUp({ cacheSeconds: 0 });
    keystone.userToken('t1');
    for (let i = 0; i < 3; i++) await auth.authenticate({ 'x-auth-token': 't1' });
    expect(keystone.validations).toBe(3);
  });

  it('logs in again when Keystone refuses its own token, and before that token expires', async () => {
    const { auth, keystone } = setUp({ cacheSeconds: 0 });
    keystone.userToken('t1');
    await auth.authenticate({ 'x-auth-token': 't1' });
    expect(keystone.logins).toBe(1);
    keystone.serviceTokens.clear(); // revoked behind ironvol's back
    await auth.authenticate({ 'x-auth-token': 't1' });
    expect(keystone.logins).toBe(2);
    keystone.now += HOUR - 30_000; // within a minute of its expiry
    await auth.authenticate({ 'x-auth-token': 't1' });
    expect(keystone.logins).toBe(3);
  });

  it.each([
    ['unreachable', new TypeError('fetch failed')],
    ['failing', 500],
    ['refusing ironvol\'s credentials', 401],
    ['forbidding validation', 403],
  ])('answers 503, not 401, when Keystone is %s', async (_case, failure) => {
    const { auth, keystone, warnings } = setUp();
    keystone.userToken('t1');
    keystone.failing = failure;
    await expect(auth.authenticate({ 'x-auth-token': 't1' })).rejects.toMatchObject({ status: 503, message: 'The Keystone service is temporarily unavailable.' });
    expect(warnings).toHaveLength(1);
    expect(JSON.stringify(warnings)).not.toContain('t1');
    keystone.failing = null;
    await expect(auth.authenticate({ 'x-auth-token': 't1' })).resolves.toMatchObject({ user: 'u1' });
  });

  it('tells /readyz when Keystone cannot be reached', async () => {
    const { auth, keystone } = setUp();
    await expect(auth.readiness()).resolves.toBeNull();
    keystone.failing = new TypeError('fetch failed');
    keystone.now += 6_000;
    await expect(auth.readiness()).resolves.toMatch(/^Keystone at http:\/\/keystone\.test\/v3 cannot be reached/);
  });
});

describe('KeystoneClient', () => {
  it('reports a login answer without a token as Keystone not working', async () => {
    const broken = (async () => new Response('{"token": {}}', { status: 201 })) as unknown as typeof fetch;
    await expect(new KeystoneClient(CONFIG, broken).validate('t')).rejects.toBeInstanceOf(KeystoneUnreachable);
  });
});

describe('TokenCache', () => {
  it('never holds more than its bound, and keys by a digest, never the token', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ minLength: 1, maxLength: 20 }), { maxLength: 200 }), fc.integer({ min: 1, max: 20 }), (tokens, bound) => {
        const cache = new TokenCache<string>(60_000, bound, () => 0);
        for (const token of tokens) cache.setValid(TokenCache.key(token), token, 1_000);
        expect(cache.size).toBeLessThanOrEqual(bound);
        const last = tokens.at(-1);
        if (last !== undefined) expect(cache.get(TokenCache.key(last))).toBe(last);
        for (const token of tokens) expect(TokenCache.key(token)).not.toContain(token.length > 3 ? token : '\u0000');
      }),
    );
  });

  it('drops the least recently used first', () => {
    const cache = new TokenCache<string>(60_000, 2, () => 0);
    cache.setValid('a', 'A', 10);
    cache.setValid('b', 'B', 10);
    cache.get('a');
    cache.setValid('c', 'C', 10);
    expect([cache.get('a'), cache.get('b'), cache.get('c')]).toEqual(['A', undefined, 'C']);
  });

  it('remembers an invalid token as invalid for the cache time', () => {
    let now = 0;
    const cache = new TokenCache<string>(1_000, 10, () => now);
    cache.setInvalid('x');
    expect(cache.get('x')).toBeNull();
    now = 1_000;
    expect(cache.get('x')).toBeUndefined();
  });
});
