import { IncomingMessage, Server as HttpServer, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import { buildOpenApiDocument } from './openapi';
import { ApiHeadersMiddleware } from './common/http/api-headers.middleware';
import { securityHeaders } from './common/http/security-headers';
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
  express.use(securityHeaders());
  // Ironic's web framework reads a ".json" ending of the last path segment as a
  // content type and serves the path without it (/v1/volume/connectors.json).
  // Then request id, microversion, request log, rate limit, authentication,
  // the node of a /v1/nodes/{node} path and the JSON body, in this order: a
  // body is read only for a caller who got in. They run ahead of Nest's
  // router as one Express middleware (Nest's per-route middleware, or one
  // Express layer each, would cost a router step each per request); their
  // errors get the same envelope as everything else.
  const stages: Stage[] = [
    stripJsonSuffix,
    ...[ApiHeadersMiddleware, RequestObserverMiddleware, RateLimitMiddleware, AuthenticationMiddleware, NodePathMiddleware, JsonBodyMiddleware]
      .map((middleware) => app.get(middleware))
      .map((instance) => instance.use.bind(instance) as Stage),
  ];
  express.use(inSequence(stages));
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

type Stage = (request: Request, response: Response, next: NextFunction) => void;

/** Runs the stages one after the other as one middleware; an error (thrown or passed on) skips the rest. */
function inSequence(stages: readonly Stage[]): Stage {
  return (request, response, done) => {
    let index = 0;
    const next = (error?: unknown) => {
      if (error !== undefined && error !== null) return done(error);
      const stage = stages[index++];
      if (!stage) return done();
      try {
        stage(request, response, next);
      } catch (thrown) {
        done(thrown);
      }
    };
    next();
  };
}

function stripJsonSuffix(request: Request, _response: Response, next: NextFunction): void {
  const url = request.url;
  const at = url.indexOf('?');
  const path = at < 0 ? url : url.slice(0, at);
  if (path.startsWith('/v1/') && path.endsWith('.json')) request.url = path.slice(0, -'.json'.length) + (at < 0 ? '' : url.slice(at));
  next();
}
