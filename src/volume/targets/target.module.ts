import { Module } from '@nestjs/common';
import { NodeModule } from '../../node/node.module';
import { CHANGE_PLANNER } from '../../node/powered-off.guard';
import { TargetController } from './target.controller';
import { TargetService } from './target.service';

@Module({
  imports: [NodeModule],
  controllers: [TargetController],
  providers: [TargetService, { provide: CHANGE_PLANNER, useExisting: TargetService }],
  exports: [TargetService],
})
export class TargetModule {}
