import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { MAX_VERSION_STRING, MIN_VERSION_STRING } from './common/microversion/microversion';

/** The OpenAPI document of the service; Swagger UI serves it and `npm run openapi` writes it. */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('ironvol')
    .setDescription(
      'OpenStack Ironic-compatible bare-metal volume API: volume connectors and targets of nodes, and the nodes and ' +
        `power states they depend on. Microversions ${MIN_VERSION_STRING} to ${MAX_VERSION_STRING} ` +
        '(X-OpenStack-Ironic-API-Version); volume resources need 1.32 or later.',
    )
    .setVersion('1')
    .build();
  return SwaggerModule.createDocument(app, config, {
    operationIdFactory: (_controller, method) => method,
  });
}
