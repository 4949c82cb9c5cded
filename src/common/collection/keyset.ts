import type { DatabaseKind } from '../../config/config';
import type { SortDir } from './list-query';

export interface MarkerRow {
  id: number;
  value: unknown;
}

/**
 * ORDER BY and WHERE for keyset pagination on (sort column, id): page N
 * costs an index range scan like page 1, never an OFFSET. NULLs sort first
 * ascending (as SQLite and MySQL do; PostgreSQL is told so explicitly).
 */
export function keyset(
  kind: DatabaseKind,
  column: string,
  idColumn: string,
  dir: SortDir,
  marker: MarkerRow | null,
  nullable: boolean,
): { where: string | null; params: unknown[]; orderBy: string } {
  const desc = dir === 'desc';
  const op = desc ? '<' : '>';
  const nulls = kind === 'postgres' && nullable ? (desc ? ' NULLS LAST' : ' NULLS FIRST') : '';
  const orderBy =
    column === idColumn
      ? `${idColumn} ${dir.toUpperCase()}`
      : `${column} ${dir.toUpperCase()}${nulls}, ${idColumn} ${dir.toUpperCase()}`;
  if (!marker) return { where: null, params: [], orderBy };
  if (column === idColumn) return { where: `${idColumn} ${op} ?`, params: [marker.id], orderBy };

  const tie = `(${column} = ? AND ${idColumn} ${op} ?)`;
  if (marker.value === null || marker.value === undefined) {
    return desc
      ? { where: `(${column} IS NULL AND ${idColumn} < ?)`, params: [marker.id], orderBy }
      : { where: `((${column} IS NULL AND ${idColumn} > ?) OR ${column} IS NOT NULL)`, params: [marker.id], orderBy };
  }
  const where = desc && nullable ? `(${column} < ? OR ${tie} OR ${column} IS NULL)` : `(${column} ${op} ? OR ${tie})`;
  return { where, params: [marker.value, marker.value, marker.id], orderBy };
}
