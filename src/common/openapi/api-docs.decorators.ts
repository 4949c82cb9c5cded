import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiHeader, ApiOperation, ApiQuery, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { ErrorEnvelopeDto, TokenCheckErrorDto } from '../dto/error.dto';
import { MAX_VERSION_STRING, VERSION_HEADER } from '../microversion/microversion';

const ERROR_TEXT: Record<number, string> = {
  400: 'Bad request: invalid input, or the node is not in a state that allows the change.',
  401: 'Missing or invalid credentials (AUTH_STRATEGY http_basic, jwt or keystone; keystone answers in keystonemiddleware\'s shape).',
  403: 'The caller\'s role or project does not allow the operation.',
  404: 'Not found (or not available at the requested API version).',
  406: 'The requested API version is not supported.',
  409: 'Conflict: a duplicate, or the node is locked by another operation.',
  412: 'If-Match does not match the current ETag.',
  413: 'The request body is too large.',
  429: 'Too many requests from this client (when rate limiting is on).',
  503: 'The database is unavailable, or (AUTH_STRATEGY=keystone, in keystonemiddleware\'s shape) Keystone is.',
};

/**
 * Documents the error statuses an operation can answer, each with Ironic's
 * envelope. Every /v1 operation can answer 400 (a malformed version header),
 * 406 (an unsupported version), 429 (rate limited) and 503 (the database is
 * down); @Policy adds 401 and 403.
 */
export const ApiErrors = (...statuses: number[]) =>
  applyDecorators(
    ...[...new Set([400, ...statuses, 406, 429, 503])].sort().map((status) => ApiError(status)),
  );

/** Statuses that the Keystone token check can answer too, in its own shape. */
const TOKEN_CHECK_STATUSES = new Set([401, 503]);

/** One error status of an operation, with its body (Ironic's envelope, or the token check's where it can answer). */
export const ApiError = (status: number, description = ERROR_TEXT[status] ?? 'Error.') =>
  TOKEN_CHECK_STATUSES.has(status)
    ? applyDecorators(
        ApiExtraModels(ErrorEnvelopeDto, TokenCheckErrorDto),
        ApiResponse({
          status,
          description,
          schema: { oneOf: [{ $ref: getSchemaPath(ErrorEnvelopeDto) }, { $ref: getSchemaPath(TokenCheckErrorDto) }] },
        }),
      )
    : ApiResponse({ status, description, type: ErrorEnvelopeDto });

/** An operation of the versioned API: its id, summary, and the microversion request header. */
export const ApiOp = (operationId: string, summary: string, description?: string) =>
  applyDecorators(
    ApiOperation({ operationId, summary, description: description ?? summary }),
    ApiHeader({
      name: VERSION_HEADER,
      required: false,
      description: `API microversion, "1.N" or "latest" (maximum ${MAX_VERSION_STRING}); absent means 1.1. Volume resources need 1.32 or later.`,
      schema: { type: 'string', default: MAX_VERSION_STRING },
    }),
  );

/** The query parameters of Ironic's collections. */
export const ApiListQuery = (options: { node?: boolean; sortKeys: readonly string[] }) =>
  applyDecorators(
    ...(options.node
      ? [ApiQuery({ name: 'node', required: false, type: String, description: 'Only items of this node (UUID or name).' })]
      : []),
    ApiQuery({ name: 'fields', required: false, type: String, description: 'Comma-separated fields to return (plus links).' }),
    ApiQuery({ name: 'detail', required: false, schema: { type: 'boolean', default: false }, description: 'Return every field.' }),
    ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, default: 1000 }, description: 'Page size; capped at MAX_LIMIT (1000 by default).' }),
    ApiQuery({ name: 'marker', required: false, schema: { type: 'string', format: 'uuid' }, description: 'UUID of the last item of the previous page.' }),
    ApiQuery({ name: 'sort_key', required: false, schema: { type: 'string', default: 'id', enum: [...options.sortKeys] }, description: 'Sort column.' }),
    ApiQuery({ name: 'sort_dir', required: false, schema: { type: 'string', default: 'asc', enum: ['asc', 'desc'] }, description: 'Sort direction.' }),
  );
