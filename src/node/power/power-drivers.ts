import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { POWER_CONFIG, PowerConfig } from './power-config';
import { LOGGER } from '../../observability/logger';
import { FakeHardwareDriver } from './fake-hardware.driver';
import { IpmiDriver } from './ipmi.driver';
import type { PowerDriver } from './power-driver';
import { HardwareInterfaces } from '../hardware/hardware-interfaces';

/** The hardware types enabled by ENABLED_HARDWARE_TYPES (Ironic's enabled_hardware_types), by name. */
@Injectable()
export class PowerDrivers {
  private readonly byName: ReadonlyMap<string, PowerDriver>;
  /** The boot, deploy and storage interfaces of the enabled hardware types. */
  readonly interfaces: HardwareInterfaces;

  constructor(@Inject(POWER_CONFIG) power: PowerConfig, @Inject(LOGGER) logger: Logger) {
    const known: PowerDriver[] = [new FakeHardwareDriver(), new IpmiDriver(power.ipmi, logger)];
    this.byName = new Map(known.filter((driver) => power.hardwareTypes.includes(driver.name)).map((driver) => [driver.name, driver]));
    this.interfaces = new HardwareInterfaces(power.interfaces);
  }

  get(name: string): PowerDriver | undefined {
    return this.byName.get(name);
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  /** The enabled drivers that can read a machine's power (power-state sync, the live check). */
  machineReaders(): string[] {
    return [...this.byName.values()].filter((driver) => driver.getPowerState).map((driver) => driver.name);
  }
}
