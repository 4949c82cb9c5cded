/**
 * Replays a scripted session (session.json) against a server and
 * normalises the answers so those of real Ironic and of ironvol compare:
 * captured UUIDs become {{NAME}}, other UUIDs <uuid>, timestamps <time>,
 * the server's base URL <base>, request ids are dropped.
 */
export interface Step {
  name: string;
  method: string;
  path: string;
  /** Microversion header; null sends none. Default 1.32. */
  version?: string | null;
  body?: unknown;
  /** Extra request headers ({{VAR}} substituted). */
  headers?: Record<string, string>;
  /** Raw body with a Content-Type, sent as is. */
  raw?: { text: string; contentType: string };
  /** Variables taken from the JSON answer: {"NODE": "uuid"}. */
  capture?: Record<string, string>;
  /** How answers compare: exact JSON (default), node bodies as a subset, or status only. */
  compare?: 'exact' | 'subset' | 'status';
  /** Fields not compared: Ironic reports its conductor's lock in `reservation` while it answers. */
  ignore?: string[];
  /** A difference from Ironic kept on purpose: ironvol's status here, and why. */
  differs?: { status: number; why: string };
}

export interface Exchange {
  name: string;
  method: string;
  path: string;
  status: number;
  location: string | null;
  version: string | null;
  body: unknown;
  /** The decoded inner document of an error body. */
  error: unknown;
}

export type Send = (method: string, path: string, headers: Record<string, string>, body?: string) => Promise<{
  status: number;
  headers: Record<string, string | undefined>;
  text: string;
}>;

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const TIME = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(\+00:00|Z)?/g;

export async function runSession(steps: Step[], send: Send, base: string): Promise<Exchange[]> {
  const vars: Record<string, string> = {};
  const fill = (text: string) => text.replace(/\{\{(\w+)\}\}/g, (_m, name: string) => vars[name] ?? `{{${name}}}`);
  const exchanges: Exchange[] = [];
  for (const step of steps) {
    const headers: Record<string, string> = {};
    const version = step.version === undefined ? '1.32' : step.version;
    if (version !== null) headers['X-OpenStack-Ironic-API-Version'] = version;
    for (const [name, value] of Object.entries(step.headers ?? {})) headers[name] = fill(value);
    let body: string | undefined;
    if (step.raw) {
      headers['Content-Type'] = step.raw.contentType;
      body = fill(step.raw.text);
    } else if (step.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = fill(JSON.stringify(step.body));
    }
    const res = await send(step.method, fill(step.path), headers, body);
    if (step.method === 'PUT' && res.status === 202) await settle(send, fill(step.path).replace(/\/(power|provision)$/, ''));
    let json: unknown = null;
    try {
      json = res.text ? JSON.parse(res.text) : null;
    } catch {
      json = res.text;
    }
    for (const [name, key] of Object.entries(step.capture ?? {})) {
      vars[name] = String((json as Record<string, unknown>)[key]);
    }
    const normalise = (value: unknown) => normaliseValue(value, vars, base);
    let error: unknown = null;
    if (res.status >= 400 && json && typeof json === 'object' && 'error_message' in json) {
      error = normalise(JSON.parse((json as { error_message: string }).error_message));
    }
    exchanges.push({
      name: step.name,
      method: step.method,
      path: step.path,
      status: res.status,
      location: res.headers.location ? (normalise(res.headers.location) as string) : null,
      version: res.headers['x-openstack-ironic-api-version'] ?? null,
      body: error ? null : normalise(json),
      error,
    });
  }
  return exchanges;
}

export function normaliseValue(value: unknown, vars: Record<string, string>, base: string): unknown {
  const names = new Map(Object.entries(vars).map(([k, v]) => [v, `{{${k}}}`]));
  const text = JSON.stringify(value ?? null)
    .split(base)
    .join('<base>')
    .replace(UUID, (u) => names.get(u) ?? '<uuid>')
    .replace(TIME, '<time>');
  return JSON.parse(text);
}

/** Waits until a node's power and provision actions are done (Ironic applies them asynchronously). */
async function settle(send: Send, statesPath: string): Promise<void> {
  for (let i = 0; i < 50; i++) {
    const res = await send('GET', statesPath, { 'X-OpenStack-Ironic-API-Version': '1.32' });
    const states = JSON.parse(res.text) as { target_power_state: unknown; target_provision_state: unknown };
    if (states.target_power_state === null && states.target_provision_state === null) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Sends the session's requests to a server over HTTP. */
export function httpSend(base: string): Send {
  return async (method, path, headers, body) => {
    const res = await fetch(`${base}${path}`, { method, headers, body });
    return { status: res.status, headers: Object.fromEntries(res.headers), text: await res.text() };
  };
}

/** Replays the steps against the server at base and answers the normalised exchanges. */
export function replay(steps: Step[], base: string): Promise<Exchange[]> {
  return runSession(steps, httpSend(base), base);
}
