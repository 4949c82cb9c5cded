import { Injectable } from '@nestjs/common';
import { VolumeResourceService } from '../shared/volume-resource.service';
import type { ConnectorData } from './connector.kind';

/** The connector resource: the shared behaviour of volume resources, bound to its kind by its module. */
@Injectable()
export class ConnectorService extends VolumeResourceService<ConnectorData> {}
