/**
 * Who is calling, whatever proved it: every authentication strategy yields
 * this shape and authorization reads nothing else. A caller without a
 * project is system-scoped and sees every node; one with a project sees
 * only nodes whose owner or lessee is that project.
 */
export interface Identity {
  /** The user's id (Keystone), or name (http_basic, jwt). */
  user: string;
  roles: readonly string[];
  /** The project's id, or null for a system-scoped caller. */
  project: string | null;
  /** The user's and project's names, where the credentials carry them (Keystone). */
  userName?: string;
  projectName?: string | null;
}
