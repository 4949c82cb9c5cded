import { Column, Entity, Index, JoinColumn, ManyToOne, Unique } from 'typeorm';
import { VolumeItemColumns } from '../shared/volume-item.entity';
import { MysqlNode, Node } from '../../node/node.entity';
import type { EntitySet } from '../../config/data-source-options';

/**
 * A node's initiator identity (iSCSI IQN, IP, MAC, FC WWNN/WWPN, ...).
 *
 * TypeORM takes one type per column and one ON UPDATE per foreign key,
 * whatever the database, so what reads differently on MySQL lives in
 * VolumeConnector and MysqlVolumeConnector, and each database registers one of them.
 */
@Unique('uniq_volumeconnectors0type0connector_id', ['type', 'connectorId'])
@Index('volume_connectors_node_id_id_idx', ['nodeId', 'id'])
@Index('uniq_volumeconnectors0uuid', ['uuid'], { unique: true })
abstract class VolumeConnectorColumns extends VolumeItemColumns {
  @Column({ type: 'varchar', length: 32 })
  type: string;

  @Column({ name: 'connector_id', type: 'varchar', length: 255 })
  connectorId: string;
}

/** The volume_connectors table on SQLite and PostgreSQL. */
@Entity({ name: 'volume_connectors' })
export class VolumeConnector extends VolumeConnectorColumns {
  @ManyToOne(() => Node, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'node_id', foreignKeyConstraintName: 'volume_connectors_node_id_fkey' })
  node?: Node;

  @Column({ type: 'text' })
  extra: string;
}

/**
 * The volume_connectors table on MySQL/MariaDB: extra is mediumtext (TEXT
 * holds 64 KiB of bytes), and a foreign key without ON UPDATE reads as
 * RESTRICT there.
 */
@Entity({ name: 'volume_connectors' })
export class MysqlVolumeConnector extends VolumeConnectorColumns {
  @ManyToOne(() => MysqlNode, { onDelete: 'CASCADE', onUpdate: 'RESTRICT' })
  @JoinColumn({ name: 'node_id', foreignKeyConstraintName: 'volume_connectors_node_id_fkey' })
  node?: MysqlNode;

  @Column({ type: 'mediumtext' })
  extra: string;
}

/** The volume_connectors table, for the data source. */
export const CONNECTOR_ENTITIES: EntitySet = { portable: [VolumeConnector], mysql: [MysqlVolumeConnector] };
