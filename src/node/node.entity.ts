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

  @Column({ type: 'varchar', length: 15, nullable: true })
  power_state: string | null;

  @Column({ type: 'varchar', length: 15, nullable: true })
  target_power_state: string | null;

  @Column({ type: 'varchar', length: 15, default: 'enroll' })
  provision_state: string;

  @Column({ type: 'varchar', length: 15, nullable: true })
  target_provision_state: string | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  provision_updated_at: string | null;

  @Column({ type: 'text', nullable: true })
  maintenance_reason: string | null;

  @Index('uniq_nodes0instance_uuid', { unique: true })
  @Column({ type: 'varchar', length: 36, nullable: true })
  instance_uuid: string | null;

  @Column({ type: 'varchar', length: 80, nullable: true })
  resource_class: string | null;

  @Column({ type: 'text', nullable: true })
  last_error: string | null;

  /** Bumped on every change; the ETag. */
  @Column({ type: 'integer', default: 1 })
  version: number;

  /** The host running a power action on the node (Ironic's reservation), and since when. */
  @Column({ type: 'varchar', length: 255, nullable: true })
  reservation: string | null;

  /** Ironic's boot, deploy and storage interfaces of the node (fake, ipxe; fake, direct; noop, external). */
  @Column({ type: 'varchar', length: 255, nullable: true })
  boot_interface: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  deploy_interface: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  storage_interface: string | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  reserved_at: string | null;

  @Column({ type: 'varchar', length: 32 })
  created_at: string;

  @Column({ type: 'varchar', length: 32, nullable: true })
  updated_at: string | null;
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

  @Column({ type: 'text' })
  driver_info: string;

  @Column({ type: 'text' })
  instance_info: string;
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

  @Column({ type: 'mediumtext' })
  driver_info: string;

  @Column({ type: 'mediumtext' })
  instance_info: string;
}

/** The nodes table, for the data source. */
export const NODE_ENTITIES: EntitySet = { portable: [Node], mysql: [MysqlNode] };
