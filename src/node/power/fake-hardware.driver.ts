import type { PowerTarget } from '../dto/node.dto';
import type { BootDevice, BootDeviceState, PowerDriver, PowerState } from './power-driver';

/**
 * Ironic's fake-hardware: every power action succeeds at once; its
 * management interface offers PXE only, takes it and always reads it back
 * as PXE for the next boot only, as Ironic's fake management does.
 */
export class FakeHardwareDriver implements PowerDriver {
  readonly name = 'fake-hardware';
  readonly powerInterface = 'fake';
  readonly bootDevices: readonly BootDevice[] = ['pxe'];

  async setPowerState(_node: unknown, target: PowerTarget): Promise<PowerState> {
    return target === 'power off' || target === 'soft power off' ? 'power off' : 'power on';
  }

  async getBootDevice(): Promise<BootDeviceState> {
    return { boot_device: 'pxe', persistent: false };
  }

  async setBootDevice(): Promise<void> {}
}
