import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { AnswerReader, load } from './load';

/** Feeds `bytes` to a reader in the given pieces, as a connection would, and returns what it left over. */
function readInPieces(bytes: Buffer, cuts: number[]): { reader: AnswerReader; rest: Buffer } {
  const reader = new AnswerReader();
  let pending = Buffer.alloc(0);
  let start = 0;
  for (const end of [...cuts, bytes.length]) {
    const data = Buffer.concat([pending, bytes.subarray(start, end)]);
    start = end;
    const used = reader.feed(data);
    pending = data.subarray(used);
    if (reader.done) return { reader, rest: Buffer.concat([pending, bytes.subarray(start)]) };
  }
  return { reader, rest: pending };
}

/** A small deterministic generator, so that a failing case can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => ((state = (state * 1103515245 + 12345) >>> 0) / 2 ** 32);
}

function chunkedBody(body: string, next: () => number): string {
  let out = '';
  for (let at = 0; at < body.length; ) {
    const size = 1 + Math.floor(next() * 40);
    const piece = body.slice(at, at + size);
    out += `${Buffer.byteLength(piece).toString(16)}\r\n${piece}\r\n`;
    at += size;
  }
  return `${out}0\r\n\r\n`;
}

describe('AnswerReader', () => {
  const next = random(7);
  const cases = Array.from({ length: 200 }, (_, i) => {
    // Bodies hold CRLFs, so that a reader that looks for line ends instead of counting bytes fails.
    const body = `${i}\r\n${'é\r\n'.repeat(Math.floor(next() * 100))}`;
    const chunked = i % 2 === 1;
    const close = i % 5 === 0;
    const status = [200, 201, 404, 409][i % 4];
    const head = [`HTTP/1.1 ${status} X`, 'Content-Type: application/json', close ? 'Connection: close' : 'Connection: keep-alive'];
    head.push(chunked ? 'Transfer-Encoding: chunked' : `Content-Length: ${Buffer.byteLength(body)}`);
    const answer = Buffer.from(`${head.join('\r\n')}\r\n\r\n${chunked ? chunkedBody(body, next) : body}`);
    const following = Buffer.from('HTTP/1.1 200 OK\r\n');
    const bytes = Buffer.concat([answer, following]);
    const cuts = Array.from({ length: Math.floor(next() * 6) }, () => Math.floor(next() * bytes.length)).sort((a, b) => a - b);
    return { i, status, close, answer, following, bytes, cuts };
  });

  it.each(cases.map((c) => [c.i, c]))('reads generated answer %i to its last byte, however the bytes arrive', (_, c) => {
    const { reader, rest } = readInPieces(c.bytes, c.cuts);
    expect(reader.done).toBe(true);
    expect(reader.status).toBe(c.status);
    expect(reader.close).toBe(c.close);
    expect(rest.equals(c.following)).toBe(true);
  });

  it('is not done before the last byte of the body', () => {
    const answer = Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nabcde');
    for (let end = 0; end < answer.length; end++) expect(readInPieces(answer.subarray(0, end), []).reader.done).toBe(false);
  });

  it('takes an HTTP/1.0 answer without keep-alive as closing the connection', () => {
    const { reader } = readInPieces(Buffer.from('HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n'), []);
    expect([reader.done, reader.close]).toEqual([true, true]);
  });
});

describe('load', () => {
  let server: Server;
  let url: string;
  const seen: Array<{ method: string; url: string; body: string }> = [];

  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        seen.push({ method: req.method!, url: req.url!, body });
        if (req.url === '/close') res.setHeader('Connection', 'close');
        if (req.url === '/chunked') {
          res.writeHead(200, { 'Content-Type': 'text/plain' });
          res.write('part one, ');
          return setImmediate(() => res.end('part two'));
        }
        res.writeHead(req.url === '/missing' ? 404 : 200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ echo: body }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));
  beforeEach(() => (seen.length = 0));

  it('sends the requests it is given and counts every answer the server completed', async () => {
    const result = await load(url, {
      connections: 4,
      duration: 0.5,
      next: (i) => ({ method: i % 3 === 0 ? 'POST' : 'GET', path: i % 2 ? '/missing' : `/item/${i}`, headers: { 'X-Test': 'yes' }, body: i % 3 === 0 ? `{"i":${i}}` : undefined }),
    });
    expect(result.total).toBeGreaterThan(50);
    // Requests still in flight when the window closes are not counted.
    expect(seen.length - result.total).toBeGreaterThanOrEqual(0);
    expect(seen.length - result.total).toBeLessThanOrEqual(4);
    const posted = seen.filter((s) => s.method === 'POST');
    expect(posted.length).toBeGreaterThan(0);
    for (const s of posted) expect(s.body).toMatch(/^\{"i":\d+\}$/);
    expect(Math.abs(result.non2xx - seen.filter((s) => s.url === '/missing').length)).toBeLessThanOrEqual(4);
    expect(result.errors).toBe(0);
    expect(result.latency.p50).toBeGreaterThan(0);
    expect(result.latency.p50).toBeLessThanOrEqual(result.latency.p99);
    expect(result.latency.p99).toBeLessThanOrEqual(result.latency.max);
  });

  it('follows chunked answers and servers that close the connection after each answer', async () => {
    for (const path of ['/chunked', '/close']) {
      const result = await load(url, { connections: 2, duration: 0.3, next: () => ({ method: 'GET', path }) });
      expect(result.total).toBeGreaterThan(10);
      expect([result.non2xx, result.errors]).toEqual([0, 0]);
    }
  });

  it('counts a server that does not answer in time as errors', async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const result = await load(`http://127.0.0.1:${(silent.address() as AddressInfo).port}`, { connections: 2, duration: 0.6, timeoutMs: 100, next: () => ({ method: 'GET', path: '/' }) });
    silent.closeAllConnections();
    await new Promise((resolve) => silent.close(resolve));
    expect(result.total).toBe(0);
    expect(result.errors).toBeGreaterThanOrEqual(2);
  });

  it('counts refused connections as errors without answers', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const result = await load(`http://127.0.0.1:${port}`, { connections: 2, duration: 0.2, next: () => ({ method: 'GET', path: '/' }) });
    expect(result.total).toBe(0);
    expect(result.errors).toBeGreaterThan(0);
  });
});
