import { Injectable } from '@nestjs/common';
import type { Tx } from '../common/db/db.service';
import { nowIso } from '../common/time';
import { reservationsHeld } from '../observability/metrics';
import { NodeRepository } from './node.repository';

type Step = (tx: Tx, at: string) => Promise<unknown>;

/**
 * Ironic's node reservation: held by this process while it talks to a
 * node's BMC, outside any transaction. Taking it and giving it back are
 * each one short transaction under the node's row lock; what the action
 * records is written in the same transaction as the release, and only if
 * the reservation is still this action's (one that expired and was taken
 * over by another replica is not).
 */
@Injectable()
export class NodeReservations {
  constructor(private readonly nodes: NodeRepository) {}

  /** Reserves the node (409 NodeLocked if another holds it) and runs `also` in the same transaction; answers the reservation's time. */
  async reserve(node: { id: number; uuid: string }, purpose: string, also?: Step): Promise<string> {
    const at = nowIso();
    await this.nodes.write(node.uuid, async (tx) => {
      await this.nodes.acquire(tx, [node], purpose);
      await this.nodes.reserve(tx, node.id, at);
      await also?.(tx, at);
    });
    reservationsHeld.inc();
    return at;
  }

  /** Reserves the node if nobody holds it; null when another does (a sync skips such a node). Other errors go on. */
  async tryReserve(node: { id: number; uuid: string }, purpose: string, also?: Step): Promise<string | null> {
    try {
      return await this.reserve(node, purpose, also);
    } catch (error) {
      if ((error as { status?: number }).status === 409) return null;
      throw error;
    }
  }

  /** Records the outcome with `also` and frees the node, if the reservation taken at `reservedAt` is still this one. */
  async release(node: { id: number; uuid: string }, reservedAt: string, also?: Step): Promise<boolean> {
    reservationsHeld.dec();
    return this.nodes.write(node.uuid, async (tx) => {
      const row = await this.nodes.reservation(tx, node.id);
      if (!row || row.reservation !== this.nodes.host || !sameInstant(row.reserved_at, reservedAt)) return false;
      await also?.(tx, nowIso());
      await this.nodes.unreserve(tx, node.id);
      return true;
    });
  }
}

/** Whether two timestamps name the same instant (databases give them back in their own formats). */
function sameInstant(a: string | Date | null, b: string): boolean {
  return a !== null && new Date(a).getTime() === new Date(b).getTime();
}
