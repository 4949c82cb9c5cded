import { connect, Socket } from 'node:net';

/** One request a client sends: its path is relative to the server's URL. */
export interface LoadRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface LoadResult {
  /** Answers read in the window (any status). */
  total: number;
  rps: number;
  /** Milliseconds from the request's first byte written to the answer's last byte read. */
  latency: { p50: number; p90: number; p99: number; max: number };
  non2xx: number;
  /** Connections refused or lost with a request in flight, and requests unanswered after the timeout. */
  errors: number;
}

export interface LoadOptions {
  connections: number;
  /** Seconds. */
  duration: number;
  /** The i-th request sent, counted across all clients. */
  next: (i: number) => LoadRequest;
  /** Milliseconds a request may wait for its answer before it counts as an error. */
  timeoutMs?: number;
}

const CRLF2 = Buffer.from('\r\n\r\n');

/**
 * Closed-loop HTTP/1.1 load: `connections` keep-alive clients, each sending a
 * request as soon as the answer to its last one is read, for `duration`
 * seconds. It reads answers with a few byte scans and keeps every latency, so
 * it spends a fraction of what a general-purpose generator does per request.
 * On a two-core machine the generator shares the cores with the server it
 * measures; what it does not spend is left to the server.
 * Answers may carry Content-Length or chunked bodies (as Ironic's and
 * ironvol's do); requests in flight when the window closes are not counted.
 */
export async function load(url: string, options: LoadOptions): Promise<LoadResult> {
  const target = new URL(url);
  const port = Number(target.port || 80);
  const hostHeader = `Host: ${target.host}\r\n`;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const latencies: number[] = [];
  let sent = 0;
  let non2xx = 0;
  let errors = 0;
  let open = true;

  const encode = (request: LoadRequest): Buffer => {
    let head = `${request.method} ${request.path} HTTP/1.1\r\n${hostHeader}`;
    for (const name in request.headers) head += `${name}: ${request.headers[name]}\r\n`;
    if (request.body !== undefined) head += `Content-Length: ${Buffer.byteLength(request.body)}\r\n`;
    return Buffer.from(request.body === undefined ? `${head}\r\n` : `${head}\r\n${request.body}`);
  };

  const clients: Client[] = [];
  class Client {
    private socket!: Socket;
    private pending: Buffer | null = null;
    private reader = new AnswerReader();
    startedAt = 0;

    start(): void {
      this.socket = connect({ host: target.hostname, port, noDelay: true });
      this.reader = new AnswerReader();
      this.pending = null;
      this.socket.on('connect', () => this.send());
      this.socket.on('data', (chunk: Buffer) => this.read(chunk));
      // A refused connection has no request in flight; one lost mid-request is counted when it closes.
      this.socket.on('error', () => open && !this.startedAt && errors++);
      this.socket.on('close', () => this.lost());
    }

    stop(): void {
      this.socket.removeAllListeners('close');
      this.socket.destroy();
    }

    /** A request unanswered for longer than the timeout counts as an error; the client starts over on a new connection. */
    expire(now: number): void {
      if (this.startedAt && now - this.startedAt > timeoutMs) {
        errors++;
        this.restart();
      }
    }

    /** Abandons the request in flight, if any, and starts over on a new connection. */
    private restart(): void {
      this.startedAt = 0;
      this.stop();
      if (open) this.start();
    }

    private send(): void {
      if (!open) return;
      const request = encode(options.next(sent++));
      this.startedAt = performance.now();
      this.socket.write(request);
    }

    private read(chunk: Buffer): void {
      const data = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
      let used: number;
      try {
        used = this.reader.feed(data);
      } catch {
        // An answer this reader cannot follow: count it and start over on a new connection.
        errors++;
        return this.restart();
      }
      this.pending = used < data.length ? data.subarray(used) : null;
      if (!this.reader.done) return;
      latencies.push(performance.now() - this.startedAt);
      this.startedAt = 0;
      if (this.reader.status < 200 || this.reader.status > 299) non2xx++;
      if (this.reader.close) return this.restart();
      this.reader = new AnswerReader();
      this.send();
    }

    private lost(): void {
      if (!open) return;
      if (this.startedAt) errors++;
      this.startedAt = 0;
      // Refused or dropped: wait a little so a dead server does not spin the loop.
      setTimeout(() => open && this.start(), 10);
    }
  }

  const began = performance.now();
  for (let i = 0; i < options.connections; i++) {
    const client = new Client();
    clients.push(client);
    client.start();
  }
  const watchdog = setInterval(() => {
    const now = performance.now();
    for (const client of clients) client.expire(now);
  }, 250);
  await new Promise((resolve) => setTimeout(resolve, options.duration * 1000));
  open = false;
  const elapsed = (performance.now() - began) / 1000;
  clearInterval(watchdog);
  for (const client of clients) client.stop();

  const sorted = Float64Array.from(latencies).sort();
  const at = (q: number) => (sorted.length ? round(sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]) : 0);
  return {
    total: sorted.length,
    rps: Math.round(sorted.length / elapsed),
    latency: { p50: at(0.5), p90: at(0.9), p99: at(0.99), max: at(1) },
    non2xx,
    errors,
  };
}

