import { Inject, Injectable } from '@nestjs/common';
import { hostname } from 'node:os';
import { APP_CONFIG } from '../config/config.module';
import type { ServiceConfig } from '../config/config';
import { Db, Tx } from '../common/db/db.service';
import { LockTimeout } from '../common/db/db-errors';
import { listPage } from '../common/collection/list-page';
import type { CollectionSpec, ListQuery } from '../common/collection/list-query';
import { IronicError, NodeLocked, NodeNotFound } from '../common/errors/ironic-errors';
import type { Logger } from 'pino';
import { nowIso } from '../common/time';
import { LOGGER } from '../observability/logger';
import type { Node } from './node.entity';

/** A nodes row as the database returns it: the entity's columns (SQLite gives a boolean back as 0 or 1). */
export type NodeRow = Omit<Node, 'maintenance'> & { maintenance: boolean | number };

/** What a change may write: any column but the identity and the bookkeeping the repository keeps. */
export type NodeChange = Partial<Omit<NodeRow, 'id' | 'uuid' | 'version' | 'updated_at' | 'reservation' | 'reserved_at'>>;

/** A reference to a node, enough to check, scope and lock it. */
export interface NodeRef {
  id: number;
  uuid: string;
  power_state: string | null;
  owner: string | null;
  lessee: string | null;
}

/** A node's row as read under its lock: what decides whether a change may go ahead. */
export type LockedNode = Pick<NodeRow, 'id' | 'uuid' | 'power_state' | 'version' | 'reservation' | 'reserved_at'>;

/** What power-state sync and the live check read of a node behind a BMC. */
export type MachineRow = Pick<NodeRow, 'id' | 'uuid' | 'driver' | 'power_state' | 'driver_info' | 'last_error' | 'reservation' | 'reserved_at'>;

export interface NodePageRequest {
  query: ListQuery;
  spec: CollectionSpec;
  filters: { sql: string; params: unknown[] }[];
  /** Runs once the marker is found (a filter naming something that does not exist). */
  afterMarker?: () => Promise<unknown>;
}

const COLUMNS = [
  'id', 'uuid', 'name', 'driver', 'description', 'owner', 'lessee', 'power_state', 'target_power_state', 'provision_state',
  'target_provision_state', 'provision_updated_at', 'maintenance', 'maintenance_reason', 'instance_uuid', 'resource_class',
  'last_error', 'properties', 'extra', 'driver_info', 'instance_info', 'version', 'reservation', 'reserved_at', 'created_at',
  'updated_at', 'boot_interface', 'deploy_interface', 'storage_interface',
] as const satisfies readonly (keyof NodeRow)[];
/** Every column of the entity is read: the compiler refuses a column added to the entity and not listed here. */
const EVERY_COLUMN_READ: Exclude<keyof NodeRow, (typeof COLUMNS)[number]> extends never ? true : never = true;
void EVERY_COLUMN_READ;
const ALL = COLUMNS.join(', ');
const REF = 'id, uuid, power_state, owner, lessee';
const LOCKED = 'id, uuid, power_state, version, reservation, reserved_at';
const MACHINE = 'id, uuid, driver, power_state, driver_info, last_error, reservation, reserved_at';

/** The column a node identifier names: a canonical UUID, or a name. */
const identColumn = (ident: string, isUuid: boolean) => (isUuid ? 'uuid' : 'name');

/**
 * Every query on `nodes`. Reads take the database or a transaction; writes
 * take the transaction of the change. Every change to a node's data goes
 * through update(), which bumps the version (the ETag) and stamps
 * updated_at; taking and giving back a reservation is no change to the
 * node's data and leaves both alone.
 *
 * Locking, as Ironic's task_manager.acquire: acquire() locks the node rows
 * in id order (so two requests locking the same pair cannot deadlock) and
 * refuses a node whose reservation another action holds. SQLite needs no
 * row lock: its write transactions are serialised and begin IMMEDIATE. A
 * lock not had within NODE_LOCK_TIMEOUT_MS, in write(), is the same 409.
 * A reservation older than NODE_RESERVATION_TIMEOUT_SECONDS was left by a
 * process that died, and counts as free.
 */
