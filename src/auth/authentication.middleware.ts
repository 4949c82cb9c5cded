import { Inject, Injectable, NestMiddleware } from '@nestjs/common';
import type { IncomingHttpHeaders } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import { AUTH_CONFIG, AuthConfig } from './auth-config';
import { LOGGER } from '../observability/logger';
import { HttpBasicAuthenticator } from './http-basic';
import type { Identity } from '../common/http/identity';
import { NOAUTH_IDENTITY } from './identity';
import { JwtAuthenticator } from './jwt';
import { KeystoneAuthenticator } from './keystone/keystone.authenticator';

interface Authenticator {
  authenticate(headers: IncomingHttpHeaders): Promise<Identity>;
  /** Why a service the strategy depends on cannot serve requests now, or null. */
  readiness?(): Promise<string | null>;
}

/** Callers of the public routes (version discovery, health, metrics, docs) under keystone, http_basic or jwt. */
const ANONYMOUS: Identity = Object.freeze({ user: 'anonymous', roles: Object.freeze([]), project: null });

/**
 * Everything below /v1/ needs credentials; the version documents (/ and
 * /v1), health, metrics and the API docs stay public, as Ironic keeps its
 * version discovery public.
 */
function isPublicPath(path: string): boolean {
  return !path.startsWith('/v1/') || path === '/v1/';
}

/** The strategy's authenticator; noauth has none (every caller is the administrator). */
function authenticatorFor(auth: AuthConfig, logger: Logger, reloadFailed: (error: Error) => void): Authenticator | null {
  switch (auth.strategy) {
    case 'keystone':
      return new KeystoneAuthenticator(auth, logger);
    case 'http_basic':
      return new HttpBasicAuthenticator(auth.userFile, auth.roles, reloadFailed);
    case 'jwt':
      return new JwtAuthenticator(auth, reloadFailed);
    case 'noauth':
      return null;
  }
}

@Injectable()
export class AuthenticationMiddleware implements NestMiddleware {
  private readonly authenticator: Authenticator | null;

  constructor(@Inject(AUTH_CONFIG) config: AuthConfig, @Inject(LOGGER) logger: Logger) {
    const reloadFailed = (error: Error) =>
      logger.warn({ err: error.message }, 'credentials file changed but cannot be used; keeping the last good one');
    this.authenticator = authenticatorFor(config, logger, reloadFailed);
  }

  /** For /readyz: whether the identity service the strategy relies on answers (null: it does, or there is none). */
  readiness(): Promise<string | null> {
    return this.authenticator?.readiness?.() ?? Promise.resolve(null);
  }

  use(request: Request, _response: Response, next: NextFunction): void {
    if (!this.authenticator) {
      request.identity = NOAUTH_IDENTITY;
      return next();
    }
    if (isPublicPath(request.path)) {
      request.identity = ANONYMOUS;
      return next();
    }
    this.authenticator.authenticate(request.headers).then((identity) => {
      request.identity = identity;
      next();
    }, next);
  }
}
