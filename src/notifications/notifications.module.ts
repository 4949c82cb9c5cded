import { Global, Module } from '@nestjs/common';
import { Notifier } from './notifier';
import { OutboxRelay } from './outbox-relay';
import { OutboxRepository } from './outbox.repository';

/** Versioned notifications: the outbox writer for every module, and the relay that sends the outbox to RabbitMQ. */
@Global()
@Module({ providers: [OutboxRepository, Notifier, OutboxRelay], exports: [Notifier] })
export class NotificationsModule {}
