import { readFileSync } from 'node:fs';
import { boolean, ConfigError, Env, integer, secret } from '../config/env';
import { parseHtpasswd, parseRoleMap, RoleMap } from './http-basic';

/** The authentication section, for injection. */
export const AUTH_CONFIG = Symbol('AUTH_CONFIG');
/** The rate limit section (null when off), for injection. */
export const RATE_LIMIT_CONFIG = Symbol('RATE_LIMIT_CONFIG');

export type AuthConfig =
  | { strategy: 'noauth' }
  | {
      strategy: 'http_basic';
      /** Apache htpasswd file with bcrypt entries, read again when it changes. */
      userFile: string;
      /** Roles and project per user; without it every user is a system administrator, as in Ironic. */
      roles: RoleMap | null;
    }
  | {
      strategy: 'jwt';
      jwksFile: string | null;
      jwksUrl: string | null;
      issuer: string;
      audience: string;
      /** Claim names (dotted paths into nested objects) for the user, roles and project. */
      claims: { user: string; roles: string; project: string };
      clockToleranceSeconds: number;
      algorithms: string[];
    }
  | KeystoneConfig;

/** AUTH_STRATEGY=keystone: tokens validated with Keystone, as keystonemiddleware does in front of Ironic. */
export interface KeystoneConfig {
  strategy: 'keystone';
  /** Keystone's v3 endpoint, e.g. http://keystone:5000/v3. */
  authUrl: string;
  /** ironvol's own credentials, used to validate callers' tokens. */
  username: string;
  password: string;
  projectName: string;
  userDomainName: string;
  projectDomainName: string;
  /** Where a 401 tells clients to get a token (WWW-Authenticate: Keystone uri="..."). */
  wwwAuthenticateUri: string;
  /** How long a validated token is trusted without asking Keystone again (0: ask every time). */
  cacheSeconds: number;
  /** How many validated tokens are kept at most. */
  cacheSize: number;
  /** How long one call to Keystone may take. */
  timeoutMs: number;
}

export interface RateLimitConfig {
  /** Requests per second each client address may sustain. */
  perSecond: number;
  /** Requests a client may send at once before the rate applies. */
  burst: number;
}

const STRATEGIES = ['noauth', 'http_basic', 'jwt', 'keystone'] as const;
const DEFAULT_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];
const LOOPBACK = /^(localhost|::1|(::ffff:)?127(\.\d{1,3}){3})$/i;

export function isLoopback(host: string): boolean {
  return LOOPBACK.test(host.replace(/^\[|\]$/g, ''));
}

function required(env: Env, name: string, why: string): string {
  const value = env[name]?.trim();
  if (!value) throw new ConfigError(name, `must be set ${why}`);
  return value;
}

function readConfigFile(variable: string, path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(variable, `names a file that cannot be read (${(error as Error).message})`);
  }
}

function checked<T>(variable: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(variable, `names a file that is not valid: ${(error as Error).message}`);
  }
}

