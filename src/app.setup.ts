import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import { buildOpenApiDocument } from './openapi';
import { MAX_VERSION_STRING } from './common/microversion/microversion';

/** What main.ts and the e2e tests both do to the app after creating it. */
export function setUpApp(app: INestApplication): void {
  const express = app as NestExpressApplication;
  express.disable('x-powered-by');
  express.set('etag', false);
  express.set('trust proxy', false);
  app.enableShutdownHooks();
  const document = buildOpenApiDocument(app);
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'openapi.json',
    customSiteTitle: 'ironvol API',
    swaggerOptions: {
      persistAuthorization: true,
      displayOperationId: true,
      tryItOutEnabled: false,
      docExpansion: 'list',
      // Pre-fill the microversion header so "Try it out" reaches the volume API.
      requestInterceptor: undefined,
      defaultModelsExpandDepth: 0,
    },
  });
  void MAX_VERSION_STRING;
}
