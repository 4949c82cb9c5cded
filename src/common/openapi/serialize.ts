/** A copy with object keys sorted at every level (arrays keep their order). */
export function sortKeysDeep<T>(value: T): T {
  if (Array.isArray(value)) return value.map(sortKeysDeep) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value as object)
        .sort()
        .map((k) => [k, sortKeysDeep((value as Record<string, unknown>)[k])]),
    ) as T;
  }
  return value;
}

/** YAML for a JSON document: every scalar written as JSON, which YAML reads as the same value. */
export function toYaml(value: unknown, indent = ''): string {
  if (Array.isArray(value)) {
    if (!value.length) return '[]\n';
    return value
      .map((item) => {
        const body = toYaml(item, `${indent}  `);
        return isBlock(item) ? `${indent}- ${body.trimStart()}` : `${indent}- ${body}`;
      })
      .join('');
  }
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (!entries.length) return '{}\n';
    return entries
      .map(([k, v]) => {
        const key = JSON.stringify(k);
        return isBlock(v) ? `${indent}${key}:\n${toYaml(v, `${indent}  `)}` : `${indent}${key}: ${toYaml(v, indent)}`;
      })
      .join('');
  }
  return `${JSON.stringify(value)}\n`;
}

function isBlock(value: unknown): boolean {
  return (Array.isArray(value) && value.length > 0) || (!!value && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length > 0);
}
