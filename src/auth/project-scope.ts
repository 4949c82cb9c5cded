import type { Identity } from '../common/http/identity';
import { seesEveryNode } from './identity';

/**
 * The SQL condition that keeps a project-scoped caller to nodes its project
 * owns or leases (none for a caller who sees every node); `nodes` is the
 * alias of the nodes table.
 */
export function projectFilter(caller: Identity, nodes: string): { sql: string; params: unknown[] }[] {
  if (seesEveryNode(caller)) return [];
  return [{ sql: `(${nodes}.owner = ? OR ${nodes}.lessee = ?)`, params: [caller.project, caller.project] }];
}
