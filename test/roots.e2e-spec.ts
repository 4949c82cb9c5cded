import { createTestApp, fault, useTestApp } from './support/test-app';

describe('roots, headers and wire conventions', () => {
  const t = useTestApp('sqlite');

  it('describes the API versions at /', async () => {
    const res = await t.call('GET', '/', { version: null });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      name: 'OpenStack Ironic API',
      default_version: { id: 'v1', status: 'CURRENT', min_version: '1.1', version: '1.82' },
    });
    expect(res.body.default_version.links[0].href).toMatch(/^http:\/\/127\.0\.0\.1(:\d+)?\/v1\/$/);
    expect(res.headers['openstack-request-id']).toMatch(/^req-[0-9a-f-]{36}$/);
  });

  it.each([
    [null, '1.1', false],
    ['1.31', '1.31', false],
    ['1.32', '1.32', true],
    ['latest', '1.82', true],
    ['LATEST', '1.82', true],
  ])('describes v1 at version %s with the volume link only from 1.32', async (version, used, volume) => {
    const res = await t.call('GET', '/v1', { version });
    expect(res.status).toBe(200);
    expect(res.headers['x-openstack-ironic-api-minimum-version']).toBe('1.1');
    expect(res.headers['x-openstack-ironic-api-maximum-version']).toBe('1.82');
    expect(res.headers['x-openstack-ironic-api-version']).toBe(used);
    expect('volume' in res.body).toBe(volume);
    expect(res.body.media_types).toEqual({ base: 'application/json', type: 'application/vnd.openstack.ironic.v1+json' });
  });

  it('puts version headers and a request id on errors too', async () => {
    const res = await t.call('GET', '/v1/volume/connectors/nope');
    expect(res.status).toBe(400);
    expect(res.headers['x-openstack-ironic-api-version']).toBe('1.32');
    expect(res.headers['openstack-request-id']).toMatch(/^req-/);
  });

  it.each([
    ['1.83', 'Version 1.83 was requested but the minor version is not supported by this service. The supported version range is: [1.1, 1.82].'],
    ['1.0', 'Version 1.0 was requested but the minor version is not supported by this service. The supported version range is: [1.1, 1.82].'],
    ['2.0', 'Mutually exclusive versions requested. Version 2.0 requested but not supported by this service. The supported version range is: [1.1, 1.82].'],
  ])('answers version %s with 406 in Ironic\'s body', async (version, description) => {
    const res = await t.call('GET', '/v1/volume', { version });
    expect(res.status).toBe(406);
    expect(fault(res)).toEqual({ code: 406, title: 'Not Acceptable', description });
    expect(res.headers['x-openstack-ironic-api-version']).toBeUndefined();
  });

  it.each([['abc'], ['1'], ['1.2.3'], ['1.x']])('answers a malformed version %s with 400', async (version) => {
    const res = await t.call('GET', '/v1', { version });
    expect(res.status).toBe(400);
    expect(fault(res).faultstring).toMatch(/^Invalid value for X-OpenStack-Ironic-API-Version header/);
  });

  it('reads the generic OpenStack-API-Version header', async () => {
    const res = await t.call('GET', '/v1', { version: null, headers: { 'OpenStack-API-Version': 'baremetal 1.40' } });
    expect(res.headers['x-openstack-ironic-api-version']).toBe('1.40');
  });

  it('answers unknown paths with 404 in the envelope', async () => {
    for (const path of ['/nope', '/v1/nope', '/v1/nodes/x/y/z']) {
      const res = await t.call('GET', path);
      expect(res.status).toBe(404);
      expect(fault(res)).toEqual({ faultcode: 'Client', faultstring: 'Resource could not be found.', debuginfo: null });
    }
  });

  it.each([
    ['PUT', '/v1/volume/connectors', 405, 'DELETE, GET, PATCH, POST'],
    ['PUT', '/v1/volume/targets/11111111-2222-3333-4444-555555555555', 405, 'DELETE, GET, PATCH, POST'],
    ['POST', '/v1/volume', 405, 'GET'],
    ['DELETE', '/v1/volume', 405, 'GET'],
    ['POST', '/v1/nodes/x/volume', 405, 'GET'],
    ['PUT', '/v1/nodes', 405, 'DELETE, GET, PATCH, POST'],
    ['GET', '/v1/nodes/x/states/power', 405, 'PUT'],
  ])('answers %s %s with %d and Allow: %s, as Ironic does', async (method, path, status, allow) => {
    const res = await t.call(method, path, { body: {} });
    expect(res.status).toBe(status);
    expect(res.headers.allow).toBe(allow);
    expect(fault(res)).toEqual({ code: 405, title: 'Method Not Allowed', description: '' });
  });

  it.each([
    ['DELETE', '/v1/volume/connectors', 'Missing mandatory parameter: connector_uuid'],
    ['PATCH', '/v1/volume/targets', 'Missing mandatory parameter: target_uuid'],
    ['PATCH', '/v1/nodes', 'Missing mandatory parameter: node_ident'],
  ])('answers %s on the collection %s with 400, as Ironic does', async (method, path, message) => {
    const res = await t.call(method, path, { body: [] });
    expect(res.status).toBe(400);
    expect(fault(res).faultstring).toBe(message);
  });

  it('uses PUBLIC_URL for links when it is set', async () => {
    const other = await createTestApp('sqlite', { publicUrl: 'https://ironvol.example.com' });
    try {
      const res = await other.call('GET', '/v1/volume');
      expect(res.body.links[0].href).toBe('https://ironvol.example.com/v1/volume/');
    } finally {
      await other.close();
    }
  });

  it('sends security headers, with a CSP that Swagger UI works under', async () => {
    const res = await t.call('GET', '/v1/volume');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('answers the probes', async () => {
    expect((await t.call('GET', '/healthz', { version: null })).body).toEqual({ status: 'ok' });
    expect((await t.call('GET', '/readyz', { version: null })).body).toEqual({ status: 'ready' });
  });
});
