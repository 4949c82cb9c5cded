import { Module } from '@nestjs/common';
import { NodeModule } from '../node/node.module';
import { ConnectorModule } from './connectors/connector.module';
import { TargetModule } from './targets/target.module';
import { NodeVolumeController, VolumeController } from './volume.controller';

/**
 * The volume feature: the /v1/volume root and the node views here, the
 * connectors and targets in their own modules, what they share in shared/.
 */
@Module({
  imports: [NodeModule, ConnectorModule, TargetModule],
  controllers: [VolumeController, NodeVolumeController],
})
export class VolumeModule {}
