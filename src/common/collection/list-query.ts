import { invalid } from '../errors/ironic-errors';

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

/** A list as the client asks for it: the limit it names, if any, not yet capped by the service's MAX_LIMIT. */
export type ListRequest = Omit<ListQuery, 'limit'> & { limit: number | undefined };

/** The list the service answers: the limit asked for, at most maxLimit (which is also the default). */
export function capLimit<T extends ListRequest>(request: T, maxLimit: number): Omit<T, 'limit'> & ListQuery {
  return { ...request, limit: Math.min(request.limit ?? maxLimit, maxLimit) };
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
