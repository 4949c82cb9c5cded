import { Conflict, VolumeTargetNotFound } from '../../common/errors/ironic-errors';
import { violates } from '../../common/db/db-errors';
import type { VolumeKind } from '../shared/volume-kind';
import { CreateTargetDto } from './dto/target.dto';

/** What a client writes of a target. */
export interface TargetData {
  boot_index: number;
  extra: Record<string, unknown>;
  properties: Record<string, unknown>;
  volume_id: string;
  volume_type: string;
}

export const TARGET_KIND: VolumeKind<TargetData> = {
  table: 'volume_targets',
  path: 'volume/targets',
  label: 'volume target',
  schemaName: 'target',
  uuidParam: 'target_uuid',
  dto: CreateTargetDto,
  data: [
    { name: 'boot_index' },
    { name: 'extra', json: true },
    { name: 'properties', json: true },
    { name: 'volume_id' },
    { name: 'volume_type' },
  ],
  collection: {
    fields: [
      'uuid', 'created_at', 'updated_at', 'boot_index', 'extra', 'properties', 'volume_id', 'volume_type', 'links',
      'node_uuid',
    ],
    defaultFields: ['uuid', 'node_uuid', 'volume_type', 'boot_index', 'volume_id'],
    sortable: ['id', 'uuid', 'node_id', 'volume_type', 'boot_index', 'volume_id', 'created_at', 'updated_at'],
    unsortable: ['extra', 'properties'],
    nullable: ['updated_at'],
  },
  patchable: ['boot_index', 'extra', 'node_uuid', 'properties', 'volume_id', 'volume_type'],
  masked: ['properties'],
  notFound: VolumeTargetNotFound,
  otherUniqueConstraint: 'uniq_volumetargets0node_id0boot_index',
  otherUniqueColumns: ['node_id', 'boot_index'],
  conflict: (violation, data, uuid) => {
    if (violates(violation, 'uniq_volumetargets0uuid', ['uuid'])) {
      return Conflict(`A volume target with UUID ${uuid} already exists.`);
    }
    if (violates(violation, 'uniq_volumetargets0node_id0boot_index', ['node_id', 'boot_index'])) {
      return Conflict(`A volume target with boot index '${data.boot_index}' for the same node already exists.`);
    }
    return null;
  },
};
