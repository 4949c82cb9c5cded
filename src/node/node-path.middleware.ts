import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { FrameworkBadRequest } from '../common/errors/ironic-errors';
import { canonicalUuid, NODE_NAME_RE } from '../common/validation/uuid';

/** The state handlers Ironic routes to directly: they check the identifier themselves, naming it node_ident. */
const SELF_CHECKED: [string, RegExp][] = [
  ['GET', /^\/states$/],
  ['PUT', /^\/states\/(power|provision)$/],
  ['GET', /^\/management\/boot_device(\/supported)?$/],
  // The boot device's own handler takes the device and persistence as further segments.
  ['PUT', /^\/management\/boot_device(\/[^/]+){0,2}$/],
];

/**
 * Ironic's router reads the node of /v1/nodes/{node}/… before anything
 * else below it (NodesController._lookup): an identifier that is neither a
 * UUID nor a valid name is refused there with its framework's 400, whatever
 * the method, the microversion, the rest of the path or the body. It runs
 * after authentication (keystonemiddleware comes first in Ironic) and
 * before the body is read.
 */
@Injectable()
export class NodePathMiddleware implements NestMiddleware {
  use(req: Request, _res: Response, next: NextFunction): void {
    const match = /^\/v1\/nodes\/([^/?]+)([^?]*)/.exec(req.url);
    if (!match) return next();
    const ident = decoded(match[1]);
    const rest = match[2];
    if (canonicalUuid(ident) || NODE_NAME_RE.test(ident)) return next();
    if (SELF_CHECKED.some(([method, path]) => req.method === method && path.test(rest))) return next();
    next(FrameworkBadRequest(`Expected UUID or name for node: ${ident}`));
  }
}

function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
