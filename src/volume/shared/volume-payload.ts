import { maskSecrets } from '../../auth/secrets';
import { isoTime, VersionedPayload } from '../../notifications/notification';

/** The volume resources' CRUD payloads, Ironic's VolumeConnectorCRUDPayload and VolumeTargetCRUDPayload 1.0. */
export interface VolumeSnapshot {
  uuid: string;
  node_uuid: string;
  created_at: string | null;
  updated_at: string | null;
  data: Record<string, unknown>;
}

export function volumePayload(kind: 'connector' | 'target', item: VolumeSnapshot): VersionedPayload {
  const data: Record<string, unknown> = {
    ...item.data,
    uuid: item.uuid,
    node_uuid: item.node_uuid,
    created_at: isoTime(item.created_at),
    updated_at: isoTime(item.updated_at),
  };
  // Ironic sends properties in clear; ironvol masks them as in its API answers.
  if (kind === 'target') data.properties = maskSecrets(data.properties ?? {});
  return {
    'ironic_object.name': kind === 'connector' ? 'VolumeConnectorCRUDPayload' : 'VolumeTargetCRUDPayload',
    'ironic_object.namespace': 'ironic',
    'ironic_object.version': '1.0',
    'ironic_object.data': data,
  };
}
