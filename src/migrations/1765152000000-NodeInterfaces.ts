import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/**
 * Nodes get Ironic's boot, deploy and storage interfaces. Existing nodes
 * take the defaults of their hardware type under the default enabled
 * interfaces (fake-hardware: fake, fake, noop; ipmi: ipxe, direct, noop).
 */
export class NodeInterfaces1765152000000 implements MigrationInterface {
  name = 'NodeInterfaces1765152000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.addColumns('nodes', [
      new TableColumn({ name: 'boot_interface', type: 'varchar', length: '255', isNullable: true }),
      new TableColumn({ name: 'deploy_interface', type: 'varchar', length: '255', isNullable: true }),
      new TableColumn({ name: 'storage_interface', type: 'varchar', length: '255', isNullable: true }),
    ]);
    await runner.query(
      "UPDATE nodes SET boot_interface = CASE WHEN driver = 'ipmi' THEN 'ipxe' ELSE 'fake' END, " +
        "deploy_interface = CASE WHEN driver = 'ipmi' THEN 'direct' ELSE 'fake' END, storage_interface = 'noop'",
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const column of ['storage_interface', 'deploy_interface', 'boot_interface']) await runner.dropColumn('nodes', column);
  }
}
