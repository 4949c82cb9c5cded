import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import type { Logger } from 'pino';
import { nowIso } from '../common/time';
import { LOGGER } from '../observability/logger';
import { NodeRepository } from './node.repository';
import { ProvisionEvents } from './provision-events';

/** Where each transient state lands when the action in it cannot go on, as Ironic's conductor fails them at start. */
const FAILED: Record<string, string> = { deploying: 'deploy failed', deleting: 'error', cleaning: 'clean failed', verifying: 'enroll' };

/**
 * A process killed in the middle of an action (a deploy waiting for a BMC,
 * a verification) leaves its node in a transient state, reserved. At start,
 * as Ironic's conductor does for the nodes it held, each such node that no
 * live action holds is failed with a last_error saying why, and its
 * reservation is freed: no node stays stuck.
 */
@Injectable()
export class InterruptedActions implements OnApplicationBootstrap {
  constructor(
    private readonly nodes: NodeRepository,
    private readonly events: ProvisionEvents,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    for (const node of await this.nodes.interrupted(Object.keys(FAILED))) {
      const failed = FAILED[node.provision_state];
      await this.nodes.write(node.uuid, async (tx) => {
        const at = nowIso();
        await this.nodes.update(tx, node.id, {
          provision_state: failed,
          target_provision_state: null,
          provision_updated_at: at,
          last_error: `The action of provision state "${node.provision_state}" was interrupted (the process running it stopped); the node was moved to "${failed}".`,
        }, at);
        await this.nodes.unreserve(tx, node.id);
        const previous = { state: node.provision_state, target: node.target_provision_state };
        await this.events.provisionSet(tx, node.id, previous, [{ event: 'fail', state: failed, target: null }]);
      });
      this.logger.warn({ node: node.uuid, from: node.provision_state, to: failed }, 'an interrupted action was failed at start');
    }
  }
}
