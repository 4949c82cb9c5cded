import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';

/** What an argument parser reads of a request: the path's parameters, the query, the body and the API version. */
export interface RequestArgs {
  params: Record<string, string>;
  query: Record<string, unknown>;
  body: unknown;
  minor: number;
}

/** Turns a request's arguments into the typed values a handler takes, refusing them in Ironic's order. */
export type ArgsParser<T> = (request: RequestArgs) => T;

/**
 * A handler's arguments, parsed at the door: the parser runs once the guards
 * have passed and before the handler, so a handler and the services it
 * calls see typed values only, never the request. One parser per handler
 * reads every argument Ironic checks before it looks anything up, in
 * Ironic's order (several decorators would be resolved in no set order).
 */
export const Args = createParamDecorator(<T>(parser: ArgsParser<T>, context: ExecutionContext): T =>
  parser(requestArgsOf(context.switchToHttp().getRequest<Request>())),
);

export function requestArgsOf(request: Request): RequestArgs {
  return {
    params: request.params as Record<string, string>,
    query: request.query as Record<string, unknown>,
    body: request.body as unknown,
    minor: request.apiVersion,
  };
}
