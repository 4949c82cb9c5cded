import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import { buildOpenApiDocument } from './openapi';

/** What main.ts and the e2e tests both do to the app after creating it. */
export function setUpApp(app: INestApplication, options: { shutdownHooks?: boolean } = {}): void {
  const express = app as NestExpressApplication;
  express.disable('x-powered-by');
  // ETags here are versions of resources (see common/http/etag.ts), not hashes of bodies.
  express.set('etag', false);
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
