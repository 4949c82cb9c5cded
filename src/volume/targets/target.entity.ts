import { Column, Entity, Index, JoinColumn, ManyToOne, Unique } from 'typeorm';
import { VolumeItemColumns } from '../shared/volume-item.entity';
import { MysqlNode, Node } from '../../node/node.entity';
import type { EntitySet } from '../../config/data-source-options';

/**
 * A remote volume a node boots from or uses.
 *
 * TypeORM takes one type per column and one ON UPDATE per foreign key,
 * whatever the database, so what reads differently on MySQL lives in
 * VolumeTarget and MysqlVolumeTarget, and each database registers one of them.
 */
@Unique('uniq_volumetargets0node_id0boot_index', ['nodeId', 'bootIndex'])
@Index('volume_targets_node_id_id_idx', ['nodeId', 'id'])
@Index('uniq_volumetargets0uuid', ['uuid'], { unique: true })
abstract class VolumeTargetColumns extends VolumeItemColumns {
  @Column({ name: 'volume_type', type: 'varchar', length: 64 })
  volumeType: string;

  @Column({ name: 'boot_index', type: 'integer' })
  bootIndex: number;

  @Column({ name: 'volume_id', type: 'varchar', length: 36 })
  volumeId: string;
}

/** The volume_targets table on SQLite and PostgreSQL. */
@Entity({ name: 'volume_targets' })
export class VolumeTarget extends VolumeTargetColumns {
  @ManyToOne(() => Node, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'node_id', foreignKeyConstraintName: 'volume_targets_node_id_fkey' })
  node?: Node;

  @Column({ type: 'text' })
  properties: string;

  @Column({ type: 'text' })
  extra: string;
}

/**
 * The volume_targets table on MySQL/MariaDB: the JSON columns are mediumtext
 * (TEXT holds 64 KiB of bytes), and a foreign key without ON UPDATE reads as
 * RESTRICT there.
 */
@Entity({ name: 'volume_targets' })
export class MysqlVolumeTarget extends VolumeTargetColumns {
  @ManyToOne(() => MysqlNode, { onDelete: 'CASCADE', onUpdate: 'RESTRICT' })
  @JoinColumn({ name: 'node_id', foreignKeyConstraintName: 'volume_targets_node_id_fkey' })
  node?: MysqlNode;

  @Column({ type: 'mediumtext' })
  properties: string;

  @Column({ type: 'mediumtext' })
  extra: string;
}

/** The volume_targets table, for the data source. */
export const TARGET_ENTITIES: EntitySet = { portable: [VolumeTarget], mysql: [MysqlVolumeTarget] };
