import { HttpStatus } from '@nestjs/common';
import { assertExpectedArgs, parseBoolean, stringListArg, uuidOrNameArg, validateArgs } from '../common/collection/query-args';
import { invalid, IronicError, MissingParameter, NodeNotFound } from '../common/errors/ironic-errors';
import type { ArgsParser } from '../common/http/args.decorator';
import { assertPatchable, PatchOp, validatePatchDocument } from '../common/json-patch/json-patch';
import { atLeast, MINOR_27_SOFT_POWER_OFF, MINOR_5_NODE_NAME } from '../common/microversion/microversion';
import { pyStr } from '../common/validation/py-repr';
import { pythonInt } from '../common/validation/python-int';
import { isPlainObject } from '../common/validation/schema';
import { canonicalUuid } from '../common/validation/uuid';
import { POWER_TARGETS, PowerTarget } from './dto/node.dto';
import { NODE_PATCHABLE } from './node-body';
import { assertPatchAllowedAt, NODE_COLLECTION, nodeListQuery, NodeListRequest } from './node-list-query';

/**
 * The arguments of each node handler, parsed before the handler runs, with
 * the checks Ironic makes before it looks the node up, in its order. What
 * Ironic checks against the node it found stays in the services.
 */

/** A node identifier as a path names it. Names identify nodes from API 1.5; before that Ironic takes UUIDs only (404). */
function nodeIdent(ident: string, minor: number): string {
  if (!atLeast(minor, MINOR_5_NODE_NAME) && !canonicalUuid(ident)) throw NodeNotFound(ident);
  return ident;
}

/** GET /v1/nodes and /v1/nodes/detail. */
export const nodeListArgs = (detailView: boolean): ArgsParser<NodeListRequest> => ({ query, minor }) =>
  nodeListQuery(query, minor, NODE_COLLECTION, detailView);

/** GET /v1/nodes/{node}: its one argument, fields (lower-cased, once each), then the identifier. */
export const nodeShowArgs: ArgsParser<{ ident: string; fields: string[] | undefined }> = ({ params, query, minor }) => {
  const { fields } = validateArgs(query, { fields: stringListArg });
  return { ident: nodeIdent(params.node_ident, minor), fields };
};

/** GET /v1/nodes/{node}/states: a state handler checks the identifier itself, naming it node_ident. */
export const nodeStatesArgs: ArgsParser<{ ident: string }> = ({ params, minor }) => {
  uuidOrNameArg('node_ident', params.node_ident);
  return { ident: nodeIdent(params.node_ident, minor) };
};

/** DELETE /v1/nodes/{node}. */
export const nodeDeleteArgs: ArgsParser<{ ident: string }> = ({ params, minor }) => ({ ident: nodeIdent(params.node_ident, minor) });

/**
 * PATCH /v1/nodes/{node}: the document, the paths a node PATCH may name,
 * the fields newer than the request (as Ironic's get_patch_values, a
 * remove names no value, so it is not checked), then the identifier.
 */
export const nodePatchArgs: ArgsParser<{ ident: string; patch: PatchOp[] }> = ({ params, body, minor }) => {
  const patch = validatePatchDocument(body);
  assertPatchable(patch, NODE_PATCHABLE);
  assertPatchAllowedAt(patch.filter((op) => op.op !== 'remove').map((op) => op.path), minor);
  return { ident: nodeIdent(params.node_ident, minor), patch };
};

/** A power request as the handler takes it; the target is checked against the node's state once it is found. */
export interface PowerArgs {
  ident: string;
  target: string;
  timeout: number | null;
}

/**
 * PUT /v1/nodes/{node}/states/power. Ironic takes the body's members as
 * the handler's arguments: unknown members, the node identifier, the
 * target and the timeout are checked in that order (a body that is not an
 * object brings no arguments at all).
 */
export const powerArgs: ArgsParser<PowerArgs> = ({ params, body, minor }) => {
  const args = isPlainObject(body) ? body : {};
  assertExpectedArgs(args, ['target', 'timeout']);
  uuidOrNameArg('node_ident', params.node_ident);
  const ident = nodeIdent(params.node_ident, minor);
  if (args.target === undefined) throw MissingParameter('target');
  if (typeof args.target !== 'string') throw invalid(`Expected string for target: ${pyStr(args.target)}`);
  const timeout = args.timeout === undefined || args.timeout === null ? null : integerBodyArg('timeout', args.timeout);
  return { ident, target: args.target, timeout };
};

/**
 * The checks of a power request Ironic makes once the node is found: the
 * microversion of soft power and timeouts, the timeout's value, then the
 * target (refused naming the node's power state).
 */
