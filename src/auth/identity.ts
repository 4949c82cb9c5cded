import type { Identity } from '../common/http/identity';

/**
 * Roles ironvol's policy knows, as in Ironic's secure-RBAC defaults.
 * `reader` < `member` < `admin` is Keystone's default chain of implied
 * roles; `manager` (between member and admin on a project) and `service`
 * (other services of the cloud) stand apart, as in Ironic 2023.1.
 */
export const ROLES = ['reader', 'member', 'manager', 'admin', 'service'] as const;
export type Role = (typeof ROLES)[number];

/** Roles each role brings with it, as Keystone's implied roles do (a token lists them already). */
const IMPLIED: Record<Role, readonly Role[]> = {
  reader: [],
  member: ['reader'],
  manager: ['member', 'reader'],
  admin: ['manager', 'member', 'reader'],
  service: [],
};

/** The caller under AUTH_STRATEGY=noauth: an administrator of everything. */
export const NOAUTH_IDENTITY: Identity = Object.freeze({ user: 'admin', roles: Object.freeze(['admin'] as Role[]), project: null });

/**
 * Ironic's `rbac_service_project_name`: a `service` role in this project
 * acts system-wide (Ironic's `rule:service_role`).
 */
export const SERVICE_PROJECT_NAME = 'service';

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** Whether the caller holds the role, itself or implied by one it holds. */
export function hasRole(identity: Identity, role: Role): boolean {
  return identity.roles.some((held) => held === role || (isRole(held) && IMPLIED[held].includes(role)));
}

/** Whether the caller is an OpenStack service acting for the whole deployment (Ironic's `rule:service_role`). */
export function isServiceProjectCaller(identity: Identity): boolean {
  return identity.project !== null && identity.projectName === SERVICE_PROJECT_NAME && hasRole(identity, 'service');
}

/** Whether the caller sees every node: system scope, or the service role in the service project. */
export function seesEveryNode(identity: Identity): boolean {
  return identity.project === null || isServiceProjectCaller(identity);
}

/** Whether a project-scoped caller may see a node with this owner and lessee (system scope sees all). */
export function canSeeNode(identity: Identity, node: { owner: string | null; lessee: string | null }): boolean {
  return seesEveryNode(identity) || node.owner === identity.project || node.lessee === identity.project;
}
