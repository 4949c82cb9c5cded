import { MigrationInterface, QueryRunner, Table } from 'typeorm';

/**
 * The notification outbox: each notification is a row written in the
 * transaction of the change it reports, sent by the relay and deleted once
 * the broker has confirmed it. The relay table holds the lease that makes
 * one replica at a time the sender, so that events leave in the order they
 * were written.
 */
export class NotificationOutbox1764979200000 implements MigrationInterface {
  name = 'NotificationOutbox1764979200000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.createTable(
      new Table({
        name: 'notification_outbox',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'routing_key', type: 'varchar', length: '255' },
          // A message carries a whole item (target properties up to MariaDB's mediumtext): longtext there.
          { name: 'message', type: runner.connection.options.type === 'mysql' ? 'longtext' : 'text' },
          { name: 'created_at', type: 'varchar', length: '32' },
        ],
      }),
    );
    await runner.createTable(
      new Table({
        name: 'notification_relay',
        columns: [
          { name: 'name', type: 'varchar', length: '64', isPrimary: true },
          { name: 'holder', type: 'varchar', length: '255', isNullable: true },
          { name: 'expires_at', type: 'bigint' },
        ],
      }),
    );
    await runner.query("INSERT INTO notification_relay (name, holder, expires_at) VALUES ('outbox', NULL, 0)");
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropTable('notification_relay');
    await runner.dropTable('notification_outbox');
  }
}
