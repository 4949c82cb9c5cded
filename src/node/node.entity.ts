import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { EntitySet } from '../config/data-source-options';

/**
 * A bare-metal node: its identity and power state, which the volume API
 * depends on. Timestamps are ISO-8601 UTC strings with microseconds (the
 * form Ironic answers with), so they sort correctly as text in every
 * supported database. JSON columns hold serialised objects.
 *
 * TypeORM takes one type and default per column, whatever the database, so
 * the columns the migrations made differently on MySQL live in Node and
 * MysqlNode, and each database registers one of them.
 */
abstract class NodeColumns {
  @PrimaryGeneratedColumn()
  id: number;

  @Index('uniq_nodes0uuid', { unique: true })
  @Column({ type: 'varchar', length: 36 })
  uuid: string;

  @Index('uniq_nodes0name', { unique: true })
  @Column({ type: 'varchar', length: 255, nullable: true })
  name: string | null;

  @Column({ type: 'varchar', length: 255 })
  driver: string;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Index('nodes_owner_idx')
  @Column({ type: 'varchar', length: 255, nullable: true })
  owner: string | null;

  @Index('nodes_lessee_idx')
  @Column({ type: 'varchar', length: 255, nullable: true })
  lessee: string | null;

  @Column({ name: 'power_state', type: 'varchar', length: 15, nullable: true })
  powerState: string | null;

  @Column({ name: 'target_power_state', type: 'varchar', length: 15, nullable: true })
  targetPowerState: string | null;

  @Column({ name: 'provision_state', type: 'varchar', length: 15, default: 'enroll' })
  provisionState: string;

  @Column({ name: 'target_provision_state', type: 'varchar', length: 15, nullable: true })
  targetProvisionState: string | null;

  @Column({ name: 'provision_updated_at', type: 'varchar', length: 32, nullable: true })
  provisionUpdatedAt: string | null;

  @Column({ name: 'maintenance_reason', type: 'text', nullable: true })
  maintenanceReason: string | null;

  @Index('uniq_nodes0instance_uuid', { unique: true })
  @Column({ name: 'instance_uuid', type: 'varchar', length: 36, nullable: true })
  instanceUuid: string | null;

  @Column({ name: 'resource_class', type: 'varchar', length: 80, nullable: true })
  resourceClass: string | null;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  /** Bumped on every change; the ETag. */
  @Column({ type: 'integer', default: 1 })
  version: number;

  /** The host running a power action on the node (Ironic's reservation), and since when. */
  @Column({ type: 'varchar', length: 255, nullable: true })
  reservation: string | null;

  @Column({ name: 'reserved_at', type: 'varchar', length: 32, nullable: true })
  reservedAt: string | null;

  @Column({ name: 'created_at', type: 'varchar', length: 32 })
  createdAt: string;

  @Column({ name: 'updated_at', type: 'varchar', length: 32, nullable: true })
  updatedAt: string | null;
}

/** The nodes table on SQLite and PostgreSQL. */
@Entity({ name: 'nodes' })
export class Node extends NodeColumns {
  /** The migration's default is the SQL literal false, kept as written; TypeORM would spell `default: false` as 0 on SQLite. */
  @Column({ type: 'boolean', default: () => 'false' })
  maintenance: boolean;

  @Column({ type: 'text' })
  properties: string;

  @Column({ type: 'text' })
  extra: string;

  @Column({ name: 'driver_info', type: 'text' })
  driverInfo: string;

  @Column({ name: 'instance_info', type: 'text' })
  instanceInfo: string;
}

/**
 * The nodes table on MySQL/MariaDB: JSON columns are mediumtext, since TEXT
 * holds 64 KiB of bytes, less than a 64 KiB JSON object in UTF-8; a boolean
 * is a tinyint, so its default reads as 0.
 */
@Entity({ name: 'nodes' })
export class MysqlNode extends NodeColumns {
  @Column({ type: 'boolean', default: false })
  maintenance: boolean;

  @Column({ type: 'mediumtext' })
  properties: string;

  @Column({ type: 'mediumtext' })
  extra: string;

  @Column({ name: 'driver_info', type: 'mediumtext' })
  driverInfo: string;

  @Column({ name: 'instance_info', type: 'mediumtext' })
  instanceInfo: string;
}

/** The nodes table, for the data source. */
export const NODE_ENTITIES: EntitySet = { portable: [Node], mysql: [MysqlNode] };
