import { MigrationInterface, QueryRunner, Table, TableColumnOptions } from 'typeorm';

const id: TableColumnOptions = { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' };
const timestamps: TableColumnOptions[] = [
  { name: 'created_at', type: 'varchar', length: '32' },
  { name: 'updated_at', type: 'varchar', length: '32', isNullable: true },
];

/** MySQL's TEXT holds 64 KiB of bytes, less than a 64 KiB JSON object in UTF-8. */
const jsonType = (runner: QueryRunner) => (runner.connection.options.type === 'mysql' ? 'mediumtext' : 'text');

export class CreateNodesAndVolumes1764201600000 implements MigrationInterface {
  name = 'CreateNodesAndVolumes1764201600000';

  async up(runner: QueryRunner): Promise<void> {
    const json = jsonType(runner);
    await runner.createTable(
      new Table({
        name: 'nodes',
        columns: [
          id,
          { name: 'uuid', type: 'varchar', length: '36' },
          { name: 'name', type: 'varchar', length: '255', isNullable: true },
          { name: 'driver', type: 'varchar', length: '255' },
          { name: 'description', type: 'text', isNullable: true },
          { name: 'owner', type: 'varchar', length: '255', isNullable: true },
          { name: 'lessee', type: 'varchar', length: '255', isNullable: true },
          { name: 'power_state', type: 'varchar', length: '15', isNullable: true },
          { name: 'target_power_state', type: 'varchar', length: '15', isNullable: true },
          { name: 'provision_state', type: 'varchar', length: '15', default: "'enroll'" },
          { name: 'target_provision_state', type: 'varchar', length: '15', isNullable: true },
          { name: 'provision_updated_at', type: 'varchar', length: '32', isNullable: true },
          { name: 'maintenance', type: 'boolean', default: false },
          { name: 'maintenance_reason', type: 'text', isNullable: true },
          { name: 'instance_uuid', type: 'varchar', length: '36', isNullable: true },
          { name: 'resource_class', type: 'varchar', length: '80', isNullable: true },
          { name: 'last_error', type: 'text', isNullable: true },
          { name: 'properties', type: json },
          { name: 'extra', type: json },
          { name: 'driver_info', type: json },
          { name: 'instance_info', type: json },
          ...timestamps,
        ],
        indices: [
          { name: 'uniq_nodes0uuid', columnNames: ['uuid'], isUnique: true },
          { name: 'uniq_nodes0name', columnNames: ['name'], isUnique: true },
          { name: 'uniq_nodes0instance_uuid', columnNames: ['instance_uuid'], isUnique: true },
          { name: 'nodes_owner_idx', columnNames: ['owner'] },
          { name: 'nodes_lessee_idx', columnNames: ['lessee'] },
        ],
      }),
    );

    await runner.createTable(
      new Table({
        name: 'volume_connectors',
        columns: [
          id,
          { name: 'uuid', type: 'varchar', length: '36' },
          { name: 'node_id', type: 'integer' },
          { name: 'type', type: 'varchar', length: '32' },
          { name: 'connector_id', type: 'varchar', length: '255' },
          { name: 'extra', type: json },
          { name: 'version', type: 'integer', default: 1 },
          ...timestamps,
        ],
        uniques: [{ name: 'uniq_volumeconnectors0type0connector_id', columnNames: ['type', 'connector_id'] }],
        indices: [
          { name: 'uniq_volumeconnectors0uuid', columnNames: ['uuid'], isUnique: true },
          // Serves ?node= and the node views with keyset pagination by id.
          { name: 'volume_connectors_node_id_id_idx', columnNames: ['node_id', 'id'] },
        ],
        foreignKeys: [
          {
            name: 'volume_connectors_node_id_fkey',
            columnNames: ['node_id'],
            referencedTableName: 'nodes',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          },
        ],
      }),
    );

    await runner.createTable(
      new Table({
        name: 'volume_targets',
        columns: [
          id,
          { name: 'uuid', type: 'varchar', length: '36' },
          { name: 'node_id', type: 'integer' },
          { name: 'volume_type', type: 'varchar', length: '64' },
          { name: 'properties', type: json },
          { name: 'boot_index', type: 'integer' },
          { name: 'volume_id', type: 'varchar', length: '36' },
          { name: 'extra', type: json },
          { name: 'version', type: 'integer', default: 1 },
          ...timestamps,
        ],
        uniques: [{ name: 'uniq_volumetargets0node_id0boot_index', columnNames: ['node_id', 'boot_index'] }],
        indices: [
          { name: 'uniq_volumetargets0uuid', columnNames: ['uuid'], isUnique: true },
          { name: 'volume_targets_node_id_id_idx', columnNames: ['node_id', 'id'] },
        ],
        foreignKeys: [
          {
            name: 'volume_targets_node_id_fkey',
            columnNames: ['node_id'],
            referencedTableName: 'nodes',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          },
        ],
      }),
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropTable('volume_targets');
    await runner.dropTable('volume_connectors');
    await runner.dropTable('nodes');
  }
}
