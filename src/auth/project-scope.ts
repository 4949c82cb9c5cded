import type { Identity } from './identity';

/**
 * The SQL condition that keeps a project-scoped caller to nodes its project
 * owns or leases (none for system scope); `nodes` is the alias of the nodes table.
 */
export function projectFilter(caller: Identity, nodes: string): { sql: string; params: unknown[] }[] {
  if (caller.project === null) return [];
  return [{ sql: `(${nodes}.owner = ? OR ${nodes}.lessee = ?)`, params: [caller.project, caller.project] }];
}
