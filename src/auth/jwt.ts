import type { IncomingHttpHeaders } from 'node:http';
import { createLocalJWKSet, createRemoteJWKSet, JSONWebKeySet, JWTPayload, jwtVerify } from 'jose';
import { Unauthorized } from '../common/errors/ironic-errors';
import { credentialsOf } from './authorization-header';
import type { AuthConfig } from './auth-config';
import type { Identity } from '../common/http/identity';
import { isRole, Role } from './identity';
import { WatchedFile } from './watched-file';

type JwtConfig = Extract<AuthConfig, { strategy: 'jwt' }>;
type KeyResolver = ReturnType<typeof createLocalJWKSet>;

const CHALLENGE = 'Bearer realm="Baremetal API"';

/** A claim by name, or by dotted path into nested objects ("realm_access.roles"). */
function claim(payload: JWTPayload, path: string): unknown {
  if (path in payload) return payload[path];
  return path.split('.').reduce<unknown>(
    (value, key) => (value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined),
    payload,
  );
}

/** Roles from a list or a space- or comma-separated string; names that are not ironvol roles are ignored. */
function rolesFrom(value: unknown): Role[] {
  const names = Array.isArray(value) ? value : typeof value === 'string' ? value.split(/[\s,]+/) : [];
  return [...new Set(names.map((name) => String(name).toLowerCase()).filter(isRole))];
}

/**
 * OIDC bearer tokens: the signature against the configured key set (a JWKS
 * file, re-read when it changes, or a JWKS URL, cached and refetched for an
 * unknown key id), then issuer, audience and expiry. Roles and project come
 * from configurable claims; a token without the project claim is system-scoped.
 */
export class JwtAuthenticator {
  private readonly keys: KeyResolver;

  constructor(
    private readonly config: JwtConfig,
    onReloadError: (error: Error) => void = () => undefined,
  ) {
    if (config.jwksUrl) {
      this.keys = createRemoteJWKSet(new URL(config.jwksUrl), { cacheMaxAge: 10 * 60_000, cooldownDuration: 30_000 });
    } else {
      const file = new WatchedFile(
        config.jwksFile!,
        (text) => createLocalJWKSet(JSON.parse(text) as JSONWebKeySet),
        onReloadError,
      );
      this.keys = (header, token) => file.current()(header, token);
    }
  }

  /**
   * The token comes as `Authorization: Bearer <jwt>`, or as `X-Auth-Token:
   * <jwt>`, which is how OpenStack clients send a token they were given
   * (`baremetal --os-auth-type admin_token --os-token …`).
   */
  async authenticate(headers: IncomingHttpHeaders): Promise<Identity> {
    const token = bearerToken(headers);
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.keys, {
        issuer: this.config.issuer,
        audience: this.config.audience,
        algorithms: this.config.algorithms,
        clockTolerance: this.config.clockToleranceSeconds,
        requiredClaims: ['exp'],
      }));
    } catch (error) {
      throw this.rejected(`Invalid bearer token: ${(error as Error).message}`);
    }
    const user = claim(payload, this.config.claims.user);
    if (typeof user !== 'string' || !user) throw this.rejected(`Invalid bearer token: no "${this.config.claims.user}" claim`);
    const project = claim(payload, this.config.claims.project);
    if (project !== undefined && project !== null && (typeof project !== 'string' || !project)) {
      throw this.rejected(`Invalid bearer token: the "${this.config.claims.project}" claim is not a project id`);
    }
    const projectId = (project as string | undefined) ?? null;
    // The project claim names the project by one string, both id and name.
    return { user, roles: rolesFrom(claim(payload, this.config.claims.roles)), project: projectId, projectName: projectId };
  }

  private rejected(message: string) {
    const description = message.replace(/["\\]/g, "'");
    return Unauthorized(message, `${CHALLENGE}, error="invalid_token", error_description="${description}"`);
  }
}

function bearerToken(headers: IncomingHttpHeaders): string {
  const header = headers.authorization;
  if (header === undefined) {
    const token = headers['x-auth-token'];
    if (typeof token === 'string' && token.trim()) return token.trim();
    throw Unauthorized('Authorization required', CHALLENGE);
  }
  return credentialsOf(header, 'bearer');
}
