import SwaggerParser from '@apidevtools/swagger-parser';
import { readFileSync } from 'node:fs';
import { OPENAPI_FILE } from './support/openapi-validator';
import { createTestApp, TestApp } from './support/test-app';

type Operation = {
  operationId?: string;
  summary?: string;
  description?: string;
  parameters?: Array<{ name: string; in: string; schema?: { default?: unknown } }>;
  responses: Record<string, { headers?: Record<string, unknown>; content?: Record<string, { schema: { $ref?: string } }> }>;
};

const document = JSON.parse(readFileSync(OPENAPI_FILE, 'utf8')) as { paths: Record<string, Record<string, Operation>> };
const operations = Object.entries(document.paths).flatMap(([path, item]) =>
  Object.entries(item).map(([method, op]) => ({ path, method, op })),
);

describe('the OpenAPI document (openapi/openapi.json)', () => {
  it('is a valid OpenAPI 3 document', async () => {
    await expect(SwaggerParser.validate(structuredClone(document) as never)).resolves.toBeDefined();
  });

  it('has every route of the service, each with a unique operationId, a summary and a description', () => {
    const ids = operations.map((o) => o.op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { op } of operations) {
      expect(op.operationId).toBeTruthy();
      expect(op.summary).toBeTruthy();
      expect(op.description).toBeTruthy();
    }
    expect(operations.map((o) => `${o.method.toUpperCase()} ${o.path}`).sort()).toEqual(
      [
        'GET /', 'GET /healthz', 'GET /readyz', 'GET /metrics', 'GET /v1',
        'GET /v1/nodes', 'POST /v1/nodes', 'GET /v1/nodes/detail', 'GET /v1/nodes/{node_ident}', 'PATCH /v1/nodes/{node_ident}',
        'DELETE /v1/nodes/{node_ident}', 'GET /v1/nodes/{node_ident}/states', 'GET /v1/nodes/{node_ident}/validate', 'PUT /v1/nodes/{node_ident}/states/power',
        'PUT /v1/nodes/{node_ident}/states/provision', 'GET /v1/nodes/{node_ident}/volume', 'GET /v1/nodes/{node_ident}/volume/connectors',
        'GET /v1/nodes/{node_ident}/volume/targets', 'GET /v1/volume',
        'GET /v1/nodes/{node_ident}/management/boot_device', 'GET /v1/nodes/{node_ident}/management/boot_device/supported',
        'PUT /v1/nodes/{node_ident}/management/boot_device', 'PUT /v1/nodes/{node_ident}/management/boot_device/{boot_device}',
        'PUT /v1/nodes/{node_ident}/management/boot_device/{boot_device}/{persistent}',
        'GET /v1/volume/connectors', 'POST /v1/volume/connectors', 'GET /v1/volume/connectors/{uuid}', 'PATCH /v1/volume/connectors/{uuid}', 'DELETE /v1/volume/connectors/{uuid}',
        'GET /v1/volume/targets', 'POST /v1/volume/targets', 'GET /v1/volume/targets/{uuid}', 'PATCH /v1/volume/targets/{uuid}', 'DELETE /v1/volume/targets/{uuid}',
      ].sort(),
    );
  });

  it('documents the microversion request header and the response headers of every /v1 operation', () => {
    for (const { path, op } of operations.filter((o) => o.path.startsWith('/v1'))) {
      const header = op.parameters?.find((p) => p.in === 'header' && p.name === 'X-OpenStack-Ironic-API-Version');
      expect([path, header?.schema?.default]).toEqual([path, '1.82']);
      for (const [status, response] of Object.entries(op.responses)) {
        expect([path, status, Object.keys(response.headers ?? {})]).toEqual([
          path, status, expect.arrayContaining(['Openstack-Request-Id', 'X-OpenStack-Ironic-API-Minimum-Version', 'X-OpenStack-Ironic-API-Maximum-Version']),
        ]);
      }
    }
  });

  it('documents the errors with the envelope schema, and Location and ETag where they are sent', () => {
    const envelope = { $ref: '#/components/schemas/ErrorEnvelopeDto' };
    // 401 and 503 may also come from the Keystone token check, in keystonemiddleware's shape.
    const envelopeOrTokenCheck = { oneOf: [envelope, { $ref: '#/components/schemas/TokenCheckErrorDto' }] };
    for (const { op } of operations.filter((o) => o.path.startsWith('/v1/'))) {
      for (const status of ['400', '406']) expect(op.responses[status]?.content?.['application/json'].schema).toEqual(envelope);
      expect(op.responses['503']?.content?.['application/json'].schema).toEqual(envelopeOrTokenCheck);
      if (op.responses['401']) expect(op.responses['401'].content?.['application/json'].schema).toEqual(envelopeOrTokenCheck);
    }
    const byId = Object.fromEntries(operations.map((o) => [o.op.operationId, o.op]));
    for (const id of ['createVolumeConnector', 'createVolumeTarget', 'createNode']) expect(byId[id].responses['201'].headers).toHaveProperty('Location');
    for (const id of ['setNodePowerState', 'setNodeProvisionState']) expect(byId[id].responses['202'].headers).toHaveProperty('Location');
    for (const id of ['showVolumeConnector', 'updateVolumeConnector', 'showVolumeTarget', 'updateVolumeTarget']) expect(byId[id].responses['200'].headers).toHaveProperty('ETag');
    for (const id of ['listVolumeConnectors', 'listVolumeTargets', 'listNodeVolumeConnectors']) {
      const names = byId[id].parameters!.map((p: { name: string }) => p.name);
      expect(names).toEqual(expect.arrayContaining(['fields', 'detail', 'limit', 'marker', 'sort_key', 'sort_dir']));
    }
  });

  describe('as served', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp('sqlite');
    });
    afterAll(async () => {
      await t.close();
    });

    it('serves the document at /openapi.json and Swagger UI at /docs', async () => {
      const json = await t.call('GET', '/openapi.json', { version: null });
      expect(json.status).toBe(200);
      expect(Object.keys(json.body.paths).sort()).toEqual(Object.keys(document.paths).sort());
      const ui = await t.call('GET', '/docs', { version: null });
      expect(ui.status).toBe(200);
      expect(ui.text).toContain('swagger-ui');
    });
  });
});
