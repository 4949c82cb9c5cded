import { Module } from '@nestjs/common';
import { NodeModule } from '../node/node.module';
import { BootRepository } from './boot.repository';
import { BootListener } from './boot-listener';
import { BootScripts } from './boot-scripts';
import { NodeValidation } from './node-validation';
import { ValidateController } from './validate.controller';

/**
 * Boot from volume: what reads a node together with its volume records to
 * boot the machine: node validation, and the boot scripts.
 */
@Module({
  imports: [NodeModule],
  controllers: [ValidateController],
  providers: [BootRepository, NodeValidation, BootScripts, BootListener],
  exports: [BootListener],
})
export class BootModule {}
