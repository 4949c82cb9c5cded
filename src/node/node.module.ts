import { Module } from '@nestjs/common';
import { NodeController } from './node.controller';
import { NodeService } from './node.service';
import { NodeActionsService } from './node-actions.service';
import { NodeLocks } from './node-lock';
import { POWER_DRIVERS } from './power/power-driver';
import { FakeHardwareDriver } from './power/fake-hardware.driver';

/** Nodes: their API, their power and provisioning actions, and the row locks every node-dependent write takes. */
@Module({
  controllers: [NodeController],
  providers: [NodeService, NodeActionsService, NodeLocks, { provide: POWER_DRIVERS, useValue: [new FakeHardwareDriver()] }],
  exports: [NodeService, NodeLocks],
})
export class NodeModule {}
