import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/**
 * Nodes get a row version, bumped by every change (the ETag, and what makes
 * a node PATCH a compare-and-set), and Ironic's reservation: the host running
 * a power action on the node, and since when, so that a reservation left by
 * a process that died expires.
 */
export class NodeVersionAndReservation1764806400000 implements MigrationInterface {
  name = 'NodeVersionAndReservation1764806400000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.addColumns('nodes', [
      new TableColumn({ name: 'version', type: 'integer', default: 1 }),
      new TableColumn({ name: 'reservation', type: 'varchar', length: '255', isNullable: true }),
      new TableColumn({ name: 'reserved_at', type: 'varchar', length: '32', isNullable: true }),
    ]);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const column of ['reserved_at', 'reservation', 'version']) await runner.dropColumn('nodes', column);
  }
}
