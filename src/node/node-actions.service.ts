import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { Db } from '../common/db/db.service';
import { invalid, IronicError, InvalidStateRequested, MissingParameter } from '../common/errors/ironic-errors';
import { isPlainObject, validateSchema } from '../common/validation/schema';
import { pyStr } from '../common/validation/py-repr';
import { assertExpectedArgs, integerArg, uuidOrNameArg } from '../common/collection/query-args';
import { MINOR_27_SOFT_POWER_OFF } from '../common/microversion/microversion';
import { nowIso } from '../common/time';
import type { ViewContext } from '../common/http/view-context';
import { powerActions } from '../observability/metrics';
import { POWER_TARGETS, PowerTarget, SetProvisionStateDto } from './dto/node.dto';
import { provisionTransition } from './provision-states';
import { NodeLocks } from './node-lock';
import { NodeService } from './node.service';
import { POWER_DRIVERS, PowerDriver, PowerState } from './power/power-driver';

/**
 * Power and provisioning actions. A power action reserves the node (Ironic's
 * node lock) in one short transaction, calls the driver with no transaction
 * open (a real BMC can take seconds), and records the outcome and releases
 * the reservation in another. While the node is reserved, volume changes,
 * node changes and other actions on it answer 409 NodeLocked, so nothing
 * acts on a power state that is about to change.
 */
@Injectable()
export class NodeActionsService {
  private readonly drivers: Map<string, PowerDriver>;

  constructor(
    private readonly db: Db,
    private readonly nodes: NodeService,
    private readonly locks: NodeLocks,
    @Inject(POWER_DRIVERS) drivers: PowerDriver[],
  ) {
    this.drivers = new Map(drivers.map((d) => [d.name, d]));
  }

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
    const timeout = args.timeout === undefined || args.timeout === null ? null : pythonInt('timeout', args.timeout);
    const node = await this.nodes.getRow(ident, ctx.caller);
    const target = args.target as PowerTarget;
    const soft = target === 'soft power off' || target === 'soft rebooting';
    if ((soft || timeout) && minor < MINOR_27_SOFT_POWER_OFF) {
      throw new IronicError(HttpStatus.NOT_ACCEPTABLE, 'Request not acceptable.');
    }
    if (timeout !== null && timeout < 1) throw invalid('timeout has to be positive integer');
    if (!POWER_TARGETS.includes(target)) throw InvalidStateRequested(target, ident, node.power_state);
    const driver = this.drivers.get(node.driver);
    if (!driver) throw invalid(`The driver ${node.driver} of node ${node.uuid} is not loaded.`);

    const reservedAt = nowIso();
    await this.db.write(async (tx) => {
      const [locked] = await this.locks.lock(tx, [node]);
      this.locks.assertNotReserved([locked]);
      await tx.run(
        'UPDATE nodes SET reservation = ?, reserved_at = ?, target_power_state = ?, version = version + 1, updated_at = ? WHERE id = ?',
        [this.locks.host, reservedAt, target, reservedAt, node.id],
      );
    }, node.uuid);

    let state: PowerState | null = null;
    let failure: Error | null = null;
    try {
      state = await driver.setPowerState(node, target, timeout ?? undefined);
      powerActions.inc({ target, result: 'done' });
    } catch (error) {
      powerActions.inc({ target, result: 'failed' });
      failure = error as Error;
    }
    // Only this action's reservation is released: one that expired and was taken over is not ours.
    await this.db.write(
      (tx) =>
        tx.run(
          'UPDATE nodes SET power_state = COALESCE(?, power_state), target_power_state = NULL, last_error = ?, reservation = NULL, reserved_at = NULL, version = version + 1, updated_at = ? WHERE id = ? AND reservation = ? AND reserved_at = ?',
          [state, failure ? `Failed to change power state to '${target}': ${failure.message}` : null, nowIso(), node.id, this.locks.host, reservedAt],
        ),
      node.uuid,
    );
    if (failure) throw failure;
  }

  /**
   * Moves a node through Ironic's provisioning state machine. fake-hardware
   * finishes every step at once, so the node lands in the stable state.
   */
  async setProvisionState(ident: string, body: unknown, ctx: ViewContext): Promise<void> {
    this.nodes.checkIdent(ident, ctx.minor);
    const dto = validateSchema(SetProvisionStateDto, body, 'provision');
    const node = await this.nodes.getRow(ident, ctx.caller);
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
}

/** Python's int() of a JSON value, as Ironic's integer argument takes it. */
function pythonInt(name: string, value: unknown): number {
  if (typeof value === 'number' && Number.isFinite(value)) return Math.trunc(value);
  if (typeof value === 'boolean') return Number(value);
  if (typeof value === 'string') return integerArg(name, value);
  throw invalid(`Expected an integer for ${name}: ${pyStr(value)}`);
}
