import { Module } from '@nestjs/common';
import { NodeModule } from '../node/node.module';
import { NODE_OF_RESOURCE } from '../node/powered-off.guard';
import { ConnectorController } from './connector.controller';
import { ConnectorService } from './connector.service';

@Module({
  imports: [NodeModule],
  controllers: [ConnectorController],
  providers: [ConnectorService, { provide: NODE_OF_RESOURCE, useExisting: ConnectorService }],
  exports: [ConnectorService],
})
export class ConnectorModule {}
