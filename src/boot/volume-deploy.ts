import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import type { Logger } from 'pino';
import { invalid, InvalidStateRequested } from '../common/errors/ironic-errors';
import type { DeployEngine } from '../node/deploy-engine';
import { driverNode } from '../node/node.mapper';
import { NodeChange, NodeRepository, NodeRow } from '../node/node.repository';
import { NodeReservations } from '../node/node-reservations';
import type { PowerDriver } from '../node/power/power-driver';
import { PowerDrivers } from '../node/power/power-drivers';
import { ProvisionEvents } from '../node/provision-events';
import type { ProvisionStep } from '../node/provision-states';
import { LOGGER } from '../observability/logger';
import { BOOT_CONFIG, BootConfig } from './boot-config';
import { bootPlanOf } from './boot-plan';
import { BootRepository } from './boot.repository';
import { hasIscsiBoot } from './node-validation';

const DEPLOY_FROM = ['available'];

/** Where an action's outcome moves the node from, and how, as Ironic's state machine names the moves. */
interface Outcome {
  from: { state: string; target: string };
  steps: ProvisionStep[];
}
const DEPLOYED: Outcome = { from: { state: 'deploying', target: 'active' }, steps: [{ event: 'done', state: 'active', target: null }] };
const DEPLOY_FAILED: Outcome = { from: { state: 'deploying', target: 'active' }, steps: [{ event: 'fail', state: 'deploy failed', target: 'active' }] };
const TORN_DOWN: Outcome = {
  from: { state: 'deleting', target: 'available' },
  steps: [{ event: 'clean', state: 'cleaning', target: 'available' }, { event: 'done', state: 'available', target: null }],
};
const TEAR_DOWN_FAILED: Outcome = { from: { state: 'deleting', target: 'available' }, steps: [{ event: 'fail', state: 'error', target: null }] };
const TEAR_DOWN_FROM = ['active', 'deploy failed', 'error'];

/**
 * Ironic's deploy of a node that boots from a volume (deploy_interface
 * direct, no image): under the node's reservation (volume changes meanwhile
 * get 409 NodeLocked), `deploying`: the records are checked as validate
 * checks them, the BMC is told to boot from the network (persistent) and
 * the machine is powered on; then `active`. The machine chains its script
 * from the boot listener, written from the records when it asks. A check
 * that fails ends in `deploy failed` with a last_error naming the field.
 * Tear down: `deleting`: the machine is powered off and every volume target
 * of the node is deleted (connectors stay), as Ironic's external storage
 * interface does; then, automated cleaning being off, `available`.
 */
@Injectable()
export class VolumeDeploy implements DeployEngine, OnModuleDestroy {
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly nodes: NodeRepository,
    private readonly reservations: NodeReservations,
    private readonly drivers: PowerDrivers,
    private readonly volumes: BootRepository,
    private readonly events: ProvisionEvents,
    @Inject(BOOT_CONFIG) private readonly config: BootConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  handles(node: NodeRow): boolean {
    return node.deploy_interface === 'direct';
  }

  async provision(node: NodeRow, action: string): Promise<void> {
    const driver = this.drivers.get(node.driver);
    if (!driver) throw invalid(`The driver ${node.driver} of node ${node.uuid} is not loaded.`);
    const deploy = action === 'active' || action === 'deploy';
    const [from, transient, target] = deploy ? [DEPLOY_FROM, 'deploying', 'active'] : [TEAR_DOWN_FROM, 'deleting', 'available'];
    const reservedAt = await this.reservations.reserve(node, deploy ? 'deploy' : 'tear down', async (tx, at) => {
      const row = (await this.nodes.findById(tx, node.id))!;
      if (!from.includes(row.provision_state)) throw InvalidStateRequested(action, node.uuid, row.provision_state);
      await this.nodes.update(tx, node.id, { provision_state: transient, target_provision_state: target, provision_updated_at: at, last_error: null }, at);
      const previous = { state: row.provision_state, target: row.target_provision_state };
      await this.events.provisionSet(tx, node.id, previous, [{ event: deploy ? 'deploy' : 'delete', state: transient, target }]);
    });
    // As Ironic's conductor: the API answers 202 while the node is deploying or deleting.
    const work = (deploy ? this.deploy(node, driver, reservedAt) : this.tearDown(node, driver, reservedAt))
      .catch((error: Error) => this.logger.error({ node: node.uuid, err: error.message }, 'a deploy failed to record its outcome'))
      .finally(() => this.inFlight.delete(work));
    this.inFlight.add(work);
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
  }

