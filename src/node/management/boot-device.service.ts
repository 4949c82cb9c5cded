import { Injectable } from '@nestjs/common';
import { assertAllowed } from '../../auth/policy';
import { BmcUnavailable, invalid } from '../../common/errors/ironic-errors';
import type { Identity } from '../../common/http/identity';
import { pyStr } from '../../common/validation/py-repr';
import type { BootDeviceArgs } from '../node-args';
import { driverNode } from '../node.mapper';
import type { NodeRow } from '../node.repository';
import { NodeReservations } from '../node-reservations';
import { NodeService } from '../node.service';
import { BmcError } from '../power/ipmi.driver';
import type { BootDevice, BootDeviceState } from '../power/power-driver';
import { PowerDrivers } from '../power/power-drivers';

/**
 * Ironic's management API for a node's boot device: read it, list what the
 * driver can set, set it. Reading and setting hold the node's reservation
 * while the BMC is asked, as Ironic's conductor holds its lock (a node
 * another action holds answers 409 NodeLocked); the answer waits for the
 * BMC, as Ironic's RPC call does.
 */
@Injectable()
export class BootDevices {
  constructor(
    private readonly nodes: NodeService,
    private readonly reservations: NodeReservations,
    private readonly drivers: PowerDrivers,
  ) {}

  async show(ident: string, caller: Identity): Promise<BootDeviceState> {
    const { node, driver } = await this.managed(ident, caller, 'baremetal:node:get_boot_device');
    return this.reserved(node, 'getting boot device', () => driver.getBootDevice(driverNode(node)));
  }

  async supported(ident: string, caller: Identity): Promise<{ supported_boot_devices: BootDevice[] }> {
    const { driver } = await this.managed(ident, caller, 'baremetal:node:get_boot_device');
    return { supported_boot_devices: [...driver.bootDevices] };
  }

  /** Checks the device against the driver under the reservation, as Ironic's conductor does, then sets it. */
  async set(args: BootDeviceArgs, caller: Identity): Promise<void> {
    const { node, driver } = await this.managed(args.ident, caller, 'baremetal:node:set_boot_device');
    await this.reserved(node, 'setting boot device', async () => {
      const device = driver.bootDevices.find((known) => known === args.device);
      if (!device) throw invalid(`Invalid boot device ${pyStr(args.device)} specified.`);
      await driver.setBootDevice(driverNode(node), device, args.persistent);
    });
  }

  /** The node (404), the rule on it (403), and its driver with the node's driver_info checked (400). */
  private async managed(ident: string, caller: Identity, policy: 'baremetal:node:get_boot_device' | 'baremetal:node:set_boot_device') {
    const node = await this.nodes.getRow(ident, caller);
    assertAllowed(caller, policy, node);
    const driver = this.drivers.get(node.driver);
    if (!driver) throw invalid(`The driver ${node.driver} of node ${node.uuid} is not loaded.`);
    driver.validate?.(driverNode(node));
    return { node, driver };
  }

  private async reserved<T>(node: NodeRow, purpose: string, work: () => Promise<T>): Promise<T> {
    const reservedAt = await this.reservations.reserve(node, purpose);
    try {
      return await work();
    } catch (error) {
      // A BMC that cannot be asked is a 503 the caller may retry (Ironic answers 500), in Ironic's words.
      if (error instanceof BmcError) throw BmcUnavailable(error.message);
      throw error;
    } finally {
      await this.reservations.release(node, reservedAt);
    }
  }
}
