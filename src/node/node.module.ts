import { Module } from '@nestjs/common';
import type { Logger } from 'pino';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config';
import { LOGGER } from '../observability/request-observer.middleware';
import { NodeController } from './node.controller';
import { NodeService } from './node.service';
import { NodeActionsService } from './node-actions.service';
import { NodeLocks } from './node-lock';
import { NodeReservations } from './node-reservations';
import { PowerLiveCheck } from './power/live-check';
import { PowerSync } from './power/power-sync';
import { POWER_DRIVERS } from './power/power-driver';
import { FakeHardwareDriver } from './power/fake-hardware.driver';
import { IpmiDriver } from './power/ipmi.driver';

/**
 * Nodes: their API, their power and provisioning actions, the row locks and
 * reservations every node-dependent write takes, and, for machines behind a
 * BMC, power-state sync and the live check of the powered-off rule.
 */
@Module({
  controllers: [NodeController],
  providers: [
    NodeService,
    NodeActionsService,
    NodeLocks,
    NodeReservations,
    PowerLiveCheck,
    PowerSync,
    {
      provide: POWER_DRIVERS,
      inject: [APP_CONFIG, LOGGER],
      useFactory: (config: AppConfig, logger: Logger) =>
        [new FakeHardwareDriver(), new IpmiDriver(config.power.ipmi, logger)].filter((driver) => config.power.hardwareTypes.includes(driver.name)),
    },
  ],
  exports: [NodeService, NodeLocks, PowerLiveCheck],
})
export class NodeModule {}
