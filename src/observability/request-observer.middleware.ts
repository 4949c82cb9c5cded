import { Inject, Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import { httpDuration, httpRequests } from './metrics';
import { LOGGER } from './logger';

const CHANGES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * One log line and the request metrics per answered request, and an audit
 * line for every request that asks for a change: who (user and project
 * ids, their names where the credentials carry them, roles), the request id, the resource, the action and its result. A request refused before
 * authentication finished is audited as "unauthenticated".
 */
@Injectable()
export class RequestObserverMiddleware implements NestMiddleware {
  /** One listener for every response: no closure per request. */
  private readonly finished: (this: Response) => void;

  constructor(@Inject(LOGGER) private readonly logger: Logger) {
    const observer = this;
    this.finished = function (this: Response) {
      observer.observe(this.req as Request, this);
    };
  }

  use(request: Request, response: Response, next: NextFunction): void {
    request.startedAt = process.hrtime.bigint();
    response.once('finish', this.finished);
    next();
  }

  private observe(request: Request, response: Response): void {
    const seconds = Number(process.hrtime.bigint() - request.startedAt) / 1e9;
    // The route template, not the path, keeps the label set small (UUIDs are not labels).
    const route = (request.route?.path as string | undefined) ?? 'unmatched';
    const labels = { method: request.method, route, status: String(response.statusCode) };
    httpRequests.inc(labels);
    httpDuration.observe(labels, seconds);
    const path = pathOf(request.originalUrl);
    if (this.logger.isLevelEnabled('info')) {
      this.logger.info(
        {
          req_id: request.requestId,
          method: request.method,
          route,
          path,
          status: response.statusCode,
          duration_ms: Math.round(seconds * 1e6) / 1e3,
          version: request.apiVersion ? `1.${request.apiVersion}` : undefined,
        },
        'request',
      );
    }
    if (CHANGES.has(request.method)) {
      this.logger.info(
        {
          audit: true,
          req_id: request.requestId,
          user: request.identity?.user ?? 'unauthenticated',
          user_name: request.identity?.userName,
          roles: request.identity?.roles ?? [],
          project: request.identity?.project ?? null,
          project_name: request.identity?.projectName ?? undefined,
          resource: path,
          action: `${request.method} ${route}`,
          result: response.statusCode < 400 ? 'done' : 'refused',
          status: response.statusCode,
        },
        'audit',
      );
    }
  }
}

function pathOf(url: string): string {
  const at = url.indexOf('?');
  return at < 0 ? url : url.slice(0, at);
}
