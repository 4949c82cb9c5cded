import { Global, Module } from '@nestjs/common';
import { Notifier } from './notifier';
import { OutboxRelay } from './outbox-relay';

/** Versioned notifications: the outbox writer for every module, and the relay that sends the outbox to RabbitMQ. */
@Global()
@Module({ providers: [Notifier, OutboxRelay], exports: [Notifier] })
export class NotificationsModule {}
