import { invalid } from '../../common/errors/ironic-errors';
import type { CollectionSpec, ListQuery } from '../../common/collection/list-query';
import { anyArg, booleanArg, integerArg, stringArg, stringListArg, uuidArg, uuidOrNameArg, validateArgs } from '../../common/collection/query-args';

/** The arguments of a volume list, as its handler declares them (and so checks them). */
const VOLUME_LIST_ARGS = {
  node: uuidOrNameArg,
  marker: uuidArg,
  limit: integerArg,
  sort_key: stringArg,
  sort_dir: stringArg,
  fields: stringListArg,
  detail: booleanArg,
  project: anyArg,
};

export type VolumeListArgs = ReturnType<typeof volumeListArgs>;

/** The arguments' names and types, in their declared order: the first checks of a volume list. */
export const volumeListArgs = (query: Record<string, unknown>) => validateArgs(query, VOLUME_LIST_ARGS);

/**
 * A volume list's query, checked as Ironic's get_all checks it: the
 * arguments (unknown names, repeats, types) in their declared order, then
 * fields with detail, the limit and the sort direction. The marker, the sort
 * key and the fields' names are checked later, in Ironic's order, against
 * the data (listPage, the service).
 */
export function volumeListQuery(query: Record<string, unknown>, spec: CollectionSpec, maxLimit: number): ListQuery {
  return checkVolumeListArgs(volumeListArgs(query), spec, maxLimit);
}

export function checkVolumeListArgs(args: VolumeListArgs, spec: CollectionSpec, maxLimit: number): ListQuery {
  const detail = args.detail ?? false;
  if (args.fields?.length && detail) throw invalid("Can't fetch a subset of fields with 'detail' set");
  if (args.limit !== undefined && args.limit <= 0) throw invalid('Limit must be positive');
  const sortDir = args.sort_dir ?? 'asc';
  if (sortDir !== 'asc' && sortDir !== 'desc') {
    throw invalid(`Invalid sort direction: ${sortDir}. Acceptable values are 'asc' or 'desc'`);
  }
  let fields: string[] | null = args.fields ?? (detail ? null : [...spec.defaultFields]);
  if (args.fields && args.fields.length === 0) fields = [];
  return {
    fields,
    detail: detail && !args.fields,
    explicitFields: args.fields !== undefined,
    limit: Math.min(args.limit ?? maxLimit, maxLimit),
    marker: args.marker ?? null,
    sortKey: args.sort_key || 'id',
    sortDir,
    node: args.node ?? null,
  };
}
