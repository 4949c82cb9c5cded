/**
 * Python's repr() of a JSON value. Ironic's validation messages quote the
 * offending value this way ("'3' is not of type 'integer'"), and clients and
 * operators grep for those messages.
 */
export function pyRepr(value: unknown, depth = 0): string {
  if (depth > 8) return '...';
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'nan';
  if (typeof value === 'string') return pyString(value);
  if (Array.isArray(value)) return `[${value.map((v) => pyRepr(v, depth + 1)).join(', ')}]`;
  if (typeof value === 'object') {
    const members = Object.entries(value as Record<string, unknown>).map(
      ([k, v]) => `${pyString(k)}: ${pyRepr(v, depth + 1)}`,
    );
    return `{${members.join(', ')}}`;
  }
  return String(value);
}

function pyString(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === quote) out += `\\${quote}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out + quote;
}

/** Python's str() of a JSON value: strings as they are, anything else as repr() shows it. */
export const pyStr = (value: unknown): string => (typeof value === 'string' ? value : pyRepr(value));
