import { Column, PrimaryGeneratedColumn } from 'typeorm';

/**
 * What every volume resource's row has: its identity, its node, its
 * version and its timestamps. Each kind names its own indexes on them (the
 * unique UUID, the node's items by id) on its own class.
 */
export abstract class VolumeItemColumns {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'varchar', length: 36 })
  uuid: string;

  @Column({ name: 'node_id', type: 'integer' })
  nodeId: number;

  /** Bumped on every change; the ETag. */
  @Column({ type: 'integer', default: 1 })
  version: number;

  @Column({ name: 'created_at', type: 'varchar', length: 32 })
  createdAt: string;

  @Column({ name: 'updated_at', type: 'varchar', length: 32, nullable: true })
  updatedAt: string | null;
}
