import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import {
  MAX_VERSION_HEADER,
  MAX_VERSION_STRING,
  MIN_VERSION_HEADER,
  MIN_VERSION_STRING,
  VERSION_HEADER,
} from './common/microversion/microversion';
import { REQUEST_ID_HEADER } from './common/http/api-headers.middleware';

const RESPONSE_HEADERS = {
  [REQUEST_ID_HEADER]: { description: 'Id of the request ("req-<uuid>"), also in the logs.', schema: { type: 'string', example: 'req-a1b2c3d4-0000-4000-8000-000000000000' } },
  [MIN_VERSION_HEADER]: { description: 'Oldest supported microversion.', schema: { type: 'string', example: MIN_VERSION_STRING } },
  [MAX_VERSION_HEADER]: { description: 'Newest supported microversion.', schema: { type: 'string', example: MAX_VERSION_STRING } },
  [VERSION_HEADER]: { description: 'Microversion used for this request (absent on 406).', schema: { type: 'string', example: '1.32' } },
};

type Operation = { responses: Record<string, { headers?: Record<string, unknown> }>; parameters?: Array<{ in: string }> };

/**
 * Adds what decorators cannot say once for all operations: the headers every
 * response carries (request id; the microversion headers under /v1), and
 * closes request and response schemas (no properties beyond those listed).
 * Path parameters come first, in every operation: handlers that take their
 * arguments parsed (@Args) describe them with @ApiParam, which lists them
 * after the headers.
 */
function addCommonParts(document: OpenAPIObject): OpenAPIObject {
  document.components ??= {};
  document.components.headers = Object.fromEntries(Object.entries(RESPONSE_HEADERS));
  for (const [path, item] of Object.entries(document.paths)) {
    const versioned = path === '/v1' || path.startsWith('/v1/');
    for (const operation of Object.values(item) as Operation[]) {
      if (operation.parameters) {
        operation.parameters = [...operation.parameters.filter((p) => p.in === 'path'), ...operation.parameters.filter((p) => p.in !== 'path')];
      }
      for (const [status, response] of Object.entries(operation.responses ?? {})) {
        const names = versioned
          ? [REQUEST_ID_HEADER, MIN_VERSION_HEADER, MAX_VERSION_HEADER, ...(status === '406' ? [] : [VERSION_HEADER])]
          : [REQUEST_ID_HEADER];
        response.headers = {
          ...Object.fromEntries(names.map((name) => [name, { $ref: `#/components/headers/${name}` }])),
          ...response.headers,
        };
      }
    }
  }
  for (const schema of Object.values(document.components.schemas ?? {}) as Array<Record<string, unknown>>) {
    if (schema.type === 'object' && schema.properties && schema.additionalProperties === undefined) {
      schema.additionalProperties = false;
    }
  }
  return document;
}

/** The OpenAPI document of the service; Swagger UI serves it and `npm run openapi` writes it. */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('ironvol')
    .setDescription(
      'OpenStack Ironic-compatible bare-metal volume API: volume connectors and targets of nodes, and the nodes and ' +
        `power states they depend on. Microversions ${MIN_VERSION_STRING} to ${MAX_VERSION_STRING} ` +
        `(${VERSION_HEADER}); volume resources need 1.32 or later. Errors are Ironic's envelope: ` +
        '{"error_message": "<JSON document as a string>"}. Each operation names the policy it needs ' +
        '(x-openstack-policy); under AUTH_STRATEGY=noauth every caller is an administrator.',
    )
    .setVersion('1')
    .setLicense('Apache-2.0', 'https://www.apache.org/licenses/LICENSE-2.0')
    .addServer('/', 'This service')
    .addBasicAuth({ type: 'http', scheme: 'basic', description: 'AUTH_STRATEGY=http_basic: a user of the htpasswd file.' }, 'basic')
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'AUTH_STRATEGY=jwt: an OIDC token from the configured issuer.' },
      'bearer',
    )
    .addApiKey(
      { type: 'apiKey', in: 'header', name: 'X-Auth-Token', description: 'AUTH_STRATEGY=keystone: a Keystone token (openstack token issue); AUTH_STRATEGY=jwt: the OIDC token, as OpenStack clients send it.' },
      'token',
    )
    .build();
  return addCommonParts(
    SwaggerModule.createDocument(app, config, { operationIdFactory: (_controller, method) => method }),
  );
}
