import { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Request, Response } from 'express';

/** The prototypes Express gives every request and response (`app.request`, `app.response`). */
export interface ExpressPrototypes {
  request: object;
  response: object;
}

type RequestType = typeof IncomingMessage;
type ResponseType = typeof ServerResponse;
/** What createServer takes to make its requests and responses with. */
export interface ServerTypes {
  IncomingMessage: RequestType;
  ServerResponse: ResponseType;
}

/**
 * The constructors Node's server makes its requests and responses with
 * (createServer's IncomingMessage and ServerResponse options), for one
 * Express app, whose request and response prototypes become theirs.
 *
 * Express sets each request's prototype to app.request, and each response's to
 * app.response, before any middleware runs. Object.setPrototypeOf on a live
 * object is one of V8's slow paths, and the objects it touches outlive the
 * young generation: on a bare Node server answering a fixed body at 50
 * connections, swapping the two prototypes per request cut it from 69,000
 * to 29,000 requests in 5 s and promoted 3 KB a request to the old
 * generation, which then needed a 5–15 ms full collection every second.
 * Objects made with app.request as their prototype make Express's swap a
 * no-op (V8 returns at once when the prototype is unchanged).
 *
 * The objects are made by subclasses of Node's (`super()`), whose prototypes
 * take the place of app.request and app.response: Express's methods behind
 * them, the app's own properties on them. Node's constructor applied to an
 * object made elsewhere (`ServerResponse.call(this)`) gave the same objects
 * at 0.95 µs a response instead of 0.06: V8 sizes an object made by `new`
 * for what its constructors add, and grows the other one property by property.
 *
 * Each object also gets, when it is made, every property Express, its router
 * and the service's middleware give it later (common/http/express.d.ts), so
 * that each assignment is a plain store on an object of a known shape.
 */
export function serverTypesFor(app: ExpressPrototypes): ServerTypes {
  class ServiceRequest extends IncomingMessage {
    constructor(socket: Socket) {
      super(socket);
      declareRequestProperties(this);
    }
  }
  // Node passes the server's options too (@types/node leaves them out).
  const NodeResponse = ServerResponse as unknown as new (request: IncomingMessage, options?: object) => ServerResponse;
  class ServiceResponse extends NodeResponse {
    constructor(request: IncomingMessage, options?: object) {
      super(request, options);
      declareResponseProperties(this);
    }
  }
  app.request = standIn(ServiceRequest.prototype, app.request);
  app.response = standIn(ServiceResponse.prototype, app.response);
  return { IncomingMessage: ServiceRequest, ServerResponse: ServiceResponse as unknown as ResponseType };
}

/** Makes `prototype` what `expressPrototype` is: its own properties (the app) on it, Express's methods behind it. */
function standIn(prototype: object, expressPrototype: object): object {
  Object.setPrototypeOf(prototype, Object.getPrototypeOf(expressPrototype));
  Object.defineProperties(prototype, Object.getOwnPropertyDescriptors(expressPrototype));
  return prototype;
}

function declareRequestProperties(request: IncomingMessage): void {
  const declared = request as Partial<Request> & { next?: unknown };
  // Express and its router
  declared.res = undefined;
  declared.next = undefined;
  declared.baseUrl = undefined;
  declared.originalUrl = undefined;
  declared.params = undefined;
  declared.route = undefined;
  // the service's middleware
  declared.body = undefined;
  declared.requestId = undefined;
  declared.publicBase = undefined;
  declared.apiVersion = 0;
  declared.identity = undefined;
  declared.startedAt = 0n;
}

function declareResponseProperties(response: ServerResponse): void {
  (response as Partial<Response>).locals = undefined;
}
