import { Injectable } from '@nestjs/common';
import { Db, Tx } from '../common/db/db.service';
import { nowIso } from '../common/time';
import { reservationsHeld } from '../observability/metrics';
import { NodeLocks } from './node-lock';

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
  constructor(
    private readonly db: Db,
    private readonly locks: NodeLocks,
  ) {}

  /** Reserves the node (409 NodeLocked if another holds it) and runs `also` in the same transaction; answers the reservation's time. */
  async reserve(node: { id: number; uuid: string }, also?: Step): Promise<string> {
    const at = nowIso();
    await this.db.write(async (tx) => {
      const [locked] = await this.locks.lock(tx, [node]);
      this.locks.assertNotReserved([locked]);
      await tx.run('UPDATE nodes SET reservation = ?, reserved_at = ? WHERE id = ?', [this.locks.host, at, node.id]);
      await also?.(tx, at);
    }, node.uuid);
    reservationsHeld.inc();
    return at;
  }

  /** Reserves the node if nobody holds it; null when another does (a sync skips such a node). Other errors go on. */
  async tryReserve(node: { id: number; uuid: string }, also?: Step): Promise<string | null> {
    try {
      return await this.reserve(node, also);
    } catch (error) {
      if ((error as { status?: number }).status === 409) return null;
      throw error;
    }
  }

  /** Records the outcome with `also` and frees the node, if the reservation taken at `reservedAt` is still this one. */
  async release(id: number, reservedAt: string, also?: Step): Promise<boolean> {
    reservationsHeld.dec();
    return this.db.write(async (tx) => {
      const [row] = await tx.query<{ uuid: string; reservation: string | null; reserved_at: string | null }>(
        `SELECT uuid, reservation, reserved_at FROM nodes WHERE id = ?${this.db.forUpdate}`,
        [id],
      );
      if (!row || row.reservation !== this.locks.host || !sameInstant(row.reserved_at, reservedAt)) return false;
      await also?.(tx, nowIso());
      await tx.run('UPDATE nodes SET reservation = NULL, reserved_at = NULL WHERE id = ?', [id]);
      return true;
    });
  }
}

/** Whether two timestamps name the same instant (databases give them back in their own formats). */
function sameInstant(a: string | Date | null, b: string): boolean {
  return a !== null && new Date(a).getTime() === new Date(b).getTime();
}
