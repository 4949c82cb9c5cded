import type { Request, Response } from 'express';
import request from 'supertest';
import { JsonReplyAdapter } from './json-reply.adapter';

/** An Express app under the adapter whose one route replies with `body` (and an ETag) as Nest would. */
function appReplying(body: unknown, status?: number) {
  const adapter = new JsonReplyAdapter();
  const app = adapter.getInstance();
  app.set('etag', false);
  app.all('/', (_req: Request, res: Response) => {
    res.setHeader('ETag', '"v1"');
    adapter.reply(res, body, status);
  });
  return app;
}

describe(JsonReplyAdapter.name, () => {
  const body = { uuid: 'x'.repeat(36), extra: { note: 'é'.repeat(600) }, links: [{ href: 'http://h/v1/x', rel: 'self' }] };

  it('answers an object as JSON with its length in bytes, in one piece', async () => {
    const res = await request(appReplying(body)).get('/');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(Number(res.headers['content-length'])).toBe(Buffer.byteLength(JSON.stringify(body)));
    expect(res.body).toEqual(body);
  });

  it('keeps the status the handler set', async () => {
    const res = await request(appReplying(body, 201)).post('/');
    expect(res.status).toBe(201);
    expect(res.body).toEqual(body);
  });

  it("leaves conditional requests and HEAD to Express: 304 for the current ETag, no body for HEAD", async () => {
    expect((await request(appReplying(body)).get('/').set('If-None-Match', '"v1"')).status).toBe(304);
    const fresh = await request(appReplying(body)).get('/').set('If-None-Match', '"v0"');
    expect(fresh.status).toBe(200);
    expect(fresh.body).toEqual(body);
    const head = await request(appReplying(body)).head('/');
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe(String(Buffer.byteLength(JSON.stringify(body))));
    expect(head.text).toBeUndefined();
  });

  it.each([
    ['a string', 'plain', 'text/html; charset=utf-8'],
    ['an array', [1, 2], 'application/json; charset=utf-8'],
  ])('answers %s as Express does', async (_what, value, type) => {
    const res = await request(appReplying(value)).get('/');
    expect(res.headers['content-type']).toBe(type);
  });

  it('gives each of many requests in flight at once its own answer', async () => {
    const adapter = new JsonReplyAdapter();
    const app = adapter.getInstance();
    app.get('/:n', (req: Request, res: Response) => adapter.reply(res, { n: Number(req.params.n), pad: 'x'.repeat(Number(req.params.n) * 37) }));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const { port } = server.address() as { port: number };
      const numbers = Array.from({ length: 40 }, (_, i) => i);
      const answers = await Promise.all(numbers.map((n) => fetch(`http://127.0.0.1:${port}/${n}`).then((r) => r.json())));
      expect(answers).toEqual(numbers.map((n) => ({ n, pad: 'x'.repeat(n * 37) })));
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('answers nothing as an empty body', async () => {
    const res = await request(appReplying(undefined, 204)).delete('/');
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
  });
});
