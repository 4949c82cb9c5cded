import { isDeepStrictEqual } from 'node:util';
import type { Answer, Request } from './exchange';
import { ALLOWED_DIFFERENCES, KNOWN_GAPS } from './allowed-differences';

/** Node answers: ironvol carries only the node fields it stores, each as Ironic has it. */
const isNodePath = (path: string) => /^\/v1\/nodes(\/[^/?]+)?(\/states(\/power)?)?(\?|$)/.test(path);

function nodeSubset(ironic: unknown, ironvol: unknown): boolean {
  if (!ironic || !ironvol || typeof ironic !== 'object' || typeof ironvol !== 'object') return isDeepStrictEqual(ironic, ironvol);
  const [a, b] = [(ironic as { nodes?: unknown }).nodes, (ironvol as { nodes?: unknown }).nodes];
  if (Array.isArray(a) && Array.isArray(b)) {
    // A list: each node as a node, everything else (the next link) as it is.
    const { nodes: _a, ...restA } = ironic as Record<string, unknown>;
    const { nodes: _b, ...restB } = ironvol as Record<string, unknown>;
    return a.length === b.length && a.every((node, i) => nodeSubset(node, b[i])) && isDeepStrictEqual(restA, restB);
  }
  return Object.entries(ironvol).every(([key, value]) => key === 'reservation' || isDeepStrictEqual((ironic as Record<string, unknown>)[key], value));
}

/**
 * Ironic lists unexpected arguments and invalid fields from a Python set,
 * whose order changes from process to process: those lists compare as sets.
 */
function unordered(error: unknown): unknown {
  const fault = error as { faultstring?: unknown } | null;
  if (!fault || typeof fault.faultstring !== 'string') return error;
  const text = fault.faultstring
    .replace(/^(Unexpected arguments: )(.*)$/, (_m, head: string, names: string) => head + names.split(', ').sort().join(', '))
    .replace(/^(Field\(s\) ")(.*)(" are not valid)$/, (_m, head: string, names: string, tail: string) => head + names.split(', ').sort().join(', ') + tail);
  return { ...fault, faultstring: text };
}

/** Where two bodies first differ, as a path with both values (ironvol's keys only, as node bodies compare). */
function firstDifference(ironic: unknown, ironvol: unknown, path = ''): string {
  if (ironic && ironvol && typeof ironic === 'object' && typeof ironvol === 'object') {
    for (const key of Object.keys(ironvol)) {
      const a = (ironic as Record<string, unknown>)[key];
      const b = (ironvol as Record<string, unknown>)[key];
      if (!isDeepStrictEqual(a, b) && key !== 'reservation') return firstDifference(a, b, `${path}/${key}`);
    }
    return `${path} (ironic has more)`;
  }
  return `${path || '/'} ${JSON.stringify(ironic)} vs ${JSON.stringify(ironvol)}`;
}

/** What differs between the two answers, or null when nothing does. */
function difference(request: Request, ironic: Answer, ironvol: Answer): string | null {
  if (ironic.status !== ironvol.status) return `status ${ironic.status} vs ${ironvol.status} (${JSON.stringify(ironic.error ?? null)} vs ${JSON.stringify(ironvol.error ?? null)})`;
  if (!isDeepStrictEqual(unordered(ironic.error), unordered(ironvol.error))) return `error ${JSON.stringify(ironic.error)} vs ${JSON.stringify(ironvol.error)}`;
  const sameBody = isNodePath(request.path) ? nodeSubset(ironic.body, ironvol.body) : isDeepStrictEqual(ironic.body, ironvol.body);
  if (!sameBody) return `body at ${firstDifference(ironic.body, ironvol.body)}: ${JSON.stringify(ironic.body)} vs ${JSON.stringify(ironvol.body)}`;
  if (ironic.location !== ironvol.location) return `Location ${ironic.location} vs ${ironvol.location}`;
  if (!isDeepStrictEqual(ironic.versions, ironvol.versions)) return `version headers ${JSON.stringify(ironic.versions)} vs ${JSON.stringify(ironvol.versions)}`;
  return null;
}

export interface Verdict {
  /** What differs, when no allowed difference explains it. */
  unexplained: string | null;
  /** The allowed difference that explains it, if one does. */
  allowed: string | null;
  /** The known, not yet fixed, difference that explains it, if one does. */
  gap: string | null;
}

export function judge(request: Request, ironic: Answer, ironvol: Answer): Verdict {
  const found = difference(request, ironic, ironvol);
  if (!found) return { unexplained: null, allowed: null, gap: null };
  const allowed = ALLOWED_DIFFERENCES.find((d) => d.applies(request, ironic, ironvol));
  if (allowed) return { unexplained: null, allowed: allowed.row, gap: null };
  // DIFF_GAPS=off reports the known gaps too (to work through them).
  const gap = process.env.DIFF_GAPS === 'off' ? undefined : KNOWN_GAPS.find((d) => d.applies(request, ironic, ironvol));
  return gap ? { unexplained: null, allowed: null, gap: gap.row } : { unexplained: found, allowed: null, gap: null };
}
