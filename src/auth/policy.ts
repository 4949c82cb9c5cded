import type { Identity, Role } from './identity';
import { hasRole } from './identity';

export interface PolicyRule {
  /** The weakest role allowed. */
  role: Role;
  /**
   * Whether project-scoped callers may use it, on nodes their project owns
   * or leases; otherwise only system-scoped callers may.
   */
  projectScoped: boolean;
  description: string;
}

/**
 * Every authorization decision of the API, by Ironic's policy names. The
 * README's policy table is this table; test/auth.e2e-spec.ts tries each row
 * with and without the right.
 */
export const POLICIES = {
  'baremetal:node:get': { role: 'reader', projectScoped: true, description: 'List and show nodes, and their states.' },
  'baremetal:node:create': { role: 'admin', projectScoped: false, description: 'Create a node.' },
  'baremetal:node:update': { role: 'member', projectScoped: false, description: 'Update a node.' },
  'baremetal:node:delete': { role: 'admin', projectScoped: false, description: 'Delete a node.' },
  'baremetal:node:set_power_state': {
    role: 'member',
    projectScoped: true,
    description: 'Power a node on or off, or reboot it.',
  },
  'baremetal:node:set_provision_state': {
    role: 'member',
    projectScoped: false,
    description: 'Change a node\'s provision state.',
  },
  'baremetal:volume:get': {
    role: 'reader',
    projectScoped: true,
    description: 'List and show volume connectors and targets, including the node views.',
  },
  'baremetal:volume:create': { role: 'member', projectScoped: true, description: 'Create a volume connector or target.' },
  'baremetal:volume:update': {
    role: 'member',
    projectScoped: true,
    description: 'Update a volume connector or target, or move it to another node of the caller\'s project.',
  },
  'baremetal:volume:delete': { role: 'member', projectScoped: true, description: 'Delete a volume connector or target.' },
  'baremetal:volume:view_target_properties': {
    role: 'admin',
    projectScoped: true,
    description: 'See secret-looking values in volume target properties; others see "******".',
  },
} satisfies Record<string, PolicyRule>;

export type PolicyName = keyof typeof POLICIES;

/** Whether the caller's role and scope allow the action (which nodes it may touch is checked with the data). */
export function allows(identity: Identity, policy: PolicyName): boolean {
  const rule: PolicyRule = POLICIES[policy];
  return hasRole(identity, rule.role) && (rule.projectScoped || identity.project === null);
}
