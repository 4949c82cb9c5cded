import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A notification waiting in the outbox: written in the transaction of the
 * change it reports, deleted once the broker has confirmed it. The row id is
 * the sending order.
 */
@Entity({ name: 'notification_outbox' })
export class OutboxNotification {
  @PrimaryGeneratedColumn()
  id: number;

  /** <topic>.<priority>, as oslo.messaging routes it. */
  @Column({ name: 'routing_key', type: 'varchar', length: 255 })
  routingKey: string;

  /** oslo.messaging's message, serialised. */
  @Column({ type: 'text' })
  message: string;

  @Column({ name: 'created_at', type: 'varchar', length: 32 })
  createdAt: string;
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
