import { Inject, Injectable, OnModuleDestroy, Optional } from '@nestjs/common';
import { DEPLOY_ACTIONS, DEPLOY_ENGINE, DeployEngine } from './deploy-engine';
import type { Logger } from 'pino';
import { invalid, InvalidStateRequested } from '../common/errors/ironic-errors';
import type { ViewContext } from '../common/http/view-context';
import { nowIso } from '../common/time';
import { LOGGER } from '../observability/logger';
import { powerActions } from '../observability/metrics';
import { PowerTarget } from './dto/node.dto';
import { checkPowerArgsFor, PowerArgs } from './node-args';
import { driverNode } from './node.mapper';
import { NodeRepository, NodeRow } from './node.repository';
import { NodeReservations } from './node-reservations';
import { NodeService } from './node.service';
import { DriverNode, PowerDriver, PowerState } from './power/power-driver';
import { PowerDrivers } from './power/power-drivers';
import { PowerEvents } from './power/power-events';
import { ProvisionEvents } from './provision-events';
import { provisionSteps, provisionTransition } from './provision-states';

/**
 * Power and provisioning actions. A power action reserves the node (Ironic's
 * node lock) in one short transaction, calls the driver with no transaction
 * open (a real BMC can take seconds), and records the outcome and releases
 * the reservation in another. While the node is reserved, volume changes,
 * node changes and other actions on it answer 409 NodeLocked, so nothing
 * acts on a power state that is about to change. fake-hardware acts before
 * the 202; a driver that talks to a BMC acts after it, as Ironic's conductor.
 */
