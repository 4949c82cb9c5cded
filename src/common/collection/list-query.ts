import { invalid } from '../errors/ironic-errors';
import { canonicalUuid, NODE_NAME_RE } from '../validation/uuid';
import { anyArg, booleanArg, integerArg, parseBoolean, stringArg, stringListArg, uuidArg, uuidOrNameArg, validateArgs } from './query-args';

export { parseBoolean } from './query-args';

export type SortDir = 'asc' | 'desc';

/** What a resource's collection allows: Ironic's per-resource rules. */
export interface CollectionSpec {
  /** Every field a resource answers with (what ?fields= may name). */
  fields: readonly string[];
  /** Fields of a list without ?detail or ?fields. */
  defaultFields: readonly string[];
  /** Columns ?sort_key= may name. */
  sortable: readonly string[];
  /** Known columns that cannot be sorted by (JSON): a differently worded 400. */
  unsortable: readonly string[];
  /** Sortable columns that may hold NULL. */
  nullable?: readonly string[];
}

export interface ListQuery {
  /** The fields to answer with; null means all of them (?detail=True). */
  fields: readonly string[] | null;
  detail: boolean;
  /** Whether ?fields= named the fields (as opposed to the defaults). */
  explicitFields: boolean;
  limit: number;
  marker: string | null;
  sortKey: string;
  sortDir: SortDir;
  /** ?node= filter: a UUID or a name. */
  node: string | null;
}

type Query = Record<string, unknown>;

/** A query parameter as one string: the last one wins when it is repeated. */
export function queryString(query: Query, name: string): string | undefined {
  const value = query[name];
  if (value === undefined) return undefined;
  if (Array.isArray(value)) return queryString({ [name]: value[value.length - 1] }, name);
  if (typeof value !== 'string') throw invalid(`Invalid value for ${name}: it must be a single string.`);
  return value;
}

export function parseFields(value: string | undefined, spec: CollectionSpec): string[] | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const fields = [...new Set(value.split(',').map((f) => f.trim()).filter(Boolean))];
  assertKnownFields(fields, spec);
  return fields;
}

/** Ironic's check_for_invalid_fields. */
export function assertKnownFields(fields: readonly string[] | null, spec: CollectionSpec): void {
  const unknown = fields?.filter((f) => !spec.fields.includes(f)) ?? [];
  if (unknown.length) throw invalid(`Field(s) "${unknown.join(', ')}" are not valid`);
}

/** Ironic's sort key checks, made after the marker is found: JSON columns, then unknown columns. */
export function assertSortable(sortKey: string, spec: CollectionSpec): void {
  if (spec.unsortable.includes(sortKey)) throw invalid(`The sort_key value ${sortKey} is an invalid field for sorting`);
  if (!spec.sortable.includes(sortKey)) throw invalid(`The sort_key value "${sortKey}" is an invalid field for sorting`);
}

/** The arguments of a volume list, as its handler declares them (and so checks them). */
export const VOLUME_LIST_ARGS = {
  node: uuidOrNameArg,
  marker: uuidArg,
  limit: integerArg,
  sort_key: stringArg,
  sort_dir: stringArg,
  fields: stringListArg,
  detail: booleanArg,
  project: anyArg,
};

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

export type VolumeListArgs = ReturnType<typeof volumeListArgs>;
export const volumeListArgs = (query: Record<string, unknown>) => validateArgs(query, VOLUME_LIST_ARGS);

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

export function parseNodeIdent(value: string | undefined, name = 'node'): string | null {
  if (value === undefined || value === '') return null;
  const uuid = canonicalUuid(value);
  if (uuid) return uuid;
  if (!NODE_NAME_RE.test(value)) throw invalid(`Expected UUID or name for ${name}: ${value}`);
  return value;
}

/**
 * Reads fields, detail, limit, marker, sort_key, sort_dir and node, checking
 * them in Ironic's order and with its messages.
 */
export function parseListQuery(query: Query, spec: CollectionSpec, maxLimit: number): ListQuery {
  const node = parseNodeIdent(queryString(query, 'node'));

  const rawMarker = queryString(query, 'marker');
  let marker: string | null = null;
  if (rawMarker !== undefined && rawMarker !== '') {
    marker = canonicalUuid(rawMarker);
    if (!marker) throw invalid(`Expected UUID for marker: ${rawMarker}`);
  }

  const rawLimit = queryString(query, 'limit');
  let limit: number | undefined;
  if (rawLimit !== undefined && rawLimit !== '') {
    if (!/^\s*[-+]?\d+\s*$/.test(rawLimit)) throw invalid(`Expected an integer for limit: ${rawLimit}`);
    limit = Number(rawLimit);
  }

  const sortKey = queryString(query, 'sort_key') || 'id';
  const rawDir = queryString(query, 'sort_dir') || 'asc';
  const fields = parseFields(queryString(query, 'fields'), spec);
  const detail = parseBoolean(queryString(query, 'detail'), 'detail') ?? false;

  if (fields && detail) throw invalid("Can't fetch a subset of fields with 'detail' set");
  if (limit !== undefined && limit <= 0) throw invalid('Limit must be positive');
  const sortDir = rawDir.toLowerCase();
  if (sortDir !== 'asc' && sortDir !== 'desc') {
    throw invalid(`Invalid sort direction: ${rawDir}. Acceptable values are 'asc' or 'desc'`);
  }
  return {
    fields: detail ? null : (fields ?? spec.defaultFields),
    detail,
    explicitFields: fields !== undefined,
    limit: Math.min(limit ?? maxLimit, maxLimit),
    marker,
    sortKey,
    sortDir,
    node,
  };
}