export function checkPowerArgsFor(args: PowerArgs, minor: number, refuseTarget: () => never): PowerTarget {
  const soft = args.target === 'soft power off' || args.target === 'soft rebooting';
  if ((soft || args.timeout) && !atLeast(minor, MINOR_27_SOFT_POWER_OFF)) {
    throw new IronicError(HttpStatus.NOT_ACCEPTABLE, 'Request not acceptable.');
  }
  if (args.timeout !== null && args.timeout < 1) throw invalid('timeout has to be positive integer');
  if (!(POWER_TARGETS as readonly string[]).includes(args.target)) refuseTarget();
  return args.target as PowerTarget;
}

const PROVISION_ARGS = ['target', 'configdrive', 'clean_steps', 'deploy_steps', 'rescue_password', 'disable_ramdisk'];

/** Python's str() of a type tuple, as Ironic's args.types names the types it takes. */
const pyTypes = (...names: string[]) => names.map((n) => `<class '${n}'>`).join(', ');

/**
 * PUT /v1/nodes/{node}/states/provision: the body's members as the
 * arguments of Ironic's provision handler, checked in its declared order
 * with its validators' wording: unknown members, the node identifier, the
 * target, then the optional arguments' types.
 */
export const provisionArgs: ArgsParser<{ ident: string; target: string }> = ({ params, body, minor }) => {
  const args = isPlainObject(body) ? body : {};
  assertExpectedArgs(args, PROVISION_ARGS);
  uuidOrNameArg('node_ident', params.node_ident);
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
  return { ident: nodeIdent(params.node_ident, minor), target: (args.target as string | null) ?? 'None' };
};

/**
 * Ironic merges the query string and the body into one set of arguments;
 * a name in both becomes the list of both (the query's first).
 */
function queryAndBodyArgs(query: Record<string, unknown>, body: unknown): Record<string, unknown> {
  const merged = new Map<string, unknown>(Object.entries(query));
  if (isPlainObject(body)) for (const [name, value] of Object.entries(body)) merged.set(name, merged.has(name) ? [merged.get(name), value] : value);
  // fromEntries defines own properties: a member named __proto__ stays an argument, as it is for Ironic.
  return Object.fromEntries(merged);
}

/** GET /v1/nodes/{node}/management/boot_device and .../supported: no arguments but the node. */
export const nodeManagementArgs: ArgsParser<{ ident: string }> = ({ params, query, minor }) => {
  assertExpectedArgs(query, []);
  uuidOrNameArg('node_ident', params.node_ident);
  return { ident: nodeIdent(params.node_ident, minor) };
};

/** A boot device request; the device is checked against the node's driver once the node is found. */
export interface BootDeviceArgs {
  ident: string;
  /** As given: Ironic names a null device "None" when it refuses it. */
  device: string | null;
  persistent: boolean;
}

/**
 * PUT /v1/nodes/{node}/management/boot_device: unknown arguments, the
 * device's presence, then each argument in Ironic's declared order (the
 * node, boot_device a string, persistent a boolean as oslo reads one).
 * Ironic's router also takes them as further path segments
 * (.../boot_device/pxe/true); one given twice is refused (Ironic: 500).
 */
export const bootDeviceArgs: ArgsParser<BootDeviceArgs> = ({ params, query, body, minor }) => {
  const args = queryAndBodyArgs(query, body);
  assertExpectedArgs(args, ['boot_device', 'persistent']);
  for (const name of ['boot_device', 'persistent']) {
    if (params[name] === undefined) continue;
    if (Object.hasOwn(args, name)) throw invalid(`multiple values for argument '${name}'`);
    args[name] = params[name];
  }
  if (!Object.hasOwn(args, 'boot_device')) throw MissingParameter('boot_device');
  uuidOrNameArg('node_ident', params.node_ident);
  const device = args.boot_device;
  if (device !== null && typeof device !== 'string') throw invalid(`Expected string for boot_device: ${pyStr(device)}`);
  const persistent = args.persistent;
  const asBoolean = persistent === undefined || persistent === null ? false : typeof persistent === 'boolean' ? persistent : parseBoolean(pyStr(persistent), 'persistent')!;
  return { ident: nodeIdent(params.node_ident, minor), device, persistent: asBoolean };
};

/** Ironic's integer argument: what Python's int() reads. */
function integerBodyArg(name: string, value: unknown): number {
  const number = pythonInt(value);
  if (number === null) throw invalid(`Expected an integer for ${name}: ${pyStr(value)}`);
  return number;
}
