/**
 * Python's int() of a JSON value, as Ironic's handlers read integers: a
 * number is truncated, a boolean is 0 or 1, a string may carry surrounding
 * blanks, a sign and digit-separating underscores. Null where int() raises.
 */
export function pythonInt(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? Math.trunc(value) : null;
  if (typeof value === 'boolean') return Number(value);
  if (typeof value === 'string' && /^\s*[-+]?\d+(_\d+)*\s*$/.test(value)) return Number(value.trim().replace(/_/g, ''));
  return null;
}
