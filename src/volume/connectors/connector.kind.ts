import { Conflict, VolumeConnectorNotFound } from '../../common/errors/ironic-errors';
import { violates } from '../../common/db/db-errors';
import type { VolumeKind } from '../shared/volume-kind';
import { CreateConnectorDto } from './dto/connector.dto';

/** What a client writes of a connector. */
export interface ConnectorData {
  connector_id: string;
  extra: Record<string, unknown>;
  type: string;
}

export const CONNECTOR_KIND: VolumeKind<ConnectorData> = {
  table: 'volume_connectors',
  path: 'volume/connectors',
  label: 'volume connector',
  schemaName: 'connector',
  uuidParam: 'connector_uuid',
  dto: CreateConnectorDto,
  data: [{ name: 'connector_id' }, { name: 'extra', json: true }, { name: 'type' }],
  collection: {
    fields: ['uuid', 'created_at', 'updated_at', 'connector_id', 'extra', 'type', 'links', 'node_uuid'],
    defaultFields: ['uuid', 'node_uuid', 'type', 'connector_id'],
    sortable: ['id', 'uuid', 'node_id', 'type', 'connector_id', 'created_at', 'updated_at'],
    unsortable: ['extra'],
    nullable: ['updated_at'],
  },
  patchable: ['connector_id', 'extra', 'node_uuid', 'type'],
  masked: [],
  notFound: VolumeConnectorNotFound,
  otherUniqueConstraint: 'uniq_volumeconnectors0type0connector_id',
  otherUniqueColumns: ['type', 'connector_id'],
  conflict: (violation, data, uuid) => {
    if (violates(violation, 'uniq_volumeconnectors0uuid', ['uuid'])) {
      return Conflict(`A volume connector with UUID ${uuid} already exists.`);
    }
    if (violates(violation, 'uniq_volumeconnectors0type0connector_id', ['type', 'connector_id'])) {
      return Conflict(`A volume connector with type ${data.type} and connector ID ${data.connector_id} already exists.`);
    }
    return null;
  },
};
