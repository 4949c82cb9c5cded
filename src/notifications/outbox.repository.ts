import { Injectable } from '@nestjs/common';
import { Db, Tx } from '../common/db/db.service';

/** A notification waiting to be sent. */
export interface OutboxRow {
  id: number;
  routing_key: string;
  message: string;
}

/**
 * Every query on the notification outbox and its sender's lease. Rows are
 * written in the transaction of the change they report and deleted once
 * the broker has confirmed them; the lease (one row, name 'outbox') says
 * which replica sends.
 */
@Injectable()
export class OutboxRepository {
  constructor(private readonly db: Db) {}

  /** One row per (routing key, message), in order, in one INSERT. */
  async insert(tx: Tx, rows: readonly { routingKey: string; message: string; createdAt: string }[]): Promise<void> {
    if (!rows.length) return;
    await tx.run(
      `INSERT INTO notification_outbox (routing_key, message, created_at) VALUES ${rows.map(() => '(?, ?, ?)').join(', ')}`,
      rows.flatMap((row) => [row.routingKey, row.message, row.createdAt]),
    );
  }

  /** The oldest rows, in the order they were written. */
  oldest(limit: number): Promise<OutboxRow[]> {
    return this.db.query<OutboxRow>(`SELECT id, routing_key, message FROM notification_outbox ORDER BY id LIMIT ${Number(limit)}`);
  }

  async delete(ids: readonly number[]): Promise<void> {
    await this.db.write((tx) => tx.run(`DELETE FROM notification_outbox WHERE id IN (${ids.map(() => '?').join(', ')})`, ids));
  }

  async count(): Promise<number> {
    const [row] = await this.db.query<{ n: number | string }>('SELECT COUNT(*) AS n FROM notification_outbox');
    return Number(row.n);
  }

  /** Takes or renews the lease for `holder` until `until` (ms since the epoch), if it is free, expired or already its own. */
  async takeLease(holder: string, now: number, until: number): Promise<boolean> {
    const changed = await this.db.write((tx) =>
      tx.run("UPDATE notification_relay SET holder = ?, expires_at = ? WHERE name = 'outbox' AND (holder = ? OR holder IS NULL OR expires_at < ?)", [
        holder, until, holder, now,
      ]),
    );
    return changed > 0;
  }

  async releaseLease(holder: string): Promise<void> {
    await this.db.write((tx) => tx.run("UPDATE notification_relay SET holder = NULL, expires_at = 0 WHERE name = 'outbox' AND holder = ?", [holder]));
  }
}
