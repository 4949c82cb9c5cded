import type { PowerTarget } from '../dto/node.dto';
import type { PowerDriver, PowerState } from './power-driver';

/** Ironic's fake-hardware: every power action succeeds at once. */
export class FakeHardwareDriver implements PowerDriver {
  readonly name = 'fake-hardware';
  readonly powerInterface = 'fake';

  async setPowerState(_node: unknown, target: PowerTarget): Promise<PowerState> {
    return target === 'power off' || target === 'soft power off' ? 'power off' : 'power on';
  }
}
