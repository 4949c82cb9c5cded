import { Module } from '@nestjs/common';
import { NodeModule } from '../node/node.module';
import { ConnectorModule } from './connectors/connector.module';
import { TargetModule } from './targets/target.module';
import { NodeVolumeController, VolumeController } from './volume.controller';
import { NodeVolumeRefusals } from './shared/node-volume-refusals.controller';
import { CONNECTOR_KIND } from './connectors/connector.kind';
import { ConnectorService } from './connectors/connector.service';
import { TARGET_KIND } from './targets/target.kind';
import { TargetService } from './targets/target.service';

/**
 * The volume feature: the /v1/volume root and the node views here, the
 * connectors and targets in their own modules, what they share in shared/.
 */
@Module({
  // Met first, ConnectorModule puts the connectors' routes ahead of the nodes' (see AppModule).
  imports: [ConnectorModule, TargetModule, NodeModule],
  // The node views' lists come before the refusals of everything else below the same paths.
  controllers: [
    VolumeController,
    NodeVolumeController,
    NodeVolumeRefusals(CONNECTOR_KIND, ConnectorService),
    NodeVolumeRefusals(TARGET_KIND, TargetService),
  ],
})
export class VolumeModule {}
