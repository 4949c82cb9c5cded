import { NestApplicationOptions, StreamableFile } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import type { Express, Request, Response } from 'express';
import { createServer } from 'node:http';
import { serverTypesFor } from './service-request';
import { TurnEndWriter } from './turn-end-writer';

/**
 * Express under Nest, with the answer the API gives nearly always (a JSON
 * object to a GET, POST or PATCH without conditions) written in one step:
 * serialised once and handed to Node as one string with its length, which
 * Node sends with the headers in a single write, at the end of the event
 * loop's turn together with the other answers of that turn
 * (turn-end-writer.ts). Express's res.json turns a body of 1,000 bytes or
 * more into a Buffer, which goes out as a second chunk (writev), and looks
 * up its settings and the request's freshness each time.
 * Everything else (HEAD, conditional requests, a Content-Type already set,
 * streams, strings, errors) is answered by Express as before.
 */
export class JsonReplyAdapter extends ExpressAdapter {
  private readonly writer = new TurnEndWriter();

  /**
   * Node's HTTP server, making its request and response objects with their
   * properties declared and Express's prototypes already theirs (service-request.ts).
   */
  override initHttpServer(options: NestApplicationOptions): void {
    if (options?.httpsOptions || options?.forceCloseConnections) return super.initHttpServer(options);
    const app = this.getInstance<Express>();
    this.httpServer = createServer(serverTypesFor(app), app);
  }

  override reply(response: Response, body: unknown, statusCode?: number): unknown {
    if (!isJsonObject(body) || !answersDirectly(response)) return super.reply(response, body, statusCode);
    const text = JSON.stringify(body);
    if (statusCode) response.statusCode = statusCode;
    response.setHeader('Content-Type', 'application/json; charset=utf-8');
    response.setHeader('Content-Length', Buffer.byteLength(text));
    this.writer.end(response, text);
    return response;
  }
}

function isJsonObject(body: unknown): body is object {
  return (
    typeof body === 'object' &&
    body !== null &&
    !(body instanceof StreamableFile) &&
    !(body instanceof Error) &&
    !ArrayBuffer.isView(body)
  );
}

/** What Express would do more with: a HEAD (no body), a conditional request (maybe 304), a chosen content type. */
function answersDirectly(response: Response): boolean {
  const request: Request = response.req;
  if (request.method === 'HEAD') return false;
  const headers = request.headers;
  if (headers['if-none-match'] !== undefined || headers['if-modified-since'] !== undefined) return false;
  return !response.hasHeader('Content-Type');
}