@Injectable()
export class NodeRepository {
  /**
   * The name this process reserves nodes under (Ironic's conductor host);
   * each worker of WORKERS has its own, so that a worker started in place of
   * one that died frees that one's nodes and never a live sibling's.
   */
  readonly host: string;

  constructor(
    private readonly db: Db,
    @Inject(APP_CONFIG) private readonly config: ServiceConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.host = config.workerSlot === null ? hostname() : `${hostname()}/worker-${config.workerSlot}`;
  }

  /**
   * Runs fn in a write transaction on behalf of the nodes it names (for the
   * refusal's wording); a lock not had in time answers 409 NodeLocked.
   */
  async write<T>(nodes: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
    try {
      return await this.db.write(fn);
    } catch (error) {
      if (error instanceof LockTimeout) throw this.locked(nodes, null);
      throw error;
    }
  }

  /** A node by canonical UUID or by name. */
  async findByIdent(ident: string, isUuid: boolean, runner: Pick<Tx, 'query'> = this.db): Promise<NodeRow | null> {
    const rows = await runner.query<NodeRow>(`SELECT ${ALL} FROM nodes WHERE ${identColumn(ident, isUuid)} = ?`, [ident]);
    return rows[0] ?? null;
  }

  async findById(tx: Tx, id: number): Promise<NodeRow | null> {
    const [row] = await tx.query<NodeRow>(`SELECT ${ALL} FROM nodes WHERE id = ?`, [id]);
    return row ?? null;
  }

  async findRef(ident: string, isUuid: boolean): Promise<NodeRef | null> {
    const rows = await this.db.query<NodeRef>(`SELECT ${REF} FROM nodes WHERE ${identColumn(ident, isUuid)} = ?`, [ident]);
    return rows[0] ?? null;
  }

  async hasName(name: string): Promise<boolean> {
    return (await this.db.query('SELECT id FROM nodes WHERE name = ?', [name])).length > 0;
  }

  /** One page of nodes (alias n), in one keyset query. */
  page(request: NodePageRequest): Promise<NodeRow[]> {
    return listPage<NodeRow>(this.db, {
      table: 'nodes',
      alias: 'n',
      columns: COLUMNS.map((c) => `n.${c}`).join(', '),
      from: 'nodes n',
      filters: request.filters,
      query: request.query,
      spec: request.spec,
      markerNotFound: NodeNotFound,
      afterMarker: request.afterMarker,
    });
  }

  /** The nodes whose machines power-state sync reads: those of these drivers, managed, not in maintenance. */
  machinesToSync(drivers: readonly string[]): Promise<MachineRow[]> {
    return this.db.query<MachineRow>(
      `SELECT ${MACHINE} FROM nodes WHERE driver IN (${drivers.map(() => '?').join(', ')}) AND provision_state <> 'enroll' AND maintenance = ?`,
      [...drivers, false],
    );
  }

  async machine(tx: Tx, id: number): Promise<MachineRow> {
    const [row] = await tx.query<MachineRow>(`SELECT ${MACHINE} FROM nodes WHERE id = ?`, [id]);
    return row;
  }

  /**
   * Nodes in these provision states that no live action holds: reserved by
   * this host, and (unless this is a worker other than the first, which
   * leaves them to it) unreserved or left by a dead process.
   */
  async interrupted(states: readonly string[]): Promise<NodeRow[]> {
    const rows = await this.db.query<NodeRow>(`SELECT ${ALL} FROM nodes WHERE provision_state IN (${states.map(() => '?').join(', ')})`, states);
    const first = (this.config.workerSlot ?? 0) === 0;
    return rows.filter((row) => row.reservation === this.host || (first && (row.reservation === null || !this.isReserved(row))));
  }

  /** The machines of nodes by UUID, read without a lock (the live check asks their BMCs before any transaction). */
  machinesByUuid(uuids: readonly string[]): Promise<MachineRow[]> {
    return this.db.query<MachineRow>(`SELECT ${MACHINE} FROM nodes WHERE uuid IN (${uuids.map(() => '?').join(', ')})`, uuids);
  }

