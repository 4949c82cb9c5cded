import type { PowerTarget } from '../dto/node.dto';

export type PowerState = 'power on' | 'power off';

/**
 * What a hardware type does to change a node's power. A driver answers
 * with the power state the node ended in.
 */
export interface PowerDriver {
  readonly name: string;
  setPowerState(node: { uuid: string; power_state: string | null }, target: PowerTarget, timeoutSeconds?: number): Promise<PowerState>;
}

export const POWER_DRIVERS = Symbol('POWER_DRIVERS');