@Injectable()
export class NodeActionsService implements OnModuleDestroy {
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    private readonly nodes: NodeRepository,
    private readonly nodeService: NodeService,
    private readonly reservations: NodeReservations,
    private readonly drivers: PowerDrivers,
    private readonly events: PowerEvents,
    private readonly provisionEvents: ProvisionEvents,
    @Inject(LOGGER) private readonly logger: Logger,
    @Optional() @Inject(DEPLOY_ENGINE) private readonly deployEngine?: DeployEngine,
  ) {}

  /** A power request, its arguments parsed: the node (404), the checks Ironic makes against it, then the action. */
  async setPowerState(args: PowerArgs, ctx: ViewContext): Promise<void> {
    const node = await this.nodeService.getRow(args.ident, ctx.caller);
    const target = checkPowerArgsFor(args, ctx.minor, () => {
      throw InvalidStateRequested(args.target, args.ident, node.power_state);
    });
    const driver = this.drivers.get(node.driver);
    if (!driver) throw invalid(`The driver ${node.driver} of node ${node.uuid} is not loaded.`);
    const subject = driverNode(node);
    driver.validate?.(subject);

    const reservedAt = await this.reservations.reserve(node, 'power state change', async (tx, at) => {
      // As Ironic's conductor: power_set.start with the node as it was, then target_power_state set and last_error cleared.
      await this.events.powerSet(tx, node.id, 'start', target);
      await this.nodes.update(tx, node.id, { target_power_state: targetState(target), last_error: null }, at);
    });
    const action = this.act(driver, subject, node, target, args.timeout, reservedAt);
    if (!driver.asynchronous) return action.then((failure) => {
      if (failure) throw failure;
    });
    // A BMC can take long: the API answers 202 now, and the action goes on.
    this.inBackground(action);
  }

  /** Work that goes on after the answer; awaited at shutdown. */
  private inBackground(work: Promise<unknown>): void {
    const tracked = work
      .catch((error: Error) => this.logger.error({ err: error.message }, 'a node action that went on after its answer failed to record its outcome'))
      .finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
  }

  /** Power actions still running, for a graceful shutdown. */
  async onModuleDestroy(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
  }

  /**
   * Runs the driver with no transaction open, then records the outcome and
   * releases the reservation. As Ironic's node_power_action, a driver that
   * reads the machine reads it first: a machine already in the asked state
   * is left alone, and one whose state cannot be read is not acted on.
   */
  private async act(driver: PowerDriver, subject: DriverNode, node: NodeRow, target: PowerTarget, timeout: number | null, reservedAt: string): Promise<Error | null> {
    let state: PowerState | null = null;
    let failure: Error | null = null;
    let lastError: string | null = null;
    const wanted = targetState(target);
    try {
      const current = driver.getPowerState ? await driver.getPowerState(subject).catch((error: Error) => {
        lastError = `Failed to change power state to '${wanted}': ${error.message}`;
        throw error;
      }) : null;
      const settled = current === wanted && (target === 'power on' || target === 'power off');
      state = settled ? current : await driver.setPowerState(subject, target, timeout ?? undefined);
      powerActions.inc({ target, result: 'done' });
    } catch (error) {
      powerActions.inc({ target, result: 'failed' });
      failure = error as Error;
      lastError ??= `Failed to change power state to '${wanted}' by '${target}': ${failure.message}`;
      // The machine's state after a failure is what its BMC says, if it says anything.
      state = (await driver.getPowerState?.(subject, { once: true }).catch(() => null)) ?? null;
    }
    await this.reservations.release(node, reservedAt, async (tx, at) => {
      // A machine whose state could not be read keeps the recorded one.
      await this.nodes.update(tx, node.id, { ...(state ? { power_state: state } : {}), target_power_state: null, last_error: lastError }, at);
      await this.events.powerSet(tx, node.id, failure ? 'error' : 'end', target);
    });
    return failure;
  }

  /**
   * Moves a node through Ironic's provisioning state machine. fake-hardware
   * finishes every step at once, so the node lands in the stable state.
   */
  async setProvisionState(args: { ident: string; target: string }, ctx: ViewContext): Promise<void> {
    const node = await this.nodeService.getRow(args.ident, ctx.caller);
    const driver = this.drivers.get(node.driver);
    if (args.target === 'manage' && node.provision_state === 'enroll' && driver?.getPowerState) return this.verify(node, driver);
    if (DEPLOY_ACTIONS.includes(args.target) && this.deployEngine?.handles(node)) return this.deployEngine.provision(node, args.target);
    await this.nodes.write(node.uuid, async (tx) => {
      await this.nodes.acquire(tx, [node], `provision action ${args.target}`);
      const row = (await this.nodes.findById(tx, node.id))!;
      const next = provisionTransition(row.provision_state, args.target);
      if (!next) throw InvalidStateRequested(args.target, node.uuid, row.provision_state);
      const at = nowIso();
      await this.nodes.update(tx, node.id, { provision_state: next, target_provision_state: null, provision_updated_at: at }, at);
      const previous = { state: row.provision_state, target: row.target_provision_state };
      await this.provisionEvents.provisionSet(tx, node.id, previous, provisionSteps(row.provision_state, args.target, next));
    });
  }

  /**
   * Ironic's `verifying`: `manage` of an enrolled node behind a BMC reads the
   * machine's power through the driver and records it; a BMC that cannot be
   * reached sends the node back to `enroll` with last_error saying why. The
   * BMC is asked under the node's reservation, with no transaction open.
   */
  private async verify(node: NodeRow, driver: PowerDriver): Promise<void> {
    const subject = driverNode(node);
    let invalidInfo: string | null = null;
    try {
      driver.validate?.(subject);
    } catch (error) {
      // As in Ironic, bad driver_info is found while verifying: 202, then back to enroll.
      invalidInfo = `Failed to validate power driver interface for node ${node.uuid}. Error: ${(error as Error).message}`;
    }
    const reservedAt = await this.reservations.reserve(node, 'verifying', async (tx, at) => {
      const row = (await this.nodes.findById(tx, node.id))!;
      if (provisionTransition(row.provision_state, 'manage') !== 'manageable') throw InvalidStateRequested('manage', node.uuid, row.provision_state);
      await this.nodes.update(tx, node.id, { provision_state: 'verifying', target_provision_state: 'manageable', provision_updated_at: at, last_error: null }, at);
      await this.provisionEvents.provisionSet(tx, node.id, { state: row.provision_state, target: row.target_provision_state }, [{ event: 'manage', state: 'verifying', target: 'manageable' }]);
    });
    // As in Ironic, the API answers 202 while the node is `verifying`.
    this.inBackground(this.readMachine(node, subject, driver, reservedAt, invalidInfo));
  }

  private async readMachine(node: NodeRow, subject: DriverNode, driver: PowerDriver, reservedAt: string, invalidInfo: string | null): Promise<void> {
    let machine: PowerState | null = null;
    let failure = invalidInfo;
    if (!failure) {
      try {
        machine = await driver.getPowerState!(subject);
      } catch (error) {
        failure = `Failed to get power state for node ${subject.uuid}. Error: ${(error as Error).message}`;
      }
    }
    await this.reservations.release(node, reservedAt, async (tx, at) => {
      await this.nodes.update(tx, node.id, {
        provision_state: failure ? 'enroll' : 'manageable',
        target_provision_state: null,
        provision_updated_at: at,
        ...(machine ? { power_state: machine } : {}),
        last_error: failure,
      }, at);
      const moved = failure ? { event: 'fail', state: 'enroll', target: null } : { event: 'done', state: 'manageable', target: null };
      await this.provisionEvents.provisionSet(tx, node.id, { state: 'verifying', target: 'manageable' }, [moved]);
      // The node is reserved since it was read, so subject.power_state is still the record's.
      if (machine !== null && machine !== subject.power_state) await this.events.corrected(tx, node.id, subject.power_state);
    });
  }
}

/** The power state a target ends in (Ironic's target_power_state). */
function targetState(target: PowerTarget): PowerState {
  return target === 'power off' || target === 'soft power off' ? 'power off' : 'power on';
}
