import { Module } from '@nestjs/common';
import { NodeModule } from '../../node/node.module';
import { CHANGE_PLANNER } from '../../node/powered-off.guard';
import { volumeResourceProviders } from '../shared/volume-resource.providers';
import { TARGET_KIND } from './target.kind';
import { TargetController } from './target.controller';
import { TargetService } from './target.service';

@Module({
  imports: [NodeModule],
  controllers: [TargetController],
  providers: [...volumeResourceProviders(TARGET_KIND), TargetService, { provide: CHANGE_PLANNER, useExisting: TargetService }],
  exports: [TargetService],
})
export class TargetModule {}
