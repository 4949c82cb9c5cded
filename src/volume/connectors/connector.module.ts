import { Module } from '@nestjs/common';
import { NodeModule } from '../../node/node.module';
import { CHANGE_PLANNER } from '../../node/powered-off.guard';
import { ConnectorController } from './connector.controller';
import { ConnectorService } from './connector.service';

@Module({
  imports: [NodeModule],
  controllers: [ConnectorController],
  providers: [ConnectorService, { provide: CHANGE_PLANNER, useExisting: ConnectorService }],
  exports: [ConnectorService],
})
export class ConnectorModule {}
