/**
 * One request sent to a server and its answer, normalised so that real
 * Ironic's and ironvol's compare: the server's base URL becomes <base>,
 * timestamps <time>; error bodies are decoded; request ids are dropped.
 */
export interface Request {
  method: string;
  path: string;
  /** X-OpenStack-Ironic-API-Version; null sends none. */
  version: string | null;
  /** A JSON body, serialised as is. */
  body?: unknown;
  /** A body sent verbatim (JSON with escapes JSON.stringify would not write). */
  raw?: string;
}

export interface Answer {
  status: number;
  versions: { min: string | null; max: string | null; used: string | null };
  location: string | null;
  /** The decoded inner document of an error body, else null. */
  error: unknown;
  /** The JSON body of a success, else null. */
  body: unknown;
}

const TIME = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(\+00:00|Z)?/g;

function normalise(value: unknown, base: string): unknown {
  if (typeof value === 'string') return value.split(base).join('<base>').replace(TIME, '<time>');
  if (Array.isArray(value)) return value.map((v) => normalise(v, base));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalise(v, base)]));
  }
  return value;
}

export async function send(base: string, request: Request): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (request.version !== null) headers['X-OpenStack-Ironic-API-Version'] = request.version;
  let body: string | undefined;
  if (request.raw !== undefined) body = request.raw;
  else if (request.body !== undefined) body = JSON.stringify(request.body);
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(`${base}${request.path}`, { method: request.method, headers, body, redirect: 'manual' });
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = { unparsable: text.slice(0, 200) };
  }
  let error: unknown = null;
  if (res.status >= 400 && json && typeof json === 'object' && 'error_message' in json) {
    const inner = (json as { error_message: unknown }).error_message;
    try {
      error = typeof inner === 'string' ? JSON.parse(inner) : inner;
    } catch {
      error = inner;
    }
  } else if (res.status >= 400) {
    error = json;
  }
  return {
    status: res.status,
    versions: {
      min: res.headers.get('x-openstack-ironic-api-minimum-version'),
      max: res.headers.get('x-openstack-ironic-api-maximum-version'),
      used: res.headers.get('x-openstack-ironic-api-version'),
    },
    location: normalise(res.headers.get('location'), base) as string | null,
    error: normalise(error, base),
    body: res.status < 400 ? normalise(json, base) : null,
  };
}

/** The request as a curl command against base, to replay a failure by hand. */
export function toCurl(base: string, request: Request): string {
  const parts = ['curl', '-si', '-X', request.method];
  if (request.version !== null) parts.push('-H', `'X-OpenStack-Ironic-API-Version: ${request.version}'`);
  const body = request.raw ?? (request.body === undefined ? undefined : JSON.stringify(request.body));
  if (body !== undefined) parts.push('-H', "'Content-Type: application/json'", '-d', `'${body.replace(/'/g, "'\\''")}'`);
  parts.push(`'${base}${request.path}'`);
  return parts.join(' ');
}
