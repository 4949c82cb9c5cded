import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import type { EntitySet } from '../config/data-source-options';

/**
 * A notification waiting in the outbox: written in the transaction of the
 * change it reports, deleted once the broker has confirmed it. The row id is
 * the sending order.
 *
 * TypeORM takes one type per column, whatever the database, so the message,
 * longtext on MySQL, lives in OutboxNotification and MysqlOutboxNotification,
 * and each database registers one of them.
 */
abstract class OutboxNotificationColumns {
  @PrimaryGeneratedColumn()
  id: number;

  /** <topic>.<priority>, as oslo.messaging routes it. */
  @Column({ name: 'routing_key', type: 'varchar', length: 255 })
  routingKey: string;

  @Column({ name: 'created_at', type: 'varchar', length: 32 })
  createdAt: string;
}

/** The notification_outbox table on SQLite and PostgreSQL. */
@Entity({ name: 'notification_outbox' })
export class OutboxNotification extends OutboxNotificationColumns {
  /** oslo.messaging's message, serialised. */
  @Column({ type: 'text' })
  message: string;
}

/**
 * The notification_outbox table on MySQL/MariaDB: a message carries a whole
 * item, whose JSON columns are mediumtext there, so it is longtext.
 */
@Entity({ name: 'notification_outbox' })
export class MysqlOutboxNotification extends OutboxNotificationColumns {
  @Column({ type: 'longtext' })
  message: string;
}

/**
 * The lease that makes one replica at a time the outbox's sender: one row,
 * named 'outbox', seeded by the migration.
 */
@Entity({ name: 'notification_relay' })
export class NotificationRelayLease {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  name: string;

  /** The replica sending, or null while none holds the lease. */
  @Column({ type: 'varchar', length: 255, nullable: true })
  holder: string | null;

  /** Epoch milliseconds; TypeORM reads a bigint as a string. */
  @Column({ name: 'expires_at', type: 'bigint' })
  expiresAt: string;
}

/** The outbox and its relay's lease, for the data source. */
export const OUTBOX_ENTITIES: EntitySet = {
  portable: [OutboxNotification, NotificationRelayLease],
  mysql: [MysqlOutboxNotification, NotificationRelayLease],
};
