import type { IncomingHttpHeaders } from 'node:http';
import type { Logger } from 'pino';
import { KeystoneUnavailable, TokenRequired } from '../../common/errors/ironic-errors';
import { keystoneCacheLookups, keystoneValidations } from '../../observability/metrics';
import type { KeystoneConfig } from '../auth-config';
import type { Identity } from '../../common/http/identity';
import { KeystoneClient, KeystoneToken, KeystoneUnreachable } from './keystone-client';
import { TokenCache } from './token-cache';

/** A Keystone token as a header carries it: printable ASCII, bounded (fernet tokens are ~200 characters). */
const TOKEN_SHAPE = /^[\x21-\x7e]{1,8192}$/;

/** How long /readyz trusts one look at Keystone. */
const PROBE_TTL_MS = 5_000;

/** The identity a token carries: user, project or system scope, and role names (lower case, as oslo.policy compares them). */
export function identityOf(token: KeystoneToken): Identity {
  const roles = [...new Set((token.roles ?? []).map((role) => role.name.toLowerCase()))];
  const user = { user: token.user.id, userName: token.user.name };
  if (token.project) return { ...user, roles, project: token.project.id, projectName: token.project.name ?? null };
  if (token.system?.all) return { ...user, roles, project: null, projectName: null };
  // Domain-scoped and unscoped tokens: neither system nor project scope, so no rule allows them anything.
  return { ...user, roles: [], project: null, projectName: null };
}

/**
 * AUTH_STRATEGY=keystone: the caller's X-Auth-Token, validated by Keystone
 * as keystonemiddleware validates it in front of Ironic. Verdicts are cached
 * (KEYSTONE_TOKEN_CACHE_SECONDS) and concurrent requests with one token share
 * one validation. X-Service-Token is not read: no rule of ironvol's depends
 * on it, and an expired user token is refused with or without it.
 */
export class KeystoneAuthenticator {
  private readonly cache: TokenCache<Identity>;
  private readonly pending = new Map<string, Promise<Identity | null>>();
  private probed: { at: number; problem: Promise<string | null> } | null = null;

  constructor(
    private readonly config: KeystoneConfig,
    private readonly logger: Pick<Logger, 'warn'>,
    private readonly keystone = new KeystoneClient(config),
    private readonly now: () => number = Date.now,
  ) {
    this.cache = new TokenCache(config.cacheSeconds * 1000, config.cacheSize, now);
  }

  async authenticate(headers: IncomingHttpHeaders): Promise<Identity> {
    const token = headers['x-auth-token'];
    if (typeof token !== 'string' || !TOKEN_SHAPE.test(token)) throw TokenRequired(this.config.wwwAuthenticateUri);
    const key = TokenCache.key(token);
    const cached = this.cache.get(key);
    keystoneCacheLookups.inc({ result: cached === undefined ? 'miss' : 'hit' });
    const identity = cached !== undefined ? cached : await this.validateOnce(key, token);
    if (!identity) throw TokenRequired(this.config.wwwAuthenticateUri);
    return identity;
  }

  /** Why Keystone cannot serve requests now, or null when it can (looked at most every few seconds). */
  readiness(): Promise<string | null> {
    if (!this.probed || this.now() - this.probed.at > PROBE_TTL_MS) {
      const problem = this.keystone.probe().then(
        () => null,
        (error: Error) => error.message,
      );
      this.probed = { at: this.now(), problem };
    }
    return this.probed.problem;
  }

  private validateOnce(key: string, token: string): Promise<Identity | null> {
    let pending = this.pending.get(key);
    if (!pending) {
      pending = this.validate(key, token).finally(() => this.pending.delete(key));
      this.pending.set(key, pending);
    }
    return pending;
  }

  private async validate(key: string, token: string): Promise<Identity | null> {
    let details: KeystoneToken | null;
    try {
      details = await this.keystone.validate(token);
    } catch (error) {
      keystoneValidations.inc({ outcome: 'unavailable' });
      if (!(error instanceof KeystoneUnreachable)) throw error;
      this.logger.warn({ err: error.message }, 'cannot validate a token with Keystone; answering 503');
      throw KeystoneUnavailable();
    }
    const expiresAt = details ? Date.parse(details.expires_at) : NaN;
    if (!details || !(expiresAt > this.now()) || typeof details.user?.id !== 'string') {
      keystoneValidations.inc({ outcome: 'invalid' });
      this.cache.setInvalid(key);
      return null;
    }
    keystoneValidations.inc({ outcome: 'valid' });
    const identity = identityOf(details);
    this.cache.setValid(key, identity, expiresAt);
    return identity;
  }
}
