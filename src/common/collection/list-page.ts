import type { Db } from '../db/db.service';
import type { IronicError } from '../errors/ironic-errors';
import { keyset } from './keyset';
import { assertSortable, CollectionSpec, ListQuery } from './list-query';

export interface PageRequest {
  /** Table of the listed resource, and its alias in `from`. */
  table: string;
  alias: string;
  /** Column list after SELECT. */
  columns: string;
  /** FROM clause (the table with its alias, plus joins). */
  from: string;
  /** Extra WHERE conditions, ANDed. */
  filters?: { sql: string; params: unknown[] }[];
  query: ListQuery;
  spec: CollectionSpec;
  markerNotFound: (uuid: string) => IronicError;
  /** Runs once the marker is found, before the sort key is checked (a filter that names something missing). */
  afterMarker?: () => Promise<unknown>;
  /** Runs before an unknown sort key is refused: a missing filtered node is reported first, as Ironic does. */
  beforeSortKeyRefused?: () => Promise<unknown>;
}

/** One page of a keyset-paginated list, in a single indexed query. */
export async function listPage<Row>(db: Db, page: PageRequest): Promise<Row[]> {
  const { query, alias } = page;
  let marker = null;
  if (query.marker) {
    const rows = await db.query<{ id: number; value: unknown }>(
      `SELECT id, ${page.spec.sortable.includes(query.sortKey) ? query.sortKey : 'id'} AS value FROM ${page.table} WHERE uuid = ?`,
      [query.marker],
    );
    if (!rows.length) throw page.markerNotFound(query.marker);
    marker = rows[0];
  }
  await page.afterMarker?.();
  if (!page.spec.sortable.includes(query.sortKey) && !page.spec.unsortable.includes(query.sortKey)) {
    await page.beforeSortKeyRefused?.();
  }
  assertSortable(query.sortKey, page.spec);
  const order = keyset(
    db.kind,
    `${alias}.${query.sortKey}`,
    `${alias}.id`,
    query.sortDir,
    marker,
    page.spec.nullable?.includes(query.sortKey) ?? false,
  );
  const conditions = [...(page.filters ?? [])];
  if (order.where) conditions.push({ sql: order.where, params: order.params });
  const where = conditions.length ? ` WHERE ${conditions.map((c) => c.sql).join(' AND ')}` : '';
  const limit = db.limit(query.limit);
  return db.query<Row>(
    `SELECT ${page.columns} FROM ${page.from}${where} ORDER BY ${order.orderBy} ${limit.sql}`,
    [...conditions.flatMap((c) => c.params), ...limit.params],
  );
}
