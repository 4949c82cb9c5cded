import { invalid } from '../../common/errors/ironic-errors';
import type { CollectionSpec, ListRequest } from '../../common/collection/list-query';
import type { ArgsParser } from '../../common/http/args.decorator';
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
export function volumeListQuery(query: Record<string, unknown>, spec: CollectionSpec): ListRequest {
  return checkVolumeListArgs(volumeListArgs(query), spec);
}

export function checkVolumeListArgs(args: VolumeListArgs, spec: CollectionSpec): ListRequest {
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
    limit: args.limit,
    marker: args.marker ?? null,
    sortKey: args.sort_key || 'id',
    sortDir,
    node: args.node ?? null,
  };
}

/** The arguments of a volume list, parsed at the door. */
export const volumeListArgsOf = (spec: CollectionSpec): ArgsParser<ListRequest> => ({ query }) => volumeListQuery(query, spec);

/** The arguments of a node's volume list: their names and types only; the rest is checked once the node is looked up. */
export interface NodeVolumeListArgs {
  ident: string;
  args: VolumeListArgs;
}

export const nodeVolumeListArgs: ArgsParser<NodeVolumeListArgs> = ({ params, query }) => ({
  ident: params.node_ident,
  args: volumeListArgs(query),
});
