import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';

/** What a response body needs from the request: the public base URL and the API version. */
export interface ViewContext {
  base: string;
  minor: number;
}

export const View = createParamDecorator(
  (_data: unknown, context: ExecutionContext): ViewContext => {
    const request = context.switchToHttp().getRequest<Request>();
    return { base: request.publicBase, minor: request.apiVersion };
  },
);
