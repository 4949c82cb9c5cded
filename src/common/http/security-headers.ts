import type { NextFunction, Request, RequestHandler, Response } from 'express';
import helmet, { HelmetOptions } from 'helmet';

/**
 * Security headers on every answer. The CSP allows what Swagger UI at /docs
 * needs (its own scripts and styles, inline styles, data: images) and nothing else.
 */
export const SECURITY_POLICY: Readonly<HelmetOptions> = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      objectSrc: ["'none'"],
      frameAncestors: ["'none'"],
      baseUri: ["'self'"],
      formAction: ["'self'"],
    },
  },
  crossOriginResourcePolicy: { policy: 'same-site' },
  hsts: false,
};

/**
 * The headers helmet writes under a policy, read once by running it against
 * a response that records them. With this policy they are the same for every
 * request (no nonces, no per-request choices), so they are set from the list
 * instead of through helmet's eleven middlewares on each request.
 */
export function helmetHeaders(policy: Readonly<HelmetOptions>): ReadonlyArray<readonly [string, string]> {
  const directives = typeof policy.contentSecurityPolicy === 'object' ? Object.values(policy.contentSecurityPolicy.directives ?? {}) : [];
  if (directives.flat().some((value) => typeof value === 'function')) {
    throw new Error('a CSP directive computed per request (a nonce) cannot be read once');
  }
  const headers: Array<[string, string]> = [];
  const recorder = {
    setHeader: (name: string, value: unknown) => headers.push([name, String(value)]),
    removeHeader: () => undefined,
  };
  let called = false;
  helmet(policy)({} as Request, recorder as unknown as Response, (error?: unknown) => {
    if (error) throw error;
    called = true;
  });
  if (!called) throw new Error('helmet did not finish synchronously: its headers depend on the request');
  return headers;
}

/** Sets helmet's headers of the policy on every response. */
export function securityHeaders(policy: Readonly<HelmetOptions> = SECURITY_POLICY): RequestHandler {
  const headers = helmetHeaders(policy);
  return (_request: Request, response: Response, next: NextFunction) => {
    for (const [name, value] of headers) response.setHeader(name, value);
    next();
  };
}
