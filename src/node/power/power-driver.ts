import type { PowerTarget } from '../dto/node.dto';

export type PowerState = 'power on' | 'power off';

/** Ironic's boot devices (ironic/common/boot_devices.py) that its drivers here can set. */
export type BootDevice = 'pxe' | 'disk' | 'cdrom' | 'bios' | 'safe';

/** The device a machine boots from next, as Ironic's management interface reads it: null where the BMC does not say. */
export interface BootDeviceState {
  boot_device: BootDevice | null;
  persistent: boolean | null;
}

/** What a driver is given of a node. */
export interface DriverNode {
  uuid: string;
  power_state: string | null;
  driver_info: Record<string, unknown>;
}

/**
 * What a hardware type does to a node's power and boot device (Ironic's
 * power and management interfaces). A driver answers with the
 * power state the node ended in. One that talks to a machine can also
 * read the machine's power (for power-state sync and the live check),
 * validate the node's driver_info (400 before anything is reserved), and
 * be asynchronous: its actions run after the API has answered 202.
 */
export interface PowerDriver {
  readonly name: string;
  /** Ironic's power interface of the hardware type, as node notifications name it. */
  readonly powerInterface: string;
  readonly asynchronous?: boolean;
  validate?(node: DriverNode): void;
  getPowerState?(node: DriverNode, options?: { once?: boolean }): Promise<PowerState>;
  setPowerState(node: DriverNode, target: PowerTarget, timeoutSeconds?: number): Promise<PowerState>;
  /** The boot devices the management interface can set, in Ironic's order. */
  readonly bootDevices: readonly BootDevice[];
  getBootDevice(node: DriverNode): Promise<BootDeviceState>;
  /** The device the machine boots from next (persistent: every boot), one of bootDevices. */
  setBootDevice(node: DriverNode, device: BootDevice, persistent: boolean): Promise<void>;
}
