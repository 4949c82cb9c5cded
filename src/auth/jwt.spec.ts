import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, JWTPayload, KeyLike, SignJWT } from 'jose';
import { IronicError } from '../common/errors/ironic-errors';
import type { AuthConfig } from './auth-config';
import { JwtAuthenticator } from './jwt';

type JwtConfig = Extract<AuthConfig, { strategy: 'jwt' }>;

describe(JwtAuthenticator.name, () => {
  let signing: KeyLike;
  let stranger: KeyLike;
  let config: JwtConfig;

  beforeAll(async () => {
    const pair = await generateKeyPair('ES256');
    signing = pair.privateKey;
    stranger = (await generateKeyPair('ES256')).privateKey;
    const jwks = join(mkdtempSync(join(tmpdir(), 'jwks-')), 'jwks.json');
    writeFileSync(jwks, JSON.stringify({ keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256' }] }));
    config = {
      strategy: 'jwt', jwksFile: jwks, jwksUrl: null, issuer: 'https://idp.example', audience: 'ironvol',
      claims: { user: 'sub', roles: 'roles', project: 'project_id' }, clockToleranceSeconds: 0,
      algorithms: ['ES256', 'RS256'],
    };
  });

  const token = (claims: JWTPayload, options: { key?: KeyLike; exp?: string | number; iss?: string; aud?: string } = {}) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .setIssuer(options.iss ?? 'https://idp.example')
      .setAudience(options.aud ?? 'ironvol')
      .setIssuedAt()
      .setExpirationTime(options.exp ?? '5m')
      .sign(options.key ?? signing);

  async function refusal(header: string | undefined, authConfig = config): Promise<IronicError> {
    const error = await new JwtAuthenticator(authConfig).authenticate({ authorization: header }).then(() => null, (e: unknown) => e);
    if (!(error instanceof IronicError)) throw new Error(`expected a refusal, got ${String(error)}`);
    return error;
  }

  it('maps subject, roles and project to an identity, from Authorization: Bearer or X-Auth-Token', async () => {
    const auth = new JwtAuthenticator(config);
    await expect(auth.authenticate({ authorization: `Bearer ${await token({ sub: 'u1', roles: ['Member', 'viewer'], project_id: 'p1' })}` }))
      .resolves.toEqual({ user: 'u1', roles: ['member'], project: 'p1', projectName: 'p1' });
    await expect(auth.authenticate({ 'x-auth-token': await token({ sub: 'ops', roles: 'admin reader' }) }))
      .resolves.toEqual({ user: 'ops', roles: ['admin', 'reader'], project: null, projectName: null });
  });

  it('reads nested claims by dotted path', async () => {
    const auth = new JwtAuthenticator({ ...config, claims: { user: 'preferred_username', roles: 'realm_access.roles', project: 'tenant.id' } });
    const jwt = await token({ sub: 'x', preferred_username: 'dana', realm_access: { roles: ['reader'] }, tenant: { id: 'p9' } });
    await expect(auth.authenticate({ authorization: `bearer ${jwt}` })).resolves.toEqual({ user: 'dana', roles: ['reader'], project: 'p9', projectName: 'p9' });
  });

  it.each([
    ['an expired token', () => token({ sub: 'u' }, { exp: Math.floor(Date.now() / 1000) - 60 }), '"exp" claim timestamp check failed'],
    ['another issuer', () => token({ sub: 'u' }, { iss: 'https://evil.example' }), 'unexpected "iss" claim value'],
    ['another audience', () => token({ sub: 'u' }, { aud: 'nova' }), 'unexpected "aud" claim value'],
    ['a key not in the set', () => token({ sub: 'u' }, { key: stranger }), 'signature verification failed'],
    ['no subject', () => token({ roles: ['admin'] }), 'no "sub" claim'],
    ['a project that is not a string', () => token({ sub: 'u', project_id: 7 }), 'the "project_id" claim is not a project id'],
  ])('refuses %s with 401 and an invalid_token challenge', async (_name, make, message) => {
    const error = await refusal(`Bearer ${await make()}`);
    expect(error.status).toBe(401);
    expect(error.message).toContain(message);
    expect(error.headers['WWW-Authenticate']).toMatch(/^Bearer realm="Baremetal API", error="invalid_token", error_description="[^"]*"$/);
  });

  it('refuses an unsigned token (alg none) and a tampered payload', async () => {
    const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub: 'u', roles: ['admin'], iss: 'https://idp.example', aud: 'ironvol', exp: 9999999999 })).toString('base64url')}.`;
    expect((await refusal(`Bearer ${unsigned}`)).status).toBe(401);
    const [header, , signature] = (await token({ sub: 'u', roles: ['reader'] })).split('.');
    const forged = Buffer.from(JSON.stringify({ sub: 'u', roles: ['admin'], iss: 'https://idp.example', aud: 'ironvol', exp: 9999999999 })).toString('base64url');
    expect((await refusal(`Bearer ${header}.${forged}.${signature}`)).status).toBe(401);
  });

  it('answers a missing header with 401 and a Bearer challenge, other schemes with 400', async () => {
    const missing = await refusal(undefined);
    expect([missing.status, missing.message, missing.headers['WWW-Authenticate']]).toEqual([401, 'Authorization required', 'Bearer realm="Baremetal API"']);
    expect((await refusal('Basic YTpi')).status).toBe(400);
    expect((await refusal('Bearer')).status).toBe(400);
  });
});
