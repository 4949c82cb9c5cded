import { Controller } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { MinVersion } from '../../common/microversion/min-version.decorator';
import { MINOR_32_VOLUME } from '../../common/microversion/microversion';
import { VolumeResourceController } from '../shared/volume-resource.controller';
import { ConnectorCollectionDto, ConnectorDto, CreateConnectorDto } from './dto/connector.dto';
import { ConnectorService } from './connector.service';
import { CONNECTOR_KIND } from './connector.kind';

@ApiTags('volume connectors')
@Controller('v1/volume/connectors')
@MinVersion(MINOR_32_VOLUME, 'framework')
export class ConnectorController extends VolumeResourceController({
  kind: CONNECTOR_KIND,
  service: ConnectorService,
  noun: 'Connector',
  dto: { item: ConnectorDto, collection: ConnectorCollectionDto, create: CreateConnectorDto },
  describe: {
    list: 'Return a list of Volume connectors for all nodes. By default, this query will return the UUID, node UUID, type, and connector ID for each Volume connector.',
    create: 'Creates a new Volume connector resource. This method requires a Node UUID, a connector type and a connector ID.',
  },
  examples: {
    create: {
      iqn: {
        summary: 'An iSCSI initiator',
        value: { node_uuid: '6d85703a-565d-469a-96ce-30b6de53079d', type: 'iqn', connector_id: 'iqn.2017-07.org.openstack:01:d9a51732c3f' },
      },
    },
    patch: {
      replace: { summary: 'Change the connector ID', value: [{ op: 'replace', path: '/connector_id', value: 'iqn.2017-07.org.openstack:02:10190a4153e' }] },
    },
  },
}) {}
