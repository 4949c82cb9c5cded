import { PreconditionFailed } from '../errors/ironic-errors';

/** The entity tag of one version of a resource. */
export function etagOf(version: number, createdAt: string): string {
  return `"${version}-${createdAt.replace(/\D/g, '').slice(0, 20)}"`;
}

/** Enforces If-Match (strong comparison, "*" matches anything): 412 on a stale version. */
export function checkIfMatch(ifMatch: string | undefined, current: string): void {
  if (ifMatch === undefined || ifMatch.trim() === '*') return;
  const tags = ifMatch.split(',').map((t) => t.trim());
  if (!tags.includes(current)) throw PreconditionFailed(current);
}
