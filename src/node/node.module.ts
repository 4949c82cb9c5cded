import { Module } from '@nestjs/common';
import { NodeController } from './node.controller';
import { BootDeviceController } from './management/boot-device.controller';
import { BootDevices } from './management/boot-device.service';
import { NodeService } from './node.service';
import { NodeActionsService } from './node-actions.service';
import { NodeRepository } from './node.repository';
import { InterruptedActions } from './interrupted-actions';
import { NodeReservations } from './node-reservations';
import { PowerLiveCheck } from './power/live-check';
import { PowerSync } from './power/power-sync';
import { PowerDrivers } from './power/power-drivers';
import { PowerEvents } from './power/power-events';
import { ProvisionEvents } from './provision-events';

/**
 * Nodes: their API, their power and provisioning actions, the row locks and
 * reservations every node-dependent write takes, and, for machines behind a
 * BMC, power-state sync and the live check of the powered-off rule.
 */
@Module({
  controllers: [NodeController, BootDeviceController],
  providers: [
    NodeService,
    NodeActionsService,
    BootDevices,
    NodeRepository,
    NodeReservations,
    PowerLiveCheck,
    PowerSync,
    PowerDrivers,
    PowerEvents,
    ProvisionEvents,
    InterruptedActions,
  ],
  exports: [NodeService, NodeRepository, NodeReservations, PowerLiveCheck, PowerDrivers, ProvisionEvents],
})
export class NodeModule {}
