import { Module } from '@nestjs/common';
import { NodeController } from './node.controller';
import { NodeService } from './node.service';
import { POWER_DRIVERS } from './power/power-driver';
import { FakeHardwareDriver } from './power/fake-hardware.driver';

@Module({
  controllers: [NodeController],
  providers: [NodeService, { provide: POWER_DRIVERS, useValue: [new FakeHardwareDriver()] }],
  exports: [NodeService],
})
export class NodeModule {}
