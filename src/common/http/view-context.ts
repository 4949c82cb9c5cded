import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { Identity } from './identity';

/** What a service needs from the request: the public base URL, the API version and the caller. */
export interface ViewContext {
  base: string;
  minor: number;
  caller: Identity;
}

export const View = createParamDecorator(
  (_data: unknown, context: ExecutionContext): ViewContext => {
    const request = context.switchToHttp().getRequest<Request>();
    return viewContextOf(request);
  },
);

export function viewContextOf(request: Request): ViewContext {
  return { base: request.publicBase, minor: request.apiVersion, caller: request.identity };
}
