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
 * (createServer's IncomingMessage and ServerResponse options), for one Express app.
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
 * Each object also gets, when it is made, every property Express, its router
 * and the service's middleware give it later (common/http/express.d.ts), so
 * that each assignment is a plain store on an object of a known shape.
 */
export function serverTypesFor(app: ExpressPrototypes, node: ServerTypes = { IncomingMessage, ServerResponse }): ServerTypes {
  if (isClass(node.IncomingMessage) || isClass(node.ServerResponse)) return declaredSubclasses(node);
  const NodeRequest = node.IncomingMessage;
  const NodeResponse = node.ServerResponse;
  function ServiceRequest(this: IncomingMessage, socket: Socket): void {
    Reflect.apply(NodeRequest, this, [socket]);
    declareRequestProperties(this);
  }
  ServiceRequest.prototype = app.request;
  function ServiceResponse(this: ServerResponse, request: IncomingMessage, options?: object): void {
    Reflect.apply(NodeResponse, this, [request, options]);
    declareResponseProperties(this);
  }
  ServiceResponse.prototype = app.response;
  return { IncomingMessage: ServiceRequest as unknown as RequestType, ServerResponse: ServiceResponse as unknown as ResponseType };
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

/**
 * Node's request and response constructors are functions today; were they
 * ever classes (which cannot be applied to an object made elsewhere), the
 * objects still get their declared properties, and Express swaps their prototypes.
 */
function isClass(constructor: Function): boolean {
  return Function.prototype.toString.call(constructor).startsWith('class');
}

function declaredSubclasses(node: ServerTypes): ServerTypes {
  const NodeResponse = node.ServerResponse as unknown as new (request: IncomingMessage, options?: object) => ServerResponse;
  class DeclaredRequest extends node.IncomingMessage {
    constructor(socket: Socket) {
      super(socket);
      declareRequestProperties(this);
    }
  }
  class DeclaredResponse extends NodeResponse {
    constructor(request: IncomingMessage, options?: object) {
      super(request, options);
      declareResponseProperties(this);
    }
  }
  return { IncomingMessage: DeclaredRequest, ServerResponse: DeclaredResponse as unknown as ResponseType };
}
