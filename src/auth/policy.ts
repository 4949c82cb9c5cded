import { Forbidden } from '../common/errors/ironic-errors';
import type { Identity } from '../common/http/identity';
import { hasRole, isServiceProjectCaller, Role } from './identity';

/** The node a decision is about: its owner and lessee projects. */
export interface NodeOwnership {
  owner: string | null;
  lessee: string | null;
}

/** A policy check: Ironic's check strings, as functions of the caller and the node. */
type Check = (caller: Identity, node: NodeOwnership) => boolean;

const anyOf =
  (...checks: Check[]): Check =>
  (caller, node) =>
    checks.some((check) => check(caller, node));
/** `role:R` in any scope. */
const role =
  (name: Role): Check =>
  (caller) =>
    hasRole(caller, name);
/** `role:R and system_scope:all`. */
const system =
  (name: Role): Check =>
  (caller) =>
    caller.project === null && hasRole(caller, name);
/** `role:R and project_id:%(node.owner)s`. */
const owner =
  (name: Role): Check =>
  (caller, node) =>
    caller.project !== null && node.owner === caller.project && hasRole(caller, name);
/** `role:R and project_id:%(node.lessee)s`. */
const lessee =
  (name: Role): Check =>
  (caller, node) =>
    caller.project !== null && node.lessee === caller.project && hasRole(caller, name);
/** Ironic's `rule:service_role`: the service role in the service project. */
const serviceRole: Check = (caller) => isServiceProjectCaller(caller);

// Ironic 2023.1's composite check strings (ironic/common/policy.py), by their names there.
const SYSTEM_READER = anyOf(system('reader'), system('service'), serviceRole);
const SYSTEM_MEMBER = anyOf(system('member'), serviceRole);
const SYSTEM_OR_PROJECT_READER = anyOf(SYSTEM_READER, owner('reader'), lessee('reader'), owner('service'));
const SYSTEM_MEMBER_OR_OWNER_LESSEE_ADMIN = anyOf(
  SYSTEM_MEMBER, system('service'), owner('admin'), owner('manager'), lessee('admin'), lessee('manager'), owner('service'),
);
const SYSTEM_OR_OWNER_MEMBER_AND_LESSEE_ADMIN = anyOf(
  SYSTEM_MEMBER, system('service'), owner('member'), lessee('admin'), lessee('manager'), owner('service'),
);
const SYSTEM_MEMBER_OR_OWNER_ADMIN = anyOf(SYSTEM_MEMBER, system('service'), owner('admin'), owner('manager'), owner('service'));
const API_READER = anyOf(role('reader'), role('service'));
const TARGET_PROPERTIES_READER = anyOf(SYSTEM_READER, role('admin'));

/**
 * ironvol's node rules, older than the volume rules and simpler: a role,
 * and whether project-scoped callers may use the rule on their nodes
 * (which nodes those are is checked by the node service, against the data).
 */
const nodeRule =
  (name: Role, projectScoped: boolean): Check =>
  (caller) =>
    hasRole(caller, name) && (projectScoped || caller.project === null);

export interface PolicyRule {
  check: Check;
  /** The route-level check, where it is more than the rule on the caller's own node (403 when it fails). */
  authorize?: (caller: Identity) => void;
  /** The check in words, for the policy table of docs/api.md and the OpenAPI document. */
  who: string;
  description: string;
}

/**
 * Every authorization decision of the API, by Ironic's policy names. The
 * volume rules are Ironic 2023.1's secure-RBAC defaults (scope enforced,
 * new defaults); the policy table of docs/api.md is this table, and
 * test/auth.e2e-spec.ts tries each row with and without the right.
 */