  private async deploy(node: NodeRow, driver: PowerDriver, reservedAt: string): Promise<void> {
    let change: NodeChange;
    const failed = (lastError: string) => this.finish(node, reservedAt, { provision_state: 'deploy failed', last_error: lastError }, DEPLOY_FAILED);
    try {
      await this.prepare(node);
    } catch (error) {
      return failed(`Failed to prepare to deploy: ${(error as Error).message}`);
    }
    try {
      const subject = driverNode(node);
      driver.validate?.(subject);
      await driver.setBootDevice?.(subject, 'pxe', true);
      const current = driver.getPowerState ? await driver.getPowerState(subject) : node.power_state;
      const power = await driver.setPowerState(subject, current === 'power on' ? 'rebooting' : 'power on');
      change = { provision_state: 'active', target_provision_state: null, power_state: power };
    } catch (error) {
      return failed(`Failed to deploy: ${(error as Error).message}`);
    }
    await this.finish(node, reservedAt, change, DEPLOYED);
  }

  /** What a deploy checks before it touches the machine: no image, Ironic's iscsi_boot capability, the records, a listener. */
  private async prepare(node: NodeRow): Promise<void> {
    const instance = JSON.parse(node.instance_info || '{}') as { image_source?: unknown };
    if (instance.image_source) throw new Error(`node ${node.uuid} has instance_info.image_source; the direct deploy interface of ironvol boots from a volume only`);
    if (node.storage_interface !== 'external') throw new Error(`node ${node.uuid} has storage_interface ${node.storage_interface}; boot from volume needs external`);
    if (!hasIscsiBoot(node.properties)) throw new Error(`Node ${node.uuid} has an iSCSI boot volume defined and no iSCSI boot support available.`);
    if (node.boot_interface === 'ipxe' && !this.config.url) throw new Error('BOOT_HTTP_URL is not set: the machine has no boot listener to fetch its script from');
    const { connectors, targets } = await this.volumes.volumesOf(node.id);
    bootPlanOf(connectors, targets, null);
  }

  private async tearDown(node: NodeRow, driver: PowerDriver, reservedAt: string): Promise<void> {
    try {
      const power = await driver.setPowerState(driverNode(node), 'power off');
      const change: NodeChange = { provision_state: 'available', target_provision_state: null, power_state: power, instance_uuid: null, instance_info: '{}' };
      await this.finish(node, reservedAt, change, TORN_DOWN, true);
    } catch (error) {
      await this.finish(node, reservedAt, { provision_state: 'error', target_provision_state: null, last_error: `Failed to tear down: ${(error as Error).message}` }, TEAR_DOWN_FAILED);
    }
  }

  /** Records the outcome (and its moves through the state machine) and frees the node, deleting its volume targets when a tear down succeeded. */
  private async finish(node: NodeRow, reservedAt: string, change: NodeChange, outcome: Outcome, deleteTargets = false): Promise<void> {
    const recorded = await this.reservations.release(node, reservedAt, async (tx, at) => {
      if (deleteTargets) await this.volumes.deleteTargets(tx, node.id);
      await this.nodes.update(tx, node.id, { ...change, provision_updated_at: at }, at);
      await this.events.provisionSet(tx, node.id, outcome.from, outcome.steps);
    });
    if (!recorded) this.logger.warn({ node: node.uuid }, 'a deploy finished after its reservation was taken over; its outcome was not recorded');
  }
}
