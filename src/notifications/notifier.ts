import { Inject, Injectable } from '@nestjs/common';
import { Db, Tx } from '../common/db/db.service';
import { nowIso } from '../common/time';
import { Event, message, priorityOf } from './notification';
import { OutboxRepository } from './outbox.repository';
import { LEVELS, NOTIFICATION_CONFIG, NotificationConfig } from './notification-config';

/**
 * Writes notifications to the outbox, in the transaction of the change they
 * report: the change and its events commit together or not at all. The
 * relay sends them. With NOTIFICATION_LEVEL unset, nothing is written.
 */
@Injectable()
export class Notifier {
  private readonly config: NotificationConfig | null;

  constructor(
    private readonly db: Db,
    private readonly outbox: OutboxRepository,
    @Inject(NOTIFICATION_CONFIG) config: NotificationConfig | null,
  ) {
    this.config = config;
  }

  get enabled(): boolean {
    return this.config !== null;
  }

  /** One row per event and topic, in order, for the events at or above the configured level; one INSERT. */
  async record(tx: Tx, events: readonly Event[]): Promise<void> {
    const config = this.config;
    if (!config) return;
    const rows: { routingKey: string; message: string; createdAt: string }[] = [];
    const at = nowIso();
    for (const event of events) {
      const priority = priorityOf(event.status);
      if (LEVELS.indexOf(priority) < LEVELS.indexOf(config.level)) continue;
      const text = JSON.stringify(message(event, config.host));
      for (const topic of config.topics) rows.push({ routingKey: `${topic}.${priority}`, message: text, createdAt: at });
    }
    await this.outbox.insert(tx, rows);
  }

  /** Events of a change that was refused: in a small transaction of their own. */
  async recordRefusal(events: readonly Event[]): Promise<void> {
    if (!this.config) return;
    await this.db.write((tx) => this.record(tx, events));
  }
}
