/** Roles, weakest first: each role may do what the ones before it may. */
export const ROLES = ['reader', 'member', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/**
 * Who is calling, whatever proved it: every authentication strategy yields
 * this shape and authorization reads nothing else. A caller without a
 * project is system-scoped and sees every node; one with a project sees
 * only nodes whose owner or lessee is that project.
 */
export interface Identity {
  user: string;
  roles: readonly Role[];
  project: string | null;
}

/** The caller under AUTH_STRATEGY=noauth: an administrator of everything. */
export const NOAUTH_IDENTITY: Identity = Object.freeze({ user: 'admin', roles: Object.freeze(['admin'] as Role[]), project: null });

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** Whether the caller holds the role or a stronger one. */
export function hasRole(identity: Identity, role: Role): boolean {
  const needed = ROLES.indexOf(role);
  return identity.roles.some((held) => ROLES.indexOf(held) >= needed);
}

/** Whether a project-scoped caller may see a node with this owner and lessee (system scope sees all). */
export function canSeeNode(identity: Identity, node: { owner: string | null; lessee: string | null }): boolean {
  return identity.project === null || node.owner === identity.project || node.lessee === identity.project;
}
