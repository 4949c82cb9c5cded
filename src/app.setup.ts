import { IncomingMessage, Server as HttpServer, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { buildOpenApiDocument } from './openapi';
import { ApiHeadersMiddleware } from './common/http/api-headers.middleware';
import { JsonBodyMiddleware } from './common/http/json-body.middleware';
import { RequestObserverMiddleware } from './observability/request-observer.middleware';
import { RateLimitMiddleware } from './auth/rate-limit.middleware';
import { AuthenticationMiddleware } from './auth/authentication.middleware';
import { NodePathMiddleware } from './node/node-path.middleware';
import { IronicExceptionFilter } from './common/errors/ironic-exception.filter';

/** What main.ts and the e2e tests both do to the app after creating it. */
export function setUpApp(app: INestApplication, options: { shutdownHooks?: boolean } = {}): void {
  const express = app as NestExpressApplication;
  express.disable('x-powered-by');
  // ETags here are versions of resources (see common/http/etag.ts), not hashes of bodies.
  express.set('etag', false);
  // Security headers on every answer. The CSP allows what Swagger UI at /docs
  // needs (its own scripts and styles, inline styles, data: images) and nothing else.
  express.use(
    helmet({
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
    }),
  );
  // Ironic's web framework reads a ".json" ending of the last path segment as a
  // content type and serves the path without it (/v1/volume/connectors.json).
  express.use((req: Request, _res: Response, next: NextFunction) => {
    const [path, query] = splitUrl(req.url);
    if (path.startsWith('/v1/') && path.endsWith('.json')) req.url = path.slice(0, -'.json'.length) + query;
    next();
  });
  // Request id, microversion, request log, rate limit, authentication, the
  // node of a /v1/nodes/{node} path and the JSON body run as plain Express middleware ahead of Nest's router (cheaper than
  // Nest's per-route middleware), in this order: a body is read only for a
  // caller who got in. Their errors get the same envelope as everything else.
  const pipeline = [
    ApiHeadersMiddleware,
    RequestObserverMiddleware,
    RateLimitMiddleware,
    AuthenticationMiddleware,
    NodePathMiddleware,
    JsonBodyMiddleware,
  ];
  for (const middleware of pipeline) {
    const instance = app.get(middleware);
    express.use((req: Request, res: Response, next: NextFunction) => instance.use(req, res, next));
  }
  const filter = app.get(IronicExceptionFilter);
  express.use((error: unknown, req: Request, res: Response, _next: NextFunction) => filter.respond(error, req, res));
  // Node hands CONNECT requests to a 'connect' listener instead of the app and, without one, closes
  // the connection unanswered. They go through the app like any other method (Ironic answers 405).
  const server = app.getHttpServer() as HttpServer;
  server.on('connect', (req: IncomingMessage, socket: Socket) => {
    const res = new ServerResponse(req);
    res.assignSocket(socket);
    res.on('finish', () => socket.end());
    socket.on('error', () => socket.destroy());
    (express.getHttpAdapter().getInstance() as (req: IncomingMessage, res: ServerResponse) => void)(req, res);
  });
  // main.ts handles SIGTERM itself (drain, grace period); elsewhere Nest's hooks close the app.
  if (options.shutdownHooks ?? true) app.enableShutdownHooks();
  // Swagger UI at /docs, the document at /openapi.json; the microversion
  // header parameter defaults to the maximum, so "Try it out" reaches the volume API.
  SwaggerModule.setup('docs', app, buildOpenApiDocument(app), {
    jsonDocumentUrl: 'openapi.json',
    customSiteTitle: 'ironvol API',
    swaggerOptions: { displayOperationId: true, docExpansion: 'list', defaultModelsExpandDepth: 0 },
  });
}

function splitUrl(url: string): [string, string] {
  const at = url.indexOf('?');
  return at < 0 ? [url, ''] : [url.slice(0, at), url.slice(at)];
}
