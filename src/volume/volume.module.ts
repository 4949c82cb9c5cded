import { Module } from '@nestjs/common';
import { ConnectorModule } from '../connector/connector.module';
import { NodeModule } from '../node/node.module';
import { TargetModule } from '../target/target.module';
import { NodeVolumeController, VolumeController } from './volume.controller';

@Module({
  imports: [NodeModule, ConnectorModule, TargetModule],
  controllers: [VolumeController, NodeVolumeController],
})
export class VolumeModule {}
