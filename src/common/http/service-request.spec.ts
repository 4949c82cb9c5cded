import express, { type Express } from 'express';
import { createServer, IncomingMessage, type Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serverTypesFor, type ServerTypes } from './service-request';
import { JsonReplyAdapter } from './json-reply.adapter';

interface Seen {
  /** Whether the objects had the app's prototypes before Express ran. */
  requestPrototype: boolean;
  responsePrototype: boolean;
  declared: string[];
  /** The objects as the route saw them. */
  request?: IncomingMessage;
  response?: ServerResponse;
}

/** An Express app with one route, under a Node server made with `types`; what each request looked like on arrival. */
async function serving(app: Express, types: ServerTypes): Promise<{ server: Server; url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  app.get('/items/:id', (req, res) => {
    Object.assign(seen[seen.length - 1], { request: req, response: res });
    res.json({ id: req.params.id, body: req.body ?? null });
  });
  const server = createServer(types);
  // Registered before the app, so it sees the objects as Node's server made them.
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    seen.push({
      requestPrototype: Object.getPrototypeOf(req) === app.request,
      responsePrototype: Object.getPrototypeOf(res) === app.response,
      declared: ['requestId', 'identity', 'params', 'route', 'startedAt'].filter((name) => Object.hasOwn(req, name)),
    });
  });
  server.on('request', app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

describe(serverTypesFor.name, () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  it("makes requests and responses with the Express app's prototypes and the declared properties, so Express has nothing to swap", async () => {
    const app = express();
    const served = await serving(app, serverTypesFor(app));
    server = served.server;
    for (const id of ['a', 'b', 'c']) {
      const res = await fetch(`${served.url}/items/${id}`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ id, body: null });
    }
    expect(served.seen).toHaveLength(3);
    for (const seen of served.seen) {
      expect(seen).toMatchObject({ requestPrototype: true, responsePrototype: true, declared: ['requestId', 'identity', 'params', 'route', 'startedAt'] });
      expect(seen.request).toBeInstanceOf(IncomingMessage);
      expect(seen.response).toBeInstanceOf(ServerResponse);
      expect(Object.hasOwn(seen.response!, 'locals')).toBe(true);
      expect(seen.request!.headers.host).toMatch(/^127\.0\.0\.1:/);
    }
  });

  it("keeps what Express's prototypes give: the app, Express's methods, Node's classes", async () => {
    const app = express();
    const expressResponse = Object.getPrototypeOf(app.response) as object;
    const served = await serving(app, serverTypesFor(app));
    server = served.server;
    const res = await fetch(`${served.url}/items/y`);
    expect(await res.json()).toEqual({ id: 'y', body: null });
    const [seen] = served.seen;
    expect((seen.request as unknown as { app: unknown }).app).toBe(app);
    expect((seen.response as unknown as { app: unknown }).app).toBe(app);
    expect(Object.getPrototypeOf(app.response)).toBe(expressResponse);
    expect(typeof (seen.response as unknown as { json: unknown }).json).toBe('function');
    expect(typeof (seen.request as unknown as { get: unknown }).get).toBe('function');
  });

  it("is what the service's adapter makes its server with", async () => {
    const adapter = new JsonReplyAdapter();
    adapter.initHttpServer({});
    const app = adapter.getInstance<Express>();
    const prototypes: boolean[] = [];
    const nodeServer = adapter.getHttpServer() as Server;
    nodeServer.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
      prototypes.push(Object.getPrototypeOf(req) === app.request && Object.getPrototypeOf(res) === app.response);
    });
    app.get('/', (_req, res) => void res.json({ ok: true }));
    await new Promise<void>((resolve) => nodeServer.listen(0, '127.0.0.1', resolve));
    server = nodeServer;
    const res = await fetch(`http://127.0.0.1:${(nodeServer.address() as AddressInfo).port}/`);
    expect(await res.json()).toEqual({ ok: true });
    expect(prototypes).toEqual([true]);
  });
});
