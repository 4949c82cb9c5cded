import { Global, Module } from '@nestjs/common';
import { DEPLOY_ENGINE } from '../node/deploy-engine';
import { VolumeDeploy } from './volume-deploy';
import { NodeModule } from '../node/node.module';
import { BootRepository } from './boot.repository';
import { BootListener } from './boot-listener';
import { BootScripts } from './boot-scripts';
import { NodeValidation } from './node-validation';
import { ValidateController } from './validate.controller';

/**
 * Boot from volume: what reads a node together with its volume records to
 * boot the machine: node validation, the deploy engine, and the boot
 * scripts. Global, so that the node module's provision actions find the
 * deploy engine it binds (DEPLOY_ENGINE) without importing it.
 */
@Global()
@Module({
  imports: [NodeModule],
  controllers: [ValidateController],
  providers: [BootRepository, NodeValidation, BootScripts, BootListener, VolumeDeploy, { provide: DEPLOY_ENGINE, useExisting: VolumeDeploy }],
  exports: [BootListener, DEPLOY_ENGINE],
})
export class BootModule {}
