import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { POWER_CONFIG, PowerConfig } from './power-config';
import { IronicError } from '../../common/errors/ironic-errors';
import { NodeRepository } from '../node.repository';
import { driverNode } from '../node.mapper';
import { assertPoweredOff } from '../powered-off.rule';
import { PowerDrivers } from './power-drivers';

/**
 * Beyond Ironic: before a guarded volume change on a node behind a BMC, ask
 * the BMC whether the machine is really off, rather than trust a record up
 * to a sync interval old. A machine found on refuses the change as the
 * powered-off rule does; a BMC that does not answer refuses it too (409),
 * never approves it. No transaction is open while the BMC is asked; a power
 * action through the API between this check and the write is caught by the
 * write's own check under the node's row lock (reservation and state).
 */
@Injectable()
export class PowerLiveCheck {
  private readonly readsMachines: boolean;

  constructor(
    private readonly nodes: NodeRepository,
    @Inject(POWER_CONFIG) private readonly power: PowerConfig,
    private readonly drivers: PowerDrivers,
  ) {
    this.readsMachines = drivers.machineReaders().length > 0;
  }

  async assertMachinesOff(nodes: readonly { uuid: string }[], action: string): Promise<void> {
    // Without a driver that reads machines (only fake-hardware enabled) there is nothing to ask.
    if (!this.power.liveCheck || !this.readsMachines || nodes.length === 0) return;
    const uuids = [...new Set(nodes.map((n) => n.uuid))];
    const rows = await this.nodes.machinesByUuid(uuids);
    // A node in the middle of a power action is locked (as the write would find it); its BMC need not be asked.
    this.nodes.assertFree(rows);
    const machines = await Promise.all(
      rows.map(async (row) => {
        const driver = this.drivers.get(row.driver);
        if (!driver?.getPowerState) return { uuid: row.uuid, power_state: row.power_state };
        try {
          return { uuid: row.uuid, power_state: await driver.getPowerState(driverNode(row), { once: true }) };
        } catch (error) {
          throw new IronicError(
            HttpStatus.CONFLICT,
            `Cannot confirm with its BMC that node ${row.uuid} is powered off, so the ${action} was not made: ${(error as Error).message}`,
          );
        }
      }),
    );
    assertPoweredOff(machines, action);
  }
}
