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
export const ApiListQuery = (options: { node?: boolean; sortKeys: readonly string[]; detailView?: boolean }) =>
  applyDecorators(
    ...(options.node
      ? [ApiQuery({ name: 'node', required: false, type: String, description: 'Only items of this node (UUID or name).' })]
      : []),
    // A /detail view answers every field and takes neither argument.
    ...(options.detailView
      ? []
      : [
          ApiQuery({ name: 'fields', required: false, type: String, description: 'Comma-separated fields to return (plus links).' }),
          ApiQuery({ name: 'detail', required: false, schema: { type: 'boolean', default: false }, description: 'Return every field.' }),
        ]),
    ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, default: 1000 }, description: 'Page size; capped at MAX_LIMIT (1000 by default).' }),
    ApiQuery({ name: 'marker', required: false, schema: { type: 'string', format: 'uuid' }, description: 'UUID of the last item of the previous page.' }),
    ApiQuery({ name: 'sort_key', required: false, schema: { type: 'string', default: 'id', enum: [...options.sortKeys] }, description: 'Sort column.' }),
    ApiQuery({ name: 'sort_dir', required: false, schema: { type: 'string', default: 'asc', enum: ['asc', 'desc'] }, description: 'Sort direction.' }),
  );

/** The filters of a node list (Ironic's NodesController.get_all); each narrows the list, all together AND. */
export const ApiNodeListFilters = () =>
  applyDecorators(
    ...(
      [
        ['instance_uuid', 'Only the node of this instance (UUID).', 'string'],
        ['associated', 'Only nodes with (true) or without (false) an instance.', 'boolean'],
        ['maintenance', 'Only nodes in (true) or out of (false) maintenance.', 'boolean'],
        ['retired', 'Only retired nodes (true: none here, as ironvol does not retire nodes) or not retired ones.', 'boolean'],
        ['provision_state', 'Only nodes in this provision state (from 1.9).', 'string'],
        ['driver', 'Only nodes of this hardware type (from 1.16).', 'string'],
        ['resource_class', 'Only nodes of this resource class (from 1.21).', 'string'],
        ['owner', 'Only nodes this project owns (from 1.50).', 'string'],
        ['lessee', 'Only nodes this project leases (from 1.65).', 'string'],
        ['project', 'Only nodes this project owns or leases.', 'string'],
        ['description_contains', 'Only nodes whose description contains this text.', 'string'],
        ['chassis_uuid', 'Only nodes of this chassis (404 here: ironvol has no chassis).', 'string'],
        ['fault', 'Only nodes with this fault (from 1.42; none here).', 'string'],
        ['conductor_group', 'Only nodes of this conductor group (from 1.46; every node is in the default group "").', 'string'],
        ['conductor', 'Only nodes managed by this conductor (from 1.49; none here).', 'string'],
        ['shard', 'Only nodes of these shards (from 1.82; none here).', 'string'],
        ['sharded', 'Only nodes with (true: none here) or without a shard (from 1.82).', 'boolean'],
      ] as const
    ).map(([name, description, type]) => ApiQuery({ name, required: false, schema: { type }, description })),
  );
