import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { connect, ChannelModel, ConfirmChannel } from 'amqplib';
import type { Logger } from 'pino';
import { OutboxRepository } from './outbox.repository';
import { LOGGER } from '../observability/logger';
import { notificationsSent, outboxRows, relayConnected } from '../observability/metrics';
import { NOTIFICATION_CONFIG, NotificationConfig } from './notification-config';

const BATCH = 200;
/** How long the sender's lease lasts without renewal; another replica takes over after it. */
const LEASE_MS = 10_000;
const COUNT_EVERY_MS = 5_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Sends the outbox to RabbitMQ as oslo.messaging's messagingv2 driver
 * does: the topic exchange `ironic` (not durable, as oslo declares it), the
 * routing key <topic>.<priority> with oslo's default queue of that name,
 * the body {"oslo.version": "2.0", "oslo.message": "<JSON>"}, persistent,
 * JSON. A row is deleted only after the broker has confirmed it (publisher
 * confirms), so a broker that is down makes the outbox grow, and it drains
 * once the broker is back. One replica sends at a time (a lease in the
 * notification_relay table), in the order the rows were written; a crash
 * between send and delete sends a row again, with the same message_id and
 * _unique_id, which oslo.messaging's consumers drop as a duplicate.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly config: NotificationConfig | null;
  private readonly me = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  private leaseUntil = 0;
  private connection: ChannelModel | null = null;
  private channel: ConfirmChannel | null = null;
  private readonly declared = new Set<string>();
  private loop: Promise<void> | null = null;
  private stopping = false;
  private brokerDown = false;
  private countedAt = 0;

  constructor(
    private readonly outbox: OutboxRepository,
    @Inject(NOTIFICATION_CONFIG) config: NotificationConfig | null,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.config = config;
  }

  onApplicationBootstrap(): void {
    if (this.config) this.loop = this.run(this.config);
  }

  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    await this.loop;
    await this.connection?.close().catch(() => undefined);
    if (this.leaseUntil > Date.now()) {
      await this.outbox.releaseLease(this.me).catch(() => undefined);
    }
  }

  private async run(config: NotificationConfig): Promise<void> {
    let backoff = config.relayIntervalMs;
    while (!this.stopping) {
      try {
        const sent = await this.pass(config);
        backoff = config.relayIntervalMs;
        if (sent === BATCH) continue;
      } catch (error) {
        this.disconnect();
        if (!this.brokerDown) this.logger.warn({ broker: config.brokerName, err: (error as Error).message }, 'cannot send notifications; they wait in the outbox');
        this.brokerDown = true;
        backoff = Math.min(backoff * 2, 5_000);
      }
      await sleep(backoff);
    }
  }

  /** One batch: the lease, the oldest rows, published and confirmed, then deleted. Answers how many were sent. */
  private async pass(config: NotificationConfig): Promise<number> {
    if (!(await this.holdLease())) return 0;
    await this.count();
    const rows = await this.outbox.oldest(BATCH);
    if (!rows.length) return 0;
    const channel = await this.connect(config);
    for (const row of rows) {
      await this.declare(channel, config, row.routing_key);
      const { message_id } = JSON.parse(row.message) as { message_id: string };
      const body = Buffer.from(JSON.stringify({ 'oslo.version': '2.0', 'oslo.message': row.message }));
      channel.publish(config.exchange, row.routing_key, body, { contentType: 'application/json', contentEncoding: 'utf-8', deliveryMode: 2, messageId: message_id });
    }
    await channel.waitForConfirms();
    await this.outbox.delete(rows.map((r) => r.id));
    for (const row of rows) notificationsSent.inc({ routing_key: row.routing_key });
    if (this.brokerDown) this.logger.info({ broker: config.brokerName }, 'sending notifications again');
    this.brokerDown = false;
    return rows.length;
  }

  /** Takes or renews the sender's lease; false while another replica holds it. */
  private async holdLease(): Promise<boolean> {
    const now = Date.now();
    if (this.leaseUntil - now > LEASE_MS / 2) return true;
    const held = await this.outbox.takeLease(this.me, now, now + LEASE_MS);
    this.leaseUntil = held ? now + LEASE_MS : 0;
    return held;
  }

  private async count(): Promise<void> {
    if (Date.now() - this.countedAt < COUNT_EVERY_MS) return;
    this.countedAt = Date.now();
    outboxRows.set(await this.outbox.count());
  }

  private async connect(config: NotificationConfig): Promise<ConfirmChannel> {
    if (this.channel) return this.channel;
    const connection = await connect(config.brokerUrl, { timeout: 5_000 });
    connection.on('error', () => undefined);
    connection.on('close', () => this.disconnect());
    const channel = await connection.createConfirmChannel();
    channel.on('error', () => undefined);
    channel.on('close', () => this.disconnect());
    await channel.assertExchange(config.exchange, 'topic', { durable: false, autoDelete: false });
    this.connection = connection;
    this.channel = channel;
    relayConnected.set(1);
    return channel;
  }

  /** oslo.messaging's default queue for a routing key, so nothing is lost before a consumer binds. */
  private async declare(channel: ConfirmChannel, config: NotificationConfig, routingKey: string): Promise<void> {
    if (this.declared.has(routingKey)) return;
    await channel.assertQueue(routingKey, { durable: false, autoDelete: false });
    await channel.bindQueue(routingKey, config.exchange, routingKey);
    this.declared.add(routingKey);
  }

  private disconnect(): void {
    const connection = this.connection;
    this.connection = null;
    this.channel = null;
    this.declared.clear();
    relayConnected.set(0);
    connection?.close().catch(() => undefined);
  }
}
