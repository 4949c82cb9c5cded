import { Inject, Injectable } from '@nestjs/common';
import { Db, Tx } from '../../common/db/db.service';
import { listPage } from '../../common/collection/list-page';
import type { ListQuery } from '../../common/collection/list-query';
import { Stored, VOLUME_KIND, VolumeKind, VolumeRow } from './volume-kind';

export type Filter = { sql: string; params: unknown[] };
type Runner = Pick<Tx, 'query'>;

/**
 * The SQL of one volume resource's table. Reads join the node for its UUID,
 * power state and project, so a list page or a show is one query. Writes
 * run on the transaction they are given, and change a row only at the
 * version that was read (compare-and-set): false means another request
 * changed the row first.
 *
 * TypeORM defines the schema (the entities and migrations) and opens the
 * connections; the SQL here is written by hand and runs through Db rather
 * than TypeORM's query builder and query runners, for two measured reasons:
 *
 * - cost: a show through `createQueryBuilder().…getRawOne()` answered 1,789
 *   req/s against 2,550 through Db (SQLite, 10 connections, p99 19 ms
 *   against 15 ms: `npm run bench -- --scenarios show`, the two variants
 *   side by side with --vs);
 * - failure: TypeORM 1.1's PostgreSQL query runner takes a pooled connection
 *   without listening for its 'error' event, so a connection that dies
 *   between statements ends the process; Db listens (see db.service.ts, and
 *   the fault test that kills the service's backends under load).
 */
@Injectable()
export class VolumeRepository<Data> {
  private readonly columns: string;
  private readonly from: string;
  private readonly itemsFirst: string;
  /** A show's query, written once: it runs on every show, patch and delete. */
  private readonly byUuid: string;

  constructor(
    private readonly db: Db,
    @Inject(VOLUME_KIND) private readonly kind: VolumeKind<Data>,
  ) {
    this.columns = [
      'r.id', 'r.uuid', 'r.node_id', 'r.version', 'r.created_at', 'r.updated_at',
      ...kind.data.map((f) => `r.${f.name}`),
      'n.uuid AS node_uuid', 'n.power_state AS node_power_state', 'n.owner AS node_owner', 'n.lessee AS node_lessee',
    ].join(', ');
    this.from = `${kind.table} r JOIN nodes n ON n.id = r.node_id`;
    this.byUuid = `SELECT ${this.columns} FROM ${this.from} WHERE r.uuid = ?`;
    // SQLite keeps the tables of a CROSS JOIN in the order written; the others plan it as a JOIN.
    this.itemsFirst = db.kind === 'better-sqlite3' ? `${kind.table} r CROSS JOIN nodes n ON n.id = r.node_id` : this.from;
  }

  async findByUuid(uuid: string, runner: Runner = this.db): Promise<VolumeRow<Data> | null> {
    const rows = await runner.query<VolumeRow<Data>>(this.byUuid, [uuid]);
    return rows[0] ?? null;
  }

  /**
   * One page in one keyset query: the items of one node (`node`, on the
   * joined node, alias n), or of all nodes the caller may see (`scope`).
   * For a caller who sees every node, SQLite is told to walk the items in
   * their order and look each one's node up: with 1,000,000 connectors its
   * planner otherwise went through every node and its connectors from the
   * marker on, and sorted them (33 ms for a page after a marker, 0.3 ms
   * walking the items). A node, or a project's nodes (indexed by owner and
   * lessee), are better found first, and the planner is left to see it.
   */
  page(query: ListQuery, filters: { node: Filter | null; scope: Filter[] }, beforeSortKeyRefused?: () => Promise<unknown>): Promise<VolumeRow<Data>[]> {
    return listPage<VolumeRow<Data>>(this.db, {
      table: this.kind.table,
      alias: 'r',
      columns: this.columns,
      from: filters.node || filters.scope.length ? this.from : this.itemsFirst,
      filters: filters.node ? [filters.node, ...filters.scope] : filters.scope,
      query,
      spec: this.kind.collection,
      markerNotFound: this.kind.notFound,
      beforeSortKeyRefused,
    });
  }

  async insert(tx: Tx, row: { uuid: string; nodeId: number; createdAt: string; data: Data }): Promise<void> {
    const columns = ['uuid', 'node_id', 'version', 'created_at', ...this.kind.data.map((f) => f.name)];
    const stored = this.stored(row.data);
    await tx.run(
      `INSERT INTO ${this.kind.table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
      [row.uuid, row.nodeId, 1, row.createdAt, ...this.kind.data.map((f) => stored[f.name])],
    );
  }

  async update(tx: Tx, current: VolumeRow<Data>, change: { data: Data; nodeId: number; updatedAt: string }): Promise<boolean> {
    const stored = this.stored(change.data);
    const sets = this.kind.data.map((f) => `${f.name} = ?`).join(', ');
    const changed = await tx.run(
      `UPDATE ${this.kind.table} SET ${sets}, node_id = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?`,
      [...this.kind.data.map((f) => stored[f.name]), change.nodeId, change.updatedAt, current.id, current.version],
    );
    return changed > 0;
  }

  async delete(tx: Tx, current: VolumeRow<Data>): Promise<boolean> {
    return (await tx.run(`DELETE FROM ${this.kind.table} WHERE id = ? AND version = ?`, [current.id, current.version])) > 0;
  }

  /** Whether an item holds the kind's other unique key with these values. */
  async takenOtherKey(data: Data, nodeId: number): Promise<boolean> {
    const values = this.kind.otherUniqueColumns.map((c) => (c === 'node_id' ? nodeId : (data as Record<string, unknown>)[c]));
    const rows = await this.db.query(
      `SELECT uuid FROM ${this.kind.table} WHERE ${this.kind.otherUniqueColumns.map((c) => `${c} = ?`).join(' AND ')}`,
      values,
    );
    return rows.length > 0;
  }

  /** Whether writing data would leave the row's columns as they are. */
  unchanged(row: VolumeRow<Data>, data: Data): boolean {
    const stored = this.stored(data);
    return this.kind.data.every((f) => (row as Record<string, unknown>)[f.name] === stored[f.name]);
  }

  /** The data as its columns hold it. */
  stored(data: Data): Stored<Data> {
    const stored: Record<string, unknown> = {};
    for (const field of this.kind.data) {
      const value = data[field.name];
      stored[field.name] = field.json ? JSON.stringify(value ?? {}) : (value ?? null);
    }
    return stored as Stored<Data>;
  }

  /** The data of a row as the API reads and patches it. */
  data(row: VolumeRow<Data>): Data {
    const data: Record<string, unknown> = {};
    for (const field of this.kind.data) {
      const value = (row as Record<string, unknown>)[field.name];
      data[field.name] = field.json ? JSON.parse((value as string) || '{}') : value;
    }
    return data as Data;
  }
}
