import { Inject, Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import {
  formatVersion,
  MAX_VERSION_HEADER,
  MAX_VERSION_STRING,
  MIN_VERSION_HEADER,
  MIN_VERSION_STRING,
  negotiateMinorVersion,
  VERSION_HEADER,
} from '../microversion/microversion';
import { APP_CONFIG } from '../../config/config.module';
import type { ServiceConfig } from '../../config/config';
import { baseUrl } from './links';

export const REQUEST_ID_HEADER = 'Openstack-Request-Id';

/**
 * Gives every response its request id and every /v1 response the
 * microversion headers clients negotiate from, errors included.
 */
@Injectable()
export class ApiHeadersMiddleware implements NestMiddleware {
  constructor(@Inject(APP_CONFIG) private readonly config: ServiceConfig) {}

  use(request: Request, response: Response, next: NextFunction): void {
    request.requestId = `req-${randomUUID()}`;
    request.publicBase = baseUrl(request, this.config.publicUrl);
    response.setHeader(REQUEST_ID_HEADER, request.requestId);
    const url = request.originalUrl;
    const query = url.indexOf('?');
    const path = query < 0 ? url : url.slice(0, query);
    if (path === '/v1' || path.startsWith('/v1/')) {
      response.setHeader(MIN_VERSION_HEADER, MIN_VERSION_STRING);
      response.setHeader(MAX_VERSION_HEADER, MAX_VERSION_STRING);
      request.apiVersion = negotiateMinorVersion(request.headers);
      response.setHeader(VERSION_HEADER, formatVersion(request.apiVersion));
    } else {
      request.apiVersion = 0;
    }
    next();
  }
}
