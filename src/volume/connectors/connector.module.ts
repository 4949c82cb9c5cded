import { Module } from '@nestjs/common';
import { NodeModule } from '../../node/node.module';
import { CHANGE_PLANNER } from '../../node/powered-off.guard';
import { volumeResourceProviders } from '../shared/volume-resource.providers';
import { CONNECTOR_KIND } from './connector.kind';
import { ConnectorController } from './connector.controller';
import { ConnectorService } from './connector.service';

@Module({
  imports: [NodeModule],
  controllers: [ConnectorController],
  providers: [...volumeResourceProviders(CONNECTOR_KIND), ConnectorService, { provide: CHANGE_PLANNER, useExisting: ConnectorService }],
  exports: [ConnectorService],
})
export class ConnectorModule {}
