import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { loadConfig } from '../app.config';
import { isLoopback } from './auth-config';

const dir = mkdtempSync(join(tmpdir(), 'auth-config-'));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const KEYSTONE = {
  AUTH_STRATEGY: 'keystone', KEYSTONE_AUTH_URL: 'http://keystone:5000/v3', KEYSTONE_USERNAME: 'ironic',
  KEYSTONE_PASSWORD: 'pw', KEYSTONE_PROJECT_NAME: 'service',
};
const htpasswd = file('htpasswd', `alice:${bcrypt.hashSync('secret', 4)}\n`);

describe('auth configuration', () => {
  it.each(['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]', '::ffff:127.0.0.1'])('counts %s as loopback', (host) => {
    expect(isLoopback(host)).toBe(true);
  });

  it.each(['0.0.0.0', '::', '10.0.0.1', '128.0.0.1', 'example.com', '127.0.0.1.example.com'])('does not count %s as loopback', (host) => {
    expect(isLoopback(host)).toBe(false);
  });

  it('refuses noauth on a non-loopback address, and says why and what to do', () => {
    expect(() => loadConfig({ HOST: '0.0.0.0' })).toThrow(
      /AUTH_STRATEGY is noauth \(every caller is an administrator\), which is allowed only on a loopback HOST, and HOST is "0\.0\.0\.0"\. Set AUTH_STRATEGY=keystone, http_basic or jwt, or ALLOW_INSECURE_NOAUTH=true/,
    );
  });

  it('allows noauth anywhere when ALLOW_INSECURE_NOAUTH=true', () => {
    expect(loadConfig({ HOST: '0.0.0.0', ALLOW_INSECURE_NOAUTH: 'true' }).auth).toEqual({ strategy: 'noauth' });
  });

  it('reads http_basic with an optional role map', () => {
    const roles = file('roles.json', JSON.stringify({ alice: { roles: ['member'], project: 'p1' }, root: { roles: ['admin'] } }));
    const config = loadConfig({ HOST: '0.0.0.0', AUTH_STRATEGY: 'http_basic', HTTP_BASIC_AUTH_USER_FILE: htpasswd, HTTP_BASIC_AUTH_ROLES_FILE: roles });
    expect(config.auth).toMatchObject({ strategy: 'http_basic', userFile: htpasswd });
    if (config.auth.strategy !== 'http_basic') throw new Error('unreachable');
    expect(config.auth.roles?.get('alice')).toEqual({ roles: ['member'], project: 'p1' });
    expect(config.auth.roles?.get('root')).toEqual({ roles: ['admin'], project: null });
  });

  it('reads jwt with defaults for the claims', () => {
    const jwks = file('jwks.json', JSON.stringify({ keys: [{ kty: 'OKP', crv: 'Ed25519', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' }] }));
    expect(loadConfig({ AUTH_STRATEGY: 'jwt', JWT_JWKS_FILE: jwks, JWT_ISSUER: 'https://idp', JWT_AUDIENCE: 'ironvol' }).auth).toMatchObject({
      strategy: 'jwt',
      jwksFile: jwks,
      issuer: 'https://idp',
      audience: 'ironvol',
      claims: { user: 'sub', roles: 'roles', project: 'project_id' },
      clockToleranceSeconds: 30,
    });
  });

  it('reads keystone with Ironic\'s defaults, the password from a file if asked', () => {
    expect(loadConfig({ HOST: '0.0.0.0', ...KEYSTONE, KEYSTONE_AUTH_URL: 'http://keystone:5000/v3/' }).auth).toEqual({
      strategy: 'keystone',
      authUrl: 'http://keystone:5000/v3',
      username: 'ironic',
      password: 'pw',
      projectName: 'service',
      userDomainName: 'Default',
      projectDomainName: 'Default',
      wwwAuthenticateUri: 'http://keystone:5000/v3',
      cacheSeconds: 300,
      cacheSize: 10000,
      timeoutMs: 10000,
    });
    const fromFile = loadConfig({
      ...KEYSTONE, KEYSTONE_PASSWORD: '', KEYSTONE_PASSWORD_FILE: file('ks-password', 'from-file\n'),
      KEYSTONE_WWW_AUTHENTICATE_URI: 'https://keystone.example/identity/v3', KEYSTONE_TOKEN_CACHE_SECONDS: '0',
    }).auth;
    expect(fromFile).toMatchObject({ password: 'from-file', wwwAuthenticateUri: 'https://keystone.example/identity/v3', cacheSeconds: 0 });
  });

  it.each([
    [{ AUTH_STRATEGY: 'ldap' }, 'AUTH_STRATEGY must be one of noauth, http_basic, jwt, keystone (got "ldap")'],
    [{ AUTH_STRATEGY: 'keystone' }, 'KEYSTONE_AUTH_URL must be set when AUTH_STRATEGY is keystone'],
    [{ ...KEYSTONE, KEYSTONE_AUTH_URL: 'keystone:5000' }, 'KEYSTONE_AUTH_URL must be an http(s) URL (got "keystone:5000")'],
    [{ ...KEYSTONE, KEYSTONE_PASSWORD: '' }, 'KEYSTONE_PASSWORD or KEYSTONE_PASSWORD_FILE must be set when AUTH_STRATEGY is keystone'],
    [{ ...KEYSTONE, KEYSTONE_PASSWORD_FILE: '/nonexistent' }, 'KEYSTONE_PASSWORD and KEYSTONE_PASSWORD_FILE are both set'],
    [{ ...KEYSTONE, KEYSTONE_PASSWORD: '', KEYSTONE_PASSWORD_FILE: '/nonexistent' }, 'KEYSTONE_PASSWORD_FILE names a file that cannot be read'],
    [{ ...KEYSTONE, KEYSTONE_USERNAME: ' ' }, 'KEYSTONE_USERNAME must be set when AUTH_STRATEGY is keystone'],
    [{ ...KEYSTONE, KEYSTONE_PROJECT_NAME: '' }, 'KEYSTONE_PROJECT_NAME must be set when AUTH_STRATEGY is keystone'],
    [{ ...KEYSTONE, KEYSTONE_TOKEN_CACHE_SECONDS: '-5' }, 'KEYSTONE_TOKEN_CACHE_SECONDS must be an integer'],
    [{ ...KEYSTONE, KEYSTONE_TOKEN_CACHE_SIZE: '0' }, 'KEYSTONE_TOKEN_CACHE_SIZE must be an integer'],
    [{ ...KEYSTONE, KEYSTONE_WWW_AUTHENTICATE_URI: 'https://a"b' }, 'KEYSTONE_WWW_AUTHENTICATE_URI must be an http(s) URL'],
    [{ AUTH_STRATEGY: 'http_basic' }, 'HTTP_BASIC_AUTH_USER_FILE must be set when AUTH_STRATEGY is http_basic'],
    [{ AUTH_STRATEGY: 'http_basic', HTTP_BASIC_AUTH_USER_FILE: '/nonexistent' }, 'HTTP_BASIC_AUTH_USER_FILE names a file that cannot be read'],
    [{ AUTH_STRATEGY: 'http_basic', HTTP_BASIC_AUTH_USER_FILE: file('md5', 'bob:$apr1$abc$def\n') }, 'only bcrypt digested passwords are supported (htpasswd -B) for bob'],
    [{ AUTH_STRATEGY: 'http_basic', HTTP_BASIC_AUTH_USER_FILE: file('nocolon', 'bob\n') }, 'line 1 is not "user:bcrypt-hash"'],
    [{ AUTH_STRATEGY: 'http_basic', HTTP_BASIC_AUTH_USER_FILE: htpasswd, HTTP_BASIC_AUTH_ROLES_FILE: file('bad.json', '{"a": {"roles": ["root"]}}') }, '"a".roles must be a list of reader, member, manager, admin, service'],
    [{ AUTH_STRATEGY: 'http_basic', HTTP_BASIC_AUTH_USER_FILE: htpasswd, HTTP_BASIC_AUTH_ROLES_FILE: file('notjson', '{') }, 'HTTP_BASIC_AUTH_ROLES_FILE names a file that is not valid'],
    [{ AUTH_STRATEGY: 'jwt', JWT_ISSUER: 'i', JWT_AUDIENCE: 'a' }, 'JWT_JWKS_FILE or JWT_JWKS_URL (exactly one) must be set'],
    [{ AUTH_STRATEGY: 'jwt', JWT_JWKS_FILE: file('empty.json', '{"keys": []}'), JWT_ISSUER: 'i', JWT_AUDIENCE: 'a' }, 'expected a JSON Web Key Set'],
    [{ AUTH_STRATEGY: 'jwt', JWT_JWKS_URL: 'ftp://x', JWT_ISSUER: 'i', JWT_AUDIENCE: 'a' }, 'JWT_JWKS_URL must be an http(s) URL'],
    [{ AUTH_STRATEGY: 'jwt', JWT_JWKS_URL: 'https://idp/jwks', JWT_AUDIENCE: 'a' }, 'JWT_ISSUER must be set when AUTH_STRATEGY is jwt'],
    [{ AUTH_STRATEGY: 'jwt', JWT_JWKS_URL: 'https://idp/jwks', JWT_ISSUER: 'i', JWT_AUDIENCE: 'a', JWT_ALGORITHMS: 'RS256,HS256' }, 'JWT_ALGORITHMS may name only asymmetric algorithms'],
    [{ RATE_LIMIT_PER_SECOND: '-1' }, 'RATE_LIMIT_PER_SECOND must be an integer'],
  ])('refuses %j naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('reads the rate limit, with a burst of twice the rate by default', () => {
    expect(loadConfig({ RATE_LIMIT_PER_SECOND: '50' }).rateLimit).toEqual({ perSecond: 50, burst: 100 });
    expect(loadConfig({ RATE_LIMIT_PER_SECOND: '50', RATE_LIMIT_BURST: '5' }).rateLimit).toEqual({ perSecond: 50, burst: 5 });
  });
});
