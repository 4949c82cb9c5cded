import express from 'express';
import helmet from 'helmet';
import request from 'supertest';
import { helmetHeaders, SECURITY_POLICY, securityHeaders } from './security-headers';

/** The headers of an answer, without those every answer has whatever the middleware (date, connection). */
async function headersOf(middleware: express.RequestHandler): Promise<Record<string, string>> {
  const app = express();
  app.disable('x-powered-by');
  app.use(middleware);
  app.get('/', (_req, res) => res.status(204).end());
  const { headers } = await request(app).get('/');
  const { date: _date, connection: _connection, 'keep-alive': _keepAlive, ...rest } = headers as Record<string, string>;
  return rest;
}

describe('security headers', () => {
  it("are the headers helmet sets under the service's policy, each once", async () => {
    expect(await headersOf(securityHeaders())).toEqual(await headersOf(helmet(SECURITY_POLICY)));
    expect(Object.keys(await headersOf(securityHeaders()))).toEqual(
      expect.arrayContaining(['content-security-policy', 'cross-origin-resource-policy', 'x-content-type-options', 'x-frame-options']),
    );
  });

  it('follow a different policy as helmet does', async () => {
    const policy = { contentSecurityPolicy: false, crossOriginResourcePolicy: { policy: 'cross-origin' as const } };
    expect(await headersOf(securityHeaders(policy))).toEqual(await headersOf(helmet(policy)));
  });

  it('refuse a policy whose headers are computed per request', () => {
    const policy = { contentSecurityPolicy: { directives: { scriptSrc: [() => "'nonce-x'"] } } };
    expect(() => helmetHeaders(policy)).toThrow(/per request/);
  });
});