export function loadAuthConfig(env: Env, host: string): AuthConfig {
  const strategy = (env.AUTH_STRATEGY?.trim().toLowerCase() || 'noauth') as AuthConfig['strategy'];
  if (!STRATEGIES.includes(strategy)) {
    throw new ConfigError('AUTH_STRATEGY', `must be one of ${STRATEGIES.join(', ')} (got "${env.AUTH_STRATEGY}")`);
  }
  if (strategy === 'noauth') {
    if (!isLoopback(host) && !boolean(env, 'ALLOW_INSECURE_NOAUTH', false)) {
      throw new ConfigError(
        'AUTH_STRATEGY',
        `is noauth (every caller is an administrator), which is allowed only on a loopback HOST, and HOST is "${host}". ` +
          'Set AUTH_STRATEGY=keystone, http_basic or jwt, or ALLOW_INSECURE_NOAUTH=true if something in front of the service authenticates callers.',
      );
    }
    return { strategy };
  }
  if (strategy === 'http_basic') {
    const userFile = required(env, 'HTTP_BASIC_AUTH_USER_FILE', 'when AUTH_STRATEGY is http_basic');
    checked('HTTP_BASIC_AUTH_USER_FILE', () => parseHtpasswd(readConfigFile('HTTP_BASIC_AUTH_USER_FILE', userFile)));
    const rolesFile = env.HTTP_BASIC_AUTH_ROLES_FILE?.trim();
    const roles = rolesFile
      ? checked('HTTP_BASIC_AUTH_ROLES_FILE', () => parseRoleMap(readConfigFile('HTTP_BASIC_AUTH_ROLES_FILE', rolesFile)))
      : null;
    return { strategy, userFile, roles };
  }
  if (strategy === 'keystone') return loadKeystoneConfig(env);
  const jwksFile = env.JWT_JWKS_FILE?.trim() || null;
  const jwksUrl = env.JWT_JWKS_URL?.trim() || null;
  if (!jwksFile === !jwksUrl) throw new ConfigError('JWT_JWKS_FILE', 'or JWT_JWKS_URL (exactly one) must be set when AUTH_STRATEGY is jwt');
  if (jwksFile) {
    checked('JWT_JWKS_FILE', () => {
      const keys = (JSON.parse(readConfigFile('JWT_JWKS_FILE', jwksFile)) as { keys?: unknown }).keys;
      if (!Array.isArray(keys) || keys.length === 0) throw new Error('expected a JSON Web Key Set ({"keys": [...]}) with at least one key');
    });
  }
  if (jwksUrl && !/^https?:\/\//.test(jwksUrl)) throw new ConfigError('JWT_JWKS_URL', `must be an http(s) URL (got "${jwksUrl}")`);
  const algorithms = (env.JWT_ALGORITHMS?.trim() || DEFAULT_ALGORITHMS.join(',')).split(',').map((a) => a.trim());
  const symmetric = algorithms.find((a) => !DEFAULT_ALGORITHMS.includes(a));
  if (symmetric) throw new ConfigError('JWT_ALGORITHMS', `may name only asymmetric algorithms (${DEFAULT_ALGORITHMS.join(', ')}); got "${symmetric}"`);
  return {
    strategy,
    jwksFile,
    jwksUrl,
    issuer: required(env, 'JWT_ISSUER', 'when AUTH_STRATEGY is jwt'),
    audience: required(env, 'JWT_AUDIENCE', 'when AUTH_STRATEGY is jwt'),
    claims: {
      user: env.JWT_USER_CLAIM?.trim() || 'sub',
      roles: env.JWT_ROLES_CLAIM?.trim() || 'roles',
      project: env.JWT_PROJECT_CLAIM?.trim() || 'project_id',
    },
    clockToleranceSeconds: integer(env, 'JWT_CLOCK_TOLERANCE_SECONDS', 30, 0, 600),
    algorithms,
  };
}

function loadKeystoneConfig(env: Env): KeystoneConfig {
  const why = 'when AUTH_STRATEGY is keystone';
  const authUrl = required(env, 'KEYSTONE_AUTH_URL', why).replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]/.test(authUrl)) throw new ConfigError('KEYSTONE_AUTH_URL', `must be an http(s) URL (got "${authUrl}")`);
  const password = secret(env, 'KEYSTONE_PASSWORD');
  if (!password) throw new ConfigError('KEYSTONE_PASSWORD', `or KEYSTONE_PASSWORD_FILE must be set ${why}`);
  const wwwAuthenticateUri = env.KEYSTONE_WWW_AUTHENTICATE_URI?.trim() || authUrl;
  if (!/^https?:\/\/[^/"]+[^"]*$/.test(wwwAuthenticateUri)) {
    throw new ConfigError('KEYSTONE_WWW_AUTHENTICATE_URI', `must be an http(s) URL (got "${wwwAuthenticateUri}")`);
  }
  return {
    strategy: 'keystone',
    authUrl,
    username: required(env, 'KEYSTONE_USERNAME', why),
    password,
    projectName: required(env, 'KEYSTONE_PROJECT_NAME', why),
    userDomainName: env.KEYSTONE_USER_DOMAIN_NAME?.trim() || 'Default',
    projectDomainName: env.KEYSTONE_PROJECT_DOMAIN_NAME?.trim() || 'Default',
    wwwAuthenticateUri,
    cacheSeconds: integer(env, 'KEYSTONE_TOKEN_CACHE_SECONDS', 300, 0, 86_400),
    cacheSize: integer(env, 'KEYSTONE_TOKEN_CACHE_SIZE', 10_000, 1, 1_000_000),
    timeoutMs: integer(env, 'KEYSTONE_TIMEOUT_SECONDS', 10, 1, 300) * 1000,
  };
}

export function loadRateLimit(env: Env): RateLimitConfig | null {
  const perSecond = integer(env, 'RATE_LIMIT_PER_SECOND', 0, 0, 1_000_000);
  if (perSecond === 0) return null;
  return { perSecond, burst: integer(env, 'RATE_LIMIT_BURST', perSecond * 2, 1, 10_000_000) };
}
