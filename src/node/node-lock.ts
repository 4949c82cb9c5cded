import { Inject, Injectable } from '@nestjs/common';
import { hostname } from 'node:os';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config';
import { Db, Tx } from '../common/db/db.service';
import { classifyDbError } from '../common/db/db-errors';
import { NodeLocked, NodeNotFound } from '../common/errors/ironic-errors';

/** A node's row as read under its lock: what decides whether a change may go ahead. */
export interface LockedNode {
  id: number;
  uuid: string;
  power_state: string | null;
  version: number;
  reservation: string | null;
  reserved_at: string | null;
}

/**
 * Node row locks. Every write that depends on a node's state (a volume
 * change, a node PATCH, a power or provision action) takes the node's row
 * lock first and reads the state under it, so that two such writes on one
 * node never interleave, in one process or across replicas. Rows are locked
 * in id order so that two requests locking the same pair cannot deadlock.
 * SQLite needs no row lock: its transactions here are serialised and begin
 * IMMEDIATE.
 *
 * A power action holds the node's reservation (Ironic's node lock) for as
 * long as the BMC takes, outside any transaction; changes that find it held
 * answer 409 NodeLocked, as Ironic does. A reservation older than
 * NODE_RESERVATION_TIMEOUT_SECONDS was left by a process that died, and
 * counts as free.
 */
@Injectable()
export class NodeLocks {
  readonly host = hostname();

  constructor(
    private readonly db: Db,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Locks the nodes' rows until tx ends; answers them in the order asked, 404 for one that is gone. */
  async lock(tx: Tx, nodes: readonly { id: number; uuid: string }[]): Promise<LockedNode[]> {
    const ids = [...new Set(nodes.map((n) => n.id))].sort((a, b) => a - b);
    let rows: LockedNode[];
    try {
      rows = await tx.query<LockedNode>(
        `SELECT id, uuid, power_state, version, reservation, reserved_at FROM nodes WHERE id IN (${ids.map(() => '?').join(', ')}) ORDER BY id${this.db.forUpdate}`,
        ids,
      );
    } catch (error) {
      if (classifyDbError(error)?.kind === 'lock') throw NodeLocked(nodes.map((n) => n.uuid).join(', '), this.host);
      throw error;
    }
    const byId = new Map(rows.map((row) => [row.id, row]));
    return nodes.map((node) => {
      const row = byId.get(node.id);
      if (!row) throw NodeNotFound(node.uuid);
      return row;
    });
  }

  /** 409 NodeLocked while another action holds a node's reservation. */
  assertNotReserved(nodes: readonly LockedNode[]): void {
    for (const node of nodes) if (this.isReserved(node)) throw NodeLocked(node.uuid, node.reservation!);
  }

  isReserved(node: Pick<LockedNode, 'reservation' | 'reserved_at'>): boolean {
    if (!node.reservation || !node.reserved_at) return false;
    return Date.now() - Date.parse(node.reserved_at) < this.config.nodeReservationTimeoutMs;
  }
}
