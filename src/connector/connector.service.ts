import { Injectable } from '@nestjs/common';
import { Conflict, VolumeConnectorNotFound } from '../common/errors/ironic-errors';
import { violates } from '../common/db/db-errors';
import { VolumeKind, VolumeResourceService } from '../volume/volume-resource.service';
import { CreateConnectorDto } from './dto/connector.dto';

export const CONNECTOR_KIND: VolumeKind = {
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
  conflict: (violation, values, uuid) => {
    if (violates(violation, 'uniq_volumeconnectors0uuid', ['uuid'])) {
      return Conflict(`A volume connector with UUID ${uuid} already exists.`);
    }
    if (violates(violation, 'uniq_volumeconnectors0type0connector_id', ['type', 'connector_id'])) {
      return Conflict(
        `A volume connector with type ${String(values.type)} and connector ID ${String(values.connector_id)} already exists.`,
      );
    }
    return null;
  },
};

@Injectable()
export class ConnectorService extends VolumeResourceService {
  protected readonly kind = CONNECTOR_KIND;
}