export const POLICIES = {
  'baremetal:node:get': {
    check: nodeRule('reader', true), who: 'reader; project readers on their nodes',
    description: 'List and show nodes, and their states.',
  },
  'baremetal:node:create': { check: nodeRule('admin', false), who: 'system admin', description: 'Create a node.' },
  'baremetal:node:update': { check: nodeRule('member', false), who: 'system member', description: 'Update a node.' },
  'baremetal:node:delete': { check: nodeRule('admin', false), who: 'system admin', description: 'Delete a node.' },
  'baremetal:node:set_power_state': {
    check: nodeRule('member', true), who: 'member; project members on their nodes',
    description: 'Power a node on or off, or reboot it.',
  },
  'baremetal:node:validate': {
    check: nodeRule('member', true), who: 'member; project members on their nodes',
    description: "Validate a node's interfaces.",
  },
  'baremetal:node:get_boot_device': {
    check: SYSTEM_MEMBER_OR_OWNER_ADMIN, who: 'system member; admin or manager of the node\'s owner; service',
    description: 'Show the device a node boots from next, and the devices it can boot from.',
  },
  'baremetal:node:set_boot_device': {
    check: SYSTEM_MEMBER_OR_OWNER_ADMIN, who: 'system member; admin or manager of the node\'s owner; service',
    description: 'Set the device a node boots from next.',
  },
  'baremetal:node:set_provision_state': {
    check: nodeRule('member', false), who: 'system member', description: 'Change a node\'s provision state.',
  },
  'baremetal:volume:list_all': {
    check: SYSTEM_READER, who: 'system reader or service',
    description: 'List the volume connectors and targets of every node.',
  },
  'baremetal:volume:list': {
    check: API_READER, who: 'reader or service (any scope)',
    // Lists try list_all, then list for a project (Ironic's check_volume_list_policy).
    authorize: (caller: Identity) => assertMayListVolumes(caller),
    description: 'List the volume connectors and targets of the nodes the caller\'s project owns or leases.',
  },
  'baremetal:volume:get': {
    check: SYSTEM_OR_PROJECT_READER, who: 'system reader; reader of the node\'s owner or lessee; service of the owner',
    description: 'Show volume connectors and targets, /v1/volume and the node views.',
  },
  'baremetal:volume:create': {
    check: SYSTEM_MEMBER_OR_OWNER_LESSEE_ADMIN, who: 'system member; admin or manager of the node\'s owner or lessee; service',
    description: 'Create a volume connector or target.',
  },
  'baremetal:volume:update': {
    check: SYSTEM_OR_OWNER_MEMBER_AND_LESSEE_ADMIN, who: 'system member; member of the node\'s owner; admin or manager of its lessee; service',
    description: 'Update a volume connector or target, or move it to another node the caller may update on.',
  },
  'baremetal:volume:delete': {
    check: SYSTEM_MEMBER_OR_OWNER_LESSEE_ADMIN, who: 'system member; admin or manager of the node\'s owner or lessee; service',
    description: 'Delete a volume connector or target.',
  },
  'baremetal:volume:view_target_properties': {
    check: TARGET_PROPERTIES_READER, who: 'system reader; admin (any scope)',
    description: 'See volume target properties (secret values still masked); others see a redaction notice.',
  },
} satisfies Record<string, PolicyRule>;

export type PolicyName = keyof typeof POLICIES;

/** A node owned and leased by the caller's own project: the best case a check can meet before the node is known. */
const callersOwnNode = (caller: Identity): NodeOwnership => ({ owner: caller.project, lessee: caller.project });

/**
 * Whether the rule allows the caller on this node; without a node, whether
 * it could allow the caller on any node (the guard's check, before the data
 * is read; the services check the real node later).
 */
export function allows(caller: Identity, policy: PolicyName, node?: NodeOwnership | null): boolean {
  const rule: PolicyRule = POLICIES[policy];
  return rule.check(caller, node === undefined ? callersOwnNode(caller) : (node ?? { owner: null, lessee: null }));
}

/** The route-level check of a policy: its own, or the rule on the caller's own node. */
export function authorizeRoute(caller: Identity, policy: PolicyName): void {
  const rule: PolicyRule = POLICIES[policy];
  if (rule.authorize) rule.authorize(caller);
  else assertAllowed(caller, policy);
}

/** 403 in Ironic's words unless the rule allows the caller on the node (null: one that does not exist). */
export function assertAllowed(caller: Identity, policy: PolicyName, node?: NodeOwnership | null): void {
  if (!allows(caller, policy, node)) throw Forbidden(policy);
}

/**
 * Ironic's check_volume_list_policy: `list_all` lists every node's items;
 * otherwise a project-scoped caller with `list` lists its project's. The
 * refusal names the rule that failed last, as Ironic's does.
 */
export function assertMayListVolumes(caller: Identity): void {
  if (allows(caller, 'baremetal:volume:list_all')) return;
  if (caller.project === null) throw Forbidden('baremetal:volume:list_all');
  if (!allows(caller, 'baremetal:volume:list')) throw Forbidden('baremetal:volume:list');
}