  async insert(tx: Tx, columns: NodeChange & Pick<NodeRow, 'uuid' | 'created_at'>): Promise<void> {
    const names = Object.keys(columns);
    await tx.run(`INSERT INTO nodes (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`, Object.values(columns));
  }

  /** Writes a change to a node's data: the version moves on and updated_at is stamped (at, or now). Answers the stamp. */
  async update(tx: Tx, id: number, change: NodeChange, at = nowIso()): Promise<string> {
    const names = Object.keys(change);
    const sets = names.map((name) => `${name} = ?`);
    await tx.run(`UPDATE nodes SET ${[...sets, 'version = version + 1', 'updated_at = ?'].join(', ')} WHERE id = ?`, [
      ...Object.values(change),
      at,
      id,
    ]);
    return at;
  }

  async delete(tx: Tx, id: number): Promise<void> {
    await tx.run('DELETE FROM nodes WHERE id = ?', [id]);
  }

  /**
   * Ironic's task_manager.acquire: locks the nodes' rows until tx ends (in
   * id order), refuses a node whose reservation another action holds (409
   * NodeLocked, naming the holder), and answers the rows in the order asked
   * (404 for one that is gone). The purpose ("volume connector update",
   * "power state change") goes to the debug log, as Ironic's does.
   */
  async acquire(tx: Tx, nodes: readonly { id: number; uuid: string }[], purpose: string): Promise<LockedNode[]> {
    this.logger.debug({ nodes: nodes.map((n) => n.uuid), purpose }, 'locking nodes');
    const ids = [...new Set(nodes.map((n) => n.id))].sort((a, b) => a - b);
    const rows = await tx.query<LockedNode>(
      `SELECT ${LOCKED} FROM nodes WHERE id IN (${ids.map(() => '?').join(', ')}) ORDER BY id${this.db.forUpdate}`,
      ids,
    );
    const byId = new Map(rows.map((row) => [row.id, row]));
    const locked = nodes.map((node) => {
      const row = byId.get(node.id);
      if (!row) throw NodeNotFound(node.uuid);
      return row;
    });
    this.assertFree(locked);
    return locked;
  }

  /** 409 NodeLocked while another action holds a node's reservation. */
  assertFree(nodes: readonly Pick<NodeRow, 'uuid' | 'reservation' | 'reserved_at'>[]): void {
    for (const node of nodes) if (this.isReserved(node)) throw this.locked(node.uuid, node.reservation);
  }

  isReserved(node: Pick<NodeRow, 'reservation' | 'reserved_at'>): boolean {
    if (!node.reservation || !node.reserved_at) return false;
    return Date.now() - Date.parse(node.reserved_at) < this.config.nodeReservationTimeoutMs;
  }

  /** Takes the node's reservation for this process, at `at`; the caller has acquired the node. */
  async reserve(tx: Tx, id: number, at: string): Promise<void> {
    await tx.run('UPDATE nodes SET reservation = ?, reserved_at = ? WHERE id = ?', [this.host, at, id]);
  }

  /** The node's reservation, read under its row lock. */
  async reservation(tx: Tx, id: number): Promise<Pick<NodeRow, 'uuid' | 'reservation' | 'reserved_at'> | null> {
    const [row] = await tx.query<Pick<NodeRow, 'uuid' | 'reservation' | 'reserved_at'>>(
      `SELECT uuid, reservation, reserved_at FROM nodes WHERE id = ?${this.db.forUpdate}`,
      [id],
    );
    return row ?? null;
  }

  async unreserve(tx: Tx, id: number): Promise<void> {
    await tx.run('UPDATE nodes SET reservation = NULL, reserved_at = NULL WHERE id = ?', [id]);
  }

  /** Ironic's NodeLocked, naming the holder; a row lock not had in time names this host (the holder is not known). */
  private locked(nodes: string, holder: string | null): IronicError {
    return NodeLocked(nodes, holder ?? this.host);
  }
}
