import { HttpStatus } from '@nestjs/common';
import { InvalidStateRequested, IronicError } from '../common/errors/ironic-errors';
import { poweredOffRefusals } from '../observability/metrics';

export interface NodePowerState {
  uuid: string;
  power_state: string | null;
}

/**
 * The rule: a volume connector or target may only change while every node
 * it is on or moves to is powered off. A node never powered (state null) is
 * not powered off, as in Ironic (ironic/conductor/manager.py).
 */
export function assertPoweredOff(nodes: readonly NodePowerState[], action: string): void {
  for (const node of nodes) {
    if (node.power_state !== 'power off') {
      poweredOffRefusals.inc({ action });
      throw new NotPoweredOff(InvalidStateRequested(action, node.uuid, node.power_state).message);
    }
  }
}

/** The rule's refusal: Ironic's InvalidStateRequested, told apart from other 400s (it is a refused change, reported as such). */
export class NotPoweredOff extends IronicError {
  constructor(message: string) {
    super(HttpStatus.BAD_REQUEST, message);
  }
}
