import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { Node } from '../../node/node.entity';

/** A remote volume a node boots from or uses. */
@Entity({ name: 'volume_targets' })
@Unique('uniq_volumetargets0node_id0boot_index', ['nodeId', 'bootIndex'])
@Index('volume_targets_node_id_id_idx', ['nodeId', 'id'])
export class VolumeTarget {
  @PrimaryGeneratedColumn()
  id: number;

  @Index('uniq_volumetargets0uuid', { unique: true })
  @Column({ type: 'varchar', length: 36 })
  uuid: string;

  @Column({ name: 'node_id', type: 'integer' })
  nodeId: number;

  @ManyToOne(() => Node, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'node_id', foreignKeyConstraintName: 'volume_targets_node_id_fkey' })
  node?: Node;

  @Column({ name: 'volume_type', type: 'varchar', length: 64 })
  volumeType: string;

  @Column({ type: 'text' })
  properties: string;

  @Column({ name: 'boot_index', type: 'integer' })
  bootIndex: number;

  @Column({ name: 'volume_id', type: 'varchar', length: 36 })
  volumeId: string;

  @Column({ type: 'text' })
  extra: string;

  /** Bumped on every change; the ETag. */
  @Column({ type: 'integer', default: 1 })
  version: number;

  @Column({ name: 'created_at', type: 'varchar', length: 32 })
  createdAt: string;

  @Column({ name: 'updated_at', type: 'varchar', length: 32, nullable: true })
  updatedAt: string | null;
}