const round = (ms: number) => Math.round(ms * 100) / 100;

/**
 * Reads one HTTP/1.1 answer from the bytes of a connection: the status, whether
 * the server closes the connection after it, and where its body ends
 * (Content-Length or chunked). Bytes past the answer are left to the caller.
 */
export class AnswerReader {
  status = 0;
  close = false;
  done = false;
  private headersRead = false;
  private remaining = 0;
  private chunked = false;
  /** In a chunked body: expecting a chunk's size line (true) or the CRLF that ends a chunk's data (false). */
  private atSizeLine = true;
  private lastChunk = false;

  /** Consumes bytes of `data` and returns how many it used; `done` tells whether the answer is complete. */
  feed(data: Buffer): number {
    let offset = 0;
    if (!this.headersRead) {
      const end = data.indexOf(CRLF2);
      if (end < 0) return 0;
      this.readHead(data.toString('latin1', 0, end));
      this.headersRead = true;
      offset = end + 4;
    }
    if (!this.chunked) {
      const take = Math.min(this.remaining, data.length - offset);
      this.remaining -= take;
      this.done = this.remaining === 0;
      return offset + take;
    }
    return this.feedChunks(data, offset);
  }

  private readHead(head: string): void {
    this.status = Number(head.slice(9, 12));
    const version11 = head.startsWith('HTTP/1.1');
    let keepAlive = version11;
    for (const line of head.split('\r\n').slice(1)) {
      const colon = line.indexOf(':');
      const name = line.slice(0, colon).toLowerCase();
      const value = line.slice(colon + 1).trim().toLowerCase();
      if (name === 'content-length') this.remaining = Number(value);
      else if (name === 'transfer-encoding') this.chunked = value.endsWith('chunked');
      else if (name === 'connection') keepAlive = value === 'keep-alive' || (version11 && value !== 'close');
    }
    this.close = !keepAlive;
  }

  private feedChunks(data: Buffer, offset: number): number {
    for (;;) {
      if (this.remaining > 0) {
        const take = Math.min(this.remaining, data.length - offset);
        this.remaining -= take;
        offset += take;
        if (this.remaining > 0) return offset;
      }
      if (!this.atSizeLine && !this.lastChunk) {
        // A chunk's data ends with CRLF, right where its size said.
        if (data.length - offset < 2) return offset;
        if (data[offset] !== 13 || data[offset + 1] !== 10) throw new Error('a chunk of the answer is longer than its size line says');
        offset += 2;
        this.atSizeLine = true;
        continue;
      }
      const eol = data.indexOf('\r\n', offset, 'latin1');
      if (eol < 0) return offset;
      if (this.atSizeLine) {
        const size = parseInt(data.toString('latin1', offset, eol), 16);
        offset = eol + 2;
        if (size === 0) {
          this.lastChunk = true;
          this.atSizeLine = false;
          continue;
        }
        this.remaining = size;
        this.atSizeLine = false;
      } else {
        // The empty line after the last chunk (trailers are not expected).
        this.done = true;
        return eol + 2;
      }
    }
  }
}
