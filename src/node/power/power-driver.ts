import type { PowerTarget } from '../dto/node.dto';

export type PowerState = 'power on' | 'power off';

/** What a driver is given of a node. */
export interface DriverNode {
  uuid: string;
  power_state: string | null;
  driver_info: Record<string, unknown>;
}

/**
 * What a hardware type does to a node's power. A driver answers with the
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
  /** The device the machine boots from next (persistent: every boot), as Ironic's management interface sets it. */
  setBootDevice?(node: DriverNode, device: 'pxe' | 'disk', persistent: boolean): Promise<void>;
}
