#!/usr/bin/env node
/**
 * Data-driven parity session: replays the steps of a session file against a
 * server and records its answers, normalised so that real Ironic's and
 * ironvol's answers can be diffed.
 *
 *   node test/parity/record.mjs http://127.0.0.1:6399 > /dev/null
 *   node test/parity/record.mjs BASE_URL [--steps FILE] [--out FILE|-]
 *
 * Defaults: --steps test/parity/session.v2.json,
 *           --out   test/fixtures/ironic/session.v2.json ("-" prints the JSON on stdout).
 * Progress goes to stdout (stderr with --out -). Exit code 1 when a step could
 * not be sent at all, a capture found nothing or a power action did not settle.
 * The session expects an EMPTY database (it creates node-a, node-b, node-c and
 * deletes everything it created at the end, so it can run again on the same server).
 *
 * Dependency-free (Node >= 20, global fetch). The runner is exported for a Jest
 * test; Jest (CommonJS) cannot import an .mjs file without
 * --experimental-vm-modules, so a CJS test can run `node record.mjs BASE --out -`
 * with an asynchronous child_process.execFile and parse stdout instead.
 *
 * Step format (one object per request, in order):
 *   name       unique label
 *   method     GET | POST | PATCH | PUT | DELETE
 *   path       "/v1/..." ({{VAR}} placeholders are substituted)
 *   version    "1.32" | "latest" | "1.31" | ... ; null sends no version header;
 *              omitted means "1.32" (DEFAULT_VERSION)
 *   body       JSON value sent as application/json ({{VAR}} substituted in strings)
 *   rawBody    string sent as is (Content-Type application/json unless headers say otherwise)
 *   headers    extra request headers ({{VAR}} substituted)
 *   capture    {"VAR": "body.uuid"}: dotted path into {status, headers, body} of the answer
 *   waitPower  "{{NODE}}": after the request, poll GET /v1/nodes/NODE/states until
 *              target_power_state is null (Ironic applies power actions asynchronously)
 *
 * Recorded exchange (one per step):
 *   {name, method, path (the template, with {{VAR}}), version (requested), requestHeaders?
 *    (the step's extra headers), requestBody (template body, rawBody string or null), status,
 *    headers: {location, content-type, x-openstack-ironic-api-minimum-version,
 *              x-openstack-ironic-api-maximum-version, x-openstack-ironic-api-version
 *              (null when absent), has_request_id},
 *    body (parsed JSON, the raw text if not JSON, null if empty),
 *    error? (status >= 400: the decoded inner JSON of error_message)}
 */
import { readFileSync, writeFileSync, realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const DEFAULT_VERSION = '1.32';
export const VERSION_HEADER = 'X-OpenStack-Ironic-API-Version';
export const KEPT_HEADERS = [
  'location',
  'content-type',
  'x-openstack-ironic-api-minimum-version',
  'x-openstack-ironic-api-maximum-version',
  'x-openstack-ironic-api-version',
];
export const DEFAULT_STEPS = fileURLToPath(new URL('./session.v2.json', import.meta.url));
export const DEFAULT_OUT = fileURLToPath(new URL('../fixtures/ironic/session.v2.json', import.meta.url));

const UUID_RE = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const TIMESTAMP_RE = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?/g;
const PLACEHOLDER_RE = /\{\{(\w+)\}\}/g;

/**
 * Host-specific tokens that are neither uuids, timestamps nor the base URL:
 * Ironic reports its conductor host name (start.sh names it "ironic-ref-PORT")
 * in `reservation` (while it holds the node lock) and `conductor` (1.49+).
 */
export const DEFAULT_REPLACEMENTS = [[/\bironic-ref-\d+\b/g, '<conductor>']];

/** Replaces {{VAR}} in every string of a JSON value (unknown variables stay as they are). */
export function substitute(value, vars) {
  if (typeof value === 'string') {
    return value.replace(PLACEHOLDER_RE, (m, name) => (Object.hasOwn(vars, name) ? String(vars[name]) : m));
  }
  if (Array.isArray(value)) return value.map((v) => substitute(v, vars));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, vars)]));
  }
  return value;
}

/** The value at a dotted path ("body.uuid", "headers.location", "body.connectors.0.uuid"). */
export function pick(object, dotted) {
  let cur = object;
  for (const key of dotted.split('.')) {
    if (cur === null || cur === undefined) return undefined;
    cur = cur[key];
  }
  return cur;
}

/** Every uuid written literally in the steps: they are inputs, stable across runs, kept verbatim. */
export function literalUuids(steps) {
  const text = JSON.stringify(
    steps.map((s) => [s.path, s.body, s.rawBody, s.headers]),
  );
  return new Set((text.match(UUID_RE) ?? []).map((u) => u.toLowerCase()));
}

