import type { ListQuery } from './list-query';

/**
 * The "next" URL of a full page, spelled as Ironic spells it (sort_key,
 * sort_dir, fields or detail, limit, marker), but keeping the ?node= filter,
 * which Ironic drops so that its page 2 shows other nodes' items.
 */
export function nextLink(
  base: string,
  path: string,
  query: ListQuery,
  pageLength: number,
  lastUuid: string | undefined,
): string | undefined {
  if (!pageLength || pageLength < query.limit || !lastUuid) return undefined;
  const args = [`sort_key=${encodeURIComponent(query.sortKey)}`, `sort_dir=${query.sortDir}`];
  if (query.detail) args.push('detail=True');
  else if (query.fields?.length) args.push(`fields=${query.fields.map(encodeURIComponent).join(',')}`);
  if (query.node) args.push(`node=${encodeURIComponent(query.node)}`);
  args.push(`limit=${query.limit}`, `marker=${lastUuid}`);
  return `${base}/v1/${path}?${args.join('&')}`;
}
