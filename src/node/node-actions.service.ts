import { HttpStatus, Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { Db } from '../common/db/db.service';
import { invalid, IronicError, InvalidStateRequested, MissingParameter } from '../common/errors/ironic-errors';
import { isPlainObject } from '../common/validation/schema';
import { pyStr } from '../common/validation/py-repr';
import { pythonInt } from '../common/validation/python-int';
import { assertExpectedArgs, parseBoolean, uuidOrNameArg } from '../common/collection/query-args';
import { atLeast, MINOR_27_SOFT_POWER_OFF } from '../common/microversion/microversion';
import { nowIso } from '../common/time';
import type { ViewContext } from '../common/http/view-context';
import { powerActions } from '../observability/metrics';
import { POWER_TARGETS, PowerTarget } from './dto/node.dto';
import { provisionTransition } from './provision-states';
import { NodeLocks } from './node-lock';
import { NodeService } from './node.service';
import { DriverNode, PowerDriver, PowerState } from './power/power-driver';
import { PowerDrivers } from './power/power-drivers';
import { PowerEvents } from './power/power-events';
import { NodeReservations } from './node-reservations';
import type { Logger } from 'pino';
import { LOGGER } from '../observability/logger';
import { driverNode, NodeRow } from './node.mapper';

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
    private readonly db: Db,
    private readonly nodes: NodeService,
    private readonly locks: NodeLocks,
    private readonly reservations: NodeReservations,
    private readonly drivers: PowerDrivers,
    private readonly events: PowerEvents,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /**
   * Ironic takes the body's members as the handler's arguments: unknown
   * members, the node identifier, the target and the timeout are checked in
   * that order, then the node (404), the microversion, the timeout's value
   * and the target; its refusals name the node as the path does.
   */
  async setPowerState(ident: string, body: unknown, ctx: ViewContext): Promise<void> {
    const minor = ctx.minor;
    // A body that is not an object brings no arguments at all.
    const args = isPlainObject(body) ? body : {};
    assertExpectedArgs(args, ['target', 'timeout']);
    uuidOrNameArg('node_ident', ident);
    this.nodes.checkIdent(ident, minor);
    if (args.target === undefined) throw MissingParameter('target');
    if (typeof args.target !== 'string') throw invalid(`Expected string for target: ${pyStr(args.target)}`);
    const timeout = args.timeout === undefined || args.timeout === null ? null : integerBodyArg('timeout', args.timeout);
    const node = await this.nodes.getRow(ident, ctx.caller);
    const target = args.target as PowerTarget;
    const soft = target === 'soft power off' || target === 'soft rebooting';
    if ((soft || timeout) && !atLeast(minor, MINOR_27_SOFT_POWER_OFF)) {
      throw new IronicError(HttpStatus.NOT_ACCEPTABLE, 'Request not acceptable.');
    }
    if (timeout !== null && timeout < 1) throw invalid('timeout has to be positive integer');
    if (!POWER_TARGETS.includes(target)) throw InvalidStateRequested(target, ident, node.power_state);
    const driver = this.drivers.get(node.driver);
    if (!driver) throw invalid(`The driver ${node.driver} of node ${node.uuid} is not loaded.`);
    const subject = driverNode(node);
    driver.validate?.(subject);

    const reservedAt = await this.reservations.reserve(node, async (tx, at) => {
      // As Ironic's conductor: power_set.start with the node as it was, then target_power_state set and last_error cleared.
      await this.events.powerSet(tx, node.id, 'start', target);
      await tx.run(
        'UPDATE nodes SET target_power_state = ?, last_error = NULL, version = version + 1, updated_at = ? WHERE id = ?',
        [targetState(target), at, node.id],
      );
    });
    const action = this.act(driver, subject, node.id, target, timeout, reservedAt);
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
  private async act(driver: PowerDriver, node: DriverNode, id: number, target: PowerTarget, timeout: number | null, reservedAt: string): Promise<Error | null> {
    let state: PowerState | null = null;
    let failure: Error | null = null;
    let lastError: string | null = null;
    const wanted = targetState(target);
    try {
      const current = driver.getPowerState ? await driver.getPowerState(node).catch((error: Error) => {
        lastError = `Failed to change power state to '${wanted}': ${error.message}`;
        throw error;
      }) : null;
      const settled = current === wanted && (target === 'power on' || target === 'power off');
      state = settled ? current : await driver.setPowerState(node, target, timeout ?? undefined);
      powerActions.inc({ target, result: 'done' });
    } catch (error) {
      powerActions.inc({ target, result: 'failed' });
      failure = error as Error;
      lastError ??= `Failed to change power state to '${wanted}' by '${target}': ${failure.message}`;
      // The machine's state after a failure is what its BMC says, if it says anything.
      state = (await driver.getPowerState?.(node, { once: true }).catch(() => null)) ?? null;
    }
    await this.reservations.release(id, reservedAt, async (tx, at) => {
      await tx.run(
        'UPDATE nodes SET power_state = COALESCE(?, power_state), target_power_state = NULL, last_error = ?, version = version + 1, updated_at = ? WHERE id = ?',
        [state, lastError, at, id],
      );
      await this.events.powerSet(tx, id, failure ? 'error' : 'end', target);
    });
    return failure;
  }

  /**
   * Moves a node through Ironic's provisioning state machine. fake-hardware
   * finishes every step at once, so the node lands in the stable state.
   */
  async setProvisionState(ident: string, body: unknown, ctx: ViewContext): Promise<void> {
    const dto = provisionArgs(ident, body);
    this.nodes.checkIdent(ident, ctx.minor);
    const node = await this.nodes.getRow(ident, ctx.caller);
    const driver = this.drivers.get(node.driver);
    if (dto.target === 'manage' && node.provision_state === 'enroll' && driver?.getPowerState) return this.verify(node, driver);
    await this.db.write(async (tx) => {
      const [locked] = await this.locks.lock(tx, [node]);
      this.locks.assertNotReserved([locked]);
      const [row] = await tx.query<{ provision_state: string }>('SELECT provision_state FROM nodes WHERE id = ?', [node.id]);
      const next = provisionTransition(row.provision_state, dto.target);
      if (!next) throw InvalidStateRequested(dto.target, node.uuid, row.provision_state);
      const now = nowIso();
      await tx.run(
        'UPDATE nodes SET provision_state = ?, target_provision_state = NULL, provision_updated_at = ?, version = version + 1, updated_at = ? WHERE id = ?',
        [next, now, now, node.id],
      );
    }, node.uuid);
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
    const reservedAt = await this.reservations.reserve(node, async (tx, at) => {
      const [row] = await tx.query<{ provision_state: string }>('SELECT provision_state FROM nodes WHERE id = ?', [node.id]);
      if (provisionTransition(row.provision_state, 'manage') !== 'manageable') throw InvalidStateRequested('manage', node.uuid, row.provision_state);
      await tx.run(
        'UPDATE nodes SET provision_state = ?, target_provision_state = ?, provision_updated_at = ?, last_error = NULL, version = version + 1, updated_at = ? WHERE id = ?',
        ['verifying', 'manageable', at, at, node.id],
      );
    });
    // As in Ironic, the API answers 202 while the node is `verifying`.
    this.inBackground(this.readMachine(node.id, subject, driver, reservedAt, invalidInfo));
  }

  private async readMachine(id: number, subject: DriverNode, driver: PowerDriver, reservedAt: string, invalidInfo: string | null): Promise<void> {
    let machine: PowerState | null = null;
    let failure = invalidInfo;
    if (!failure) {
      try {
        machine = await driver.getPowerState!(subject);
      } catch (error) {
        failure = `Failed to get power state for node ${subject.uuid}. Error: ${(error as Error).message}`;
      }
    }
    await this.reservations.release(id, reservedAt, async (tx, at) => {
      await tx.run(
        'UPDATE nodes SET provision_state = ?, target_provision_state = NULL, provision_updated_at = ?, power_state = COALESCE(?, power_state), last_error = ?, version = version + 1, updated_at = ? WHERE id = ?',
        [failure ? 'enroll' : 'manageable', at, machine, failure, at, id],
      );
      // The node is reserved since it was read, so subject.power_state is still the record's.
      if (machine !== null && machine !== subject.power_state) await this.events.corrected(tx, id, subject.power_state);
    });
  }
}

const PROVISION_ARGS = ['target', 'configdrive', 'clean_steps', 'deploy_steps', 'rescue_password', 'disable_ramdisk'];

/** Python's str() of a type tuple, as Ironic's args.types names the types it takes. */
const pyTypes = (...names: string[]) => names.map((n) => `<class '${n}'>`).join(', ');

/**
 * The body's members as the arguments of Ironic's provision handler, checked
 * in its declared order with its validators' wording: unknown members, the
 * node identifier, the target, then the optional arguments' types.
 */
function provisionArgs(ident: string, body: unknown): { target: string } {
  const args = isPlainObject(body) ? body : {};
  assertExpectedArgs(args, PROVISION_ARGS);
  uuidOrNameArg('node_ident', ident);
  if (args.target === undefined) throw MissingParameter('target');
  if (args.target !== null && typeof args.target !== 'string') throw invalid(`Expected string for target: ${pyStr(args.target)}`);
  const { configdrive, clean_steps: cleanSteps, deploy_steps: deploySteps, rescue_password: rescuePassword, disable_ramdisk: disableRamdisk } = args;
  if (configdrive != null && typeof configdrive !== 'string' && !isPlainObject(configdrive)) {
    throw invalid(`Expected types ${pyTypes('NoneType', 'dict', 'str')} for configdrive: ${pyStr(configdrive)}`);
  }
  for (const [name, steps] of [['clean_steps', cleanSteps], ['deploy_steps', deploySteps]] as const) {
    if (steps != null && !Array.isArray(steps)) throw invalid(`Expected types ${pyTypes('NoneType', 'list')} for ${name}: ${pyStr(steps)}`);
  }
  if (rescuePassword != null && typeof rescuePassword !== 'string') throw invalid(`Expected string for rescue_password: ${pyStr(rescuePassword)}`);
  if (disableRamdisk != null && typeof disableRamdisk !== 'boolean') parseBoolean(pyStr(disableRamdisk), 'disable_ramdisk');
  // A null target passes Ironic's check and is refused by its state machine as "None".
  return { target: (args.target as string | null) ?? 'None' };
}

/** The power state a target ends in (Ironic's target_power_state). */
function targetState(target: PowerTarget): PowerState {
  return target === 'power off' || target === 'soft power off' ? 'power off' : 'power on';
}

/** Ironic's integer argument: what Python's int() reads. */
function integerBodyArg(name: string, value: unknown): number {
  const number = pythonInt(value);
  if (number === null) throw invalid(`Expected an integer for ${name}: ${pyStr(value)}`);
  return number;
}
