import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { classifyDbError, LockTimeout } from '../db/db-errors';
import { errorEnvelope } from './error-envelope';
import { DatabaseUnavailable, IronicError, ResourceNotFound, TokenCheckError } from './ironic-errors';

/** Turns every error into Ironic's error envelope; nothing else reaches the client. */
@Catch()
export class IronicExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    this.respond(exception, host.switchToHttp().getRequest<Request>(), host.switchToHttp().getResponse<Response>());
  }

  /** Writes the envelope for an error; also used for errors of the Express-level middleware. */
  respond(exception: unknown, request: Request, response: Response): void {
    const error = this.toIronicError(exception);
    // A Keystone outage is logged where it is found, once per failed call, without a stack.
    if (error.status >= 500 && !(error instanceof TokenCheckError)) {
      this.logger.error(
        `${request.method} ${request.originalUrl} failed: ${(exception as Error)?.stack ?? String(exception)}`,
      );
    }
    if (response.headersSent) return;
    for (const [name, value] of Object.entries(error.headers)) response.setHeader(name, value);
    response.status(error.status).json(errorEnvelope(error));
  }

  private toIronicError(exception: unknown): IronicError {
    if (exception instanceof IronicError) return exception;
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      if (status === HttpStatus.NOT_FOUND) return ResourceNotFound();
      const body = exception.getResponse();
      const message =
        typeof body === 'object' && body !== null && 'message' in body
          ? [(body as { message: unknown }).message].flat().join('; ')
          : exception.message;
      return new IronicError(status, message);
    }
    const db = classifyDbError(exception);
    if (db?.kind === 'unavailable') return DatabaseUnavailable();
    // What locked is named where it is known (NodeRepository.write); anything else that waited too long is told to retry.
    if (exception instanceof LockTimeout || db?.kind === 'lock') {
      return new IronicError(HttpStatus.CONFLICT, 'The request waited too long for a lock held by another request; please retry.');
    }
    return new IronicError(HttpStatus.INTERNAL_SERVER_ERROR, 'An internal error occurred; the request was not completed.');
  }
}
