import { Injectable } from '@nestjs/common';
import type { Tx } from '../common/db/db.service';
import { Status } from '../notifications/notification';
import { Notifier } from '../notifications/notifier';
import { parseJsonColumn } from './node.mapper';
import { nodePayload, nodePayloadData } from './node-payload';
import { NodeRepository } from './node.repository';
import { PowerDrivers } from './power/power-drivers';
import { isUnstable, ProvisionStep } from './provision-states';

/**
 * baremetal.node.provision_set.<status>, one per move of the node through
 * Ironic's state machine, as its task manager sends them: `error` for a
 * fail or error event, `start` when the node leaves a stable state for an
 * unstable one, `end` when it comes back, `success` otherwise. Each is
 * written in the transaction that records the move.
 */
@Injectable()
export class ProvisionEvents {
  constructor(
    private readonly nodes: NodeRepository,
    private readonly notifier: Notifier,
    private readonly drivers: PowerDrivers,
  ) {}

  /**
   * The moves a node made from `previous`, the last being the state it is
   * now in; the node's other fields as the transaction leaves them.
   */
  async provisionSet(tx: Tx, nodeId: number, previous: { state: string; target: string | null }, steps: readonly ProvisionStep[]): Promise<void> {
    if (!this.notifier.enabled || steps.length === 0) return;
    const node = (await this.nodes.findById(tx, nodeId))!;
    const data = nodePayloadData(node, this.drivers.get(node.driver)?.powerInterface ?? null);
    let before = previous;
    const events = steps.map((step) => {
      const status = statusOf(step, before.state);
      const payload = nodePayload('NodeSetProvisionStatePayload', '1.17', data, {
        provision_state: step.state,
        target_provision_state: step.target,
        instance_info: parseJsonColumn(node.instance_info),
        driver_internal_info: {},
        event: step.event,
        previous_provision_state: before.state,
        previous_target_provision_state: before.target,
      });
      before = { state: step.state, target: step.target };
      return { publisher: 'ironic-conductor' as const, eventType: 'baremetal.node.provision_set', status, payload };
    });
    await this.notifier.record(tx, events);
  }
}

function statusOf(step: ProvisionStep, from: string): Status {
  if (step.event === 'fail' || step.event === 'error') return 'error';
  const [wasUnstable, isNowUnstable] = [isUnstable(from), isUnstable(step.state)];
  if (!wasUnstable && isNowUnstable) return 'start';
  if (wasUnstable && !isNowUnstable) return 'end';
  return 'success';
}
