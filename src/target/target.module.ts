import { Module } from '@nestjs/common';
import { NodeModule } from '../node/node.module';
import { NODE_OF_RESOURCE } from '../node/powered-off.guard';
import { TargetController } from './target.controller';
import { TargetService } from './target.service';

@Module({
  imports: [NodeModule],
  controllers: [TargetController],
  providers: [TargetService, { provide: NODE_OF_RESOURCE, useExisting: TargetService }],
  exports: [TargetService],
})
export class TargetModule {}