/**
 * Normalises a JSON value for stable diffs:
 *   - the base URL (e.g. http://127.0.0.1:6399) -> "http://<host>"
 *   - a uuid that came from a capture -> "{{VAR}}"; a uuid written literally in the
 *     session -> itself; any other uuid -> "<uuid>"
 *   - ISO-8601 timestamps -> "<timestamp>"
 *   - `replacements` ([regex, string] pairs, default DEFAULT_REPLACEMENTS)
 * Applies to every string (not object keys), including strings inside strings
 * such as the error_message envelope.
 *
 * ctx: { baseUrl, vars: {VAR: value}, keepUuids?: Set<string>, replacements? }
 */
export function normalize(value, ctx) {
  const byUuid = new Map();
  for (const [name, v] of Object.entries(ctx.vars ?? {})) {
    if (typeof v === 'string' && new RegExp(`^${UUID_RE.source}$`, 'i').test(v)) {
      if (!byUuid.has(v.toLowerCase())) byUuid.set(v.toLowerCase(), `{{${name}}}`);
    }
  }
  const keep = ctx.keepUuids ?? new Set();
  const base = (ctx.baseUrl ?? '').replace(/\/+$/, '');
  const replacements = ctx.replacements ?? DEFAULT_REPLACEMENTS;
  const fix = (s) => {
    let out = base ? s.split(base).join('http://<host>') : s;
    out = out.replace(UUID_RE, (u) => byUuid.get(u.toLowerCase()) ?? (keep.has(u.toLowerCase()) ? u : '<uuid>'));
    out = out.replace(TIMESTAMP_RE, '<timestamp>');
    for (const [re, to] of replacements) out = out.replace(re, to);
    return out;
  };
  const walk = (v) => {
    if (typeof v === 'string') return fix(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(value);
}

/** Turns raw exchanges (from executeSession) into the recorded, normalised form. */
export function normalizeExchanges(raw, ctx) {
  return raw.map((x) => normalizeExchange(x, ctx));
}

export function normalizeExchange(x, ctx) {
  const n = (v) => normalize(v, ctx);
  const headers = {};
  for (const h of KEPT_HEADERS) headers[h] = x.responseHeaders[h] === undefined ? null : n(x.responseHeaders[h]);
  headers.has_request_id = x.responseHeaders['openstack-request-id'] !== undefined;
  const out = {
    name: x.step.name,
    method: x.step.method,
    path: x.step.path,
    version: x.step.version === undefined ? DEFAULT_VERSION : x.step.version,
  };
  if (x.step.headers) out.requestHeaders = x.step.headers;
  out.requestBody = x.step.rawBody !== undefined ? x.step.rawBody : x.step.body === undefined ? null : x.step.body;
  out.status = x.status;
  out.headers = headers;
  out.body = n(x.body);
  if (x.status >= 400) out.error = n(decodeError(x.body));
  return out;
}

/** The inner document of Ironic's error envelope {"error_message": "<json>"}; the raw string if not JSON; null if absent. */
export function decodeError(body) {
  if (!body || typeof body !== 'object' || typeof body.error_message !== 'string') return null;
  try {
    return JSON.parse(body.error_message);
  } catch {
    return body.error_message;
  }
}

function parseBody(text) {
  if (text === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Builds the request of a step with the current variables. */
export function buildRequest(baseUrl, step, vars) {
  const headers = {};
  const version = step.version === undefined ? DEFAULT_VERSION : step.version;
  if (version !== null) headers[VERSION_HEADER] = version;
  let body;
  if (step.rawBody !== undefined) {
    body = substitute(step.rawBody, vars);
    headers['Content-Type'] = 'application/json';
  } else if (step.body !== undefined) {
    body = JSON.stringify(substitute(step.body, vars));
    headers['Content-Type'] = 'application/json';
  }
  for (const [k, v] of Object.entries(step.headers ?? {})) {
    for (const existing of Object.keys(headers)) {
      if (existing.toLowerCase() === k.toLowerCase()) delete headers[existing];
    }
    headers[k] = substitute(v, vars);
  }
  const url = `${baseUrl.replace(/\/+$/, '')}${substitute(step.path, vars)}`;
  return { url, init: { method: step.method, headers, body, redirect: 'manual' } };
}

async function waitPower(baseUrl, node, fetchImpl, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    const res = await fetchImpl(`${baseUrl.replace(/\/+$/, '')}/v1/nodes/${node}/states`, {
      headers: { [VERSION_HEADER]: DEFAULT_VERSION },
    });
    const text = await res.text();
    last = `${res.status} ${text.slice(0, 200)}`;
    if (res.ok) {
      const states = parseBody(text);
      if (states && typeof states === 'object' && states.target_power_state === null) return null;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return `power action on ${node} did not settle within ${timeoutMs} ms (last: ${last})`;
}

/**
 * Runs the steps in order and returns the raw exchanges plus the captured variables:
 *   { exchanges: [{step, status, responseHeaders (lower-case names), text, body}], vars, problems }
 * options: { fetch (default global fetch), powerTimeoutMs (15000), onStep(index, exchange) }
 */
export async function executeSession(baseUrl, steps, options = {}) {
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const powerTimeoutMs = options.powerTimeoutMs ?? 15000;
  const vars = {};
  const problems = [];
  const exchanges = [];
  for (const [i, step] of steps.entries()) {
    const { url, init } = buildRequest(baseUrl, step, vars);
    let res;
    try {
      res = await fetchImpl(url, init);
    } catch (error) {
      problems.push(`step ${i + 1} "${step.name}": request failed: ${error.message}`);
      const x = { step, status: 0, responseHeaders: {}, text: '', body: null };
      exchanges.push(x);
      options.onStep?.(i, x);
      continue;
    }
    const text = await res.text();
    const responseHeaders = {};
    res.headers.forEach((v, k) => {
      responseHeaders[k.toLowerCase()] = v;
    });
    const x = { step, status: res.status, responseHeaders, text, body: parseBody(text) };
    exchanges.push(x);
    for (const [name, dotted] of Object.entries(step.capture ?? {})) {
      const value = pick({ status: x.status, headers: responseHeaders, body: x.body }, dotted);
      if (value === undefined || value === null) {
        problems.push(`step ${i + 1} "${step.name}": capture ${name} <- ${dotted} found nothing (status ${x.status})`);
      } else {
        vars[name] = String(value);
      }
    }
    if (step.waitPower && res.status === 202) {
      const problem = await waitPower(baseUrl, substitute(step.waitPower, vars), fetchImpl, powerTimeoutMs);
      if (problem) problems.push(`step ${i + 1} "${step.name}": ${problem}`);
    }
    options.onStep?.(i, x);
  }
  return { exchanges, vars, problems };
}

/**
 * Runs the session against baseUrl and returns the normalised exchanges
 * (the form stored in test/fixtures/ironic/). `problems` (failed requests,
 * empty captures, unsettled power actions) are attached as a non-enumerable
 * property of the returned array.
 */
export async function runSession(baseUrl, steps, options = {}) {
  const { exchanges, vars, problems } = await executeSession(baseUrl, steps, options);
  const result = normalizeExchanges(exchanges, {
    baseUrl,
    vars,
    keepUuids: literalUuids(steps),
    replacements: options.replacements,
  });
  Object.defineProperty(result, 'problems', { value: problems, enumerable: false });
  return result;
}

export function loadSteps(file = DEFAULT_STEPS) {
  const steps = JSON.parse(readFileSync(file, 'utf8'));
  if (!Array.isArray(steps)) throw new Error(`${file}: expected an array of steps`);
  const names = new Set();
  for (const [i, s] of steps.entries()) {
    if (!s.name || !s.method || !s.path) throw new Error(`${file}: step ${i + 1} needs name, method and path`);
    if (names.has(s.name)) throw new Error(`${file}: duplicate step name "${s.name}"`);
    names.add(s.name);
  }
  return steps;
}

async function main(argv) {
  const args = [...argv];
  let steps = DEFAULT_STEPS;
  let out = DEFAULT_OUT;
  const positional = [];
  while (args.length) {
    const a = args.shift();
    if (a === '--steps') steps = args.shift();
    else if (a === '--out') out = args.shift();
    else if (a === '-h' || a === '--help') {
      process.stdout.write('usage: node test/parity/record.mjs BASE_URL [--steps FILE] [--out FILE|-]\n');
      return 0;
    } else positional.push(a);
  }
  const baseUrl = positional[0];
  if (!baseUrl || !/^https?:\/\//.test(baseUrl)) {
    process.stderr.write('usage: node test/parity/record.mjs BASE_URL [--steps FILE] [--out FILE|-]\n');
    return 2;
  }
  const log = out === '-' ? process.stderr : process.stdout;
  const list = loadSteps(steps);
  const result = await runSession(baseUrl, list, {
    onStep: (i, x) => {
      log.write(`${String(i + 1).padStart(3)} ${x.status} ${x.step.method.padEnd(6)} ${x.step.path}  ${x.step.name}\n`);
    },
  });
  const json = `${JSON.stringify(result, null, 2)}\n`;
  if (out === '-') process.stdout.write(json);
  else {
    writeFileSync(out, json);
    log.write(`recorded ${result.length} exchanges to ${out}\n`);
  }
  for (const p of result.problems) process.stderr.write(`problem: ${p}\n`);
  return result.problems.length ? 1 : 0;
}

const invokedDirectly = (() => {
  try {
    return process.argv[1] && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
})();
if (invokedDirectly) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error) => {
      process.stderr.write(`${error.stack ?? error}\n`);
      process.exitCode = 1;
    },
  );
}
