import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { Node } from '../../node/node.entity';

/** A node's initiator identity (iSCSI IQN, IP, MAC, FC WWNN/WWPN, ...). */
@Entity({ name: 'volume_connectors' })
@Unique('uniq_volumeconnectors0type0connector_id', ['type', 'connectorId'])
@Index('volume_connectors_node_id_id_idx', ['nodeId', 'id'])
export class VolumeConnector {
  @PrimaryGeneratedColumn()
  id: number;

  @Index('uniq_volumeconnectors0uuid', { unique: true })
  @Column({ type: 'varchar', length: 36 })
  uuid: string;

  @Column({ name: 'node_id', type: 'integer' })
  nodeId: number;

  @ManyToOne(() => Node, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'node_id', foreignKeyConstraintName: 'volume_connectors_node_id_fkey' })
  node?: Node;

  @Column({ type: 'varchar', length: 32 })
  type: string;

  @Column({ name: 'connector_id', type: 'varchar', length: 255 })
  connectorId: string;

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
