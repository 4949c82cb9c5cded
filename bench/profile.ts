import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { load, LoadRequest } from './load';
import { Options } from './options';
import { scenarios, verify, wire } from './scenarios';
import { seed } from './seed';
import { emptyDatabase, startIronvol } from './server';

/** A V8 CPU profile as `node --cpu-prof` writes it. */
interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }>;
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/**
 * The layers of a request's path, in the order a request meets them. A
 * sample is charged to the layer of its innermost frame that belongs to one
 * (so Node's socket writes under res.json are Node's, and the JSON.stringify
 * Express calls is serialisation); a sample in none of them is "other".
 */
const LAYERS: Array<{ layer: string; matches: (url: string, fn: string) => boolean }> = [
  { layer: 'garbage collection', matches: (_url, fn) => fn === '(garbage collector)' },
  { layer: 'serialisation (JSON.stringify)', matches: (_url, fn) => fn === 'stringify' },
  { layer: 'ETag', matches: (url) => url.includes('/common/http/etag') },
  { layer: 'row mapping (view)', matches: (url) => /\/volume\/shared\/volume\.view|\/common\/http\/links|\/auth\/secrets/.test(url) },
  { layer: 'query (SQLite, repository)', matches: (url) => /better-sqlite3|\/common\/db\/|\.repository\.js|volume-change\.plan/.test(url) },
  { layer: 'request log (pino)', matches: (url) => /node_modules\/(pino|sonic-boom|thread-stream|fast-redact|quick-format)/.test(url) || url.includes('/observability/logger') },
  { layer: 'metrics (prom-client)', matches: (url) => url.includes('node_modules/prom-client') || url.includes('/observability/metrics') },
  { layer: 'request observer (timing, labels)', matches: (url) => url.includes('/observability/request-observer') },
  { layer: 'authentication and policy', matches: (url) => /\/dist\/src\/auth\//.test(url) },
  { layer: 'request id, microversion headers', matches: (url) => /\/common\/http\/api-headers|\/common\/microversion\//.test(url) },
  { layer: 'argument parsing', matches: (url) => /\/common\/(collection|validation)\/|args\.decorator|view-context/.test(url) },
  { layer: 'body reading', matches: (url) => url.includes('/common/http/json-body') },
  { layer: 'ironvol handlers (controller, service)', matches: (url) => /\/dist\/src\/(volume|node|boot)\//.test(url) },
  { layer: 'error filter', matches: (url) => url.includes('/common/errors/') },
  { layer: "Nest's pipeline (router, guards, params)", matches: (url) => url.includes('node_modules/@nestjs/') },
  { layer: 'helmet', matches: (url) => url.includes('node_modules/helmet') },
  { layer: 'Express (router, req/res helpers)', matches: (url) => /node_modules\/(express|router|finalhandler|send|path-to-regexp|parseurl|content-type|mime-types|qs|on-finished|depd|statuses|encodeurl|vary|proxy-addr|fresh|range-parser|type-is|accepts|negotiator|cookie|etag)\//.test(url) },
  { layer: "Node's HTTP server and sockets", matches: (url) => /^node:(internal\/)?(http|_http|net|stream|internal\/streams|internal\/stream_base|internal\/http)|node:_http/.test(url) || /^node:(internal\/)?(timers|async_hooks|process\/task_queues|events|internal\/process)/.test(url) },
];

export interface LayerCost {
  layer: string;
  /** Main-thread CPU per request, in microseconds. */
  us: number;
  share: number;
}

/** Where the samples of `[fromUs, toUs]` (the monotonic clock, µs) went, per request. */
export function layerCosts(profilePath: string, fromUs: number, toUs: number, requests: number): { layers: LayerCost[]; busyUs: number } {
  const profile = JSON.parse(readFileSync(profilePath, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const layerOfNode = new Map<number, string>();
  const layerOf = (id: number): string => {
    if (layerOfNode.has(id)) return layerOfNode.get(id)!;
    const { url, functionName } = byId.get(id)!.callFrame;
    const own = LAYERS.find((l) => l.matches(url, functionName))?.layer;
    const up = parent.get(id);
    const layer = own ?? (up !== undefined && byId.get(up)!.callFrame.functionName !== '(root)' ? layerOf(up) : 'other');
    layerOfNode.set(id, layer);
    return layer;
  };
  const spent = new Map<string, number>();
  let time = profile.startTime;
  let busy = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const delta = profile.timeDeltas[i];
    time += delta;
    if (time < fromUs || time > toUs) continue;
    const node = byId.get(profile.samples[i])!;
    if (node.callFrame.functionName === '(idle)') continue;
    const layer = layerOf(node.id);
    // A sample stands for the time since the one before it.
    spent.set(layer, (spent.get(layer) ?? 0) + delta);
    busy += delta;
  }
  const layers = [...spent.entries()]
    .map(([layer, us]) => ({ layer, us: us / requests, share: us / busy }))
    .sort((a, b) => b.us - a.us);
  return { layers, busyUs: busy / requests };
}

const COLOURS: Record<string, string> = {
  ironvol: '#e0803a',
  nest: '#d0463a',
  express: '#e8c547',
  node: '#7aa6d8',
  db: '#6cbf6c',
  log: '#b58ad8',
  other: '#c0c0c0',
};

function colourOf(url: string, fn: string): string {
  if (url.includes('/dist/src/')) return COLOURS.ironvol;
  if (url.includes('@nestjs')) return COLOURS.nest;
  if (/better-sqlite3/.test(url)) return COLOURS.db;
  if (/pino|prom-client|sonic-boom/.test(url)) return COLOURS.log;
  if (url.includes('node_modules')) return COLOURS.express;
  if (url.startsWith('node:') || fn.startsWith('(')) return COLOURS.node;
  return COLOURS.other;
}

const escapeXml = (text: string) => text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * A flame graph (SVG) of the samples in the window: one box per stack frame,
 * as wide as the time spent in it and below it, callers under their callees.
 * Idle time is left out. Colours: ironvol's code orange, Nest red, other
 * packages yellow, Node's internals blue, SQLite green, logging and metrics purple.
 */
export function flameGraph(profilePath: string, fromUs: number, toUs: number, title: string): string {
  const profile = JSON.parse(readFileSync(profilePath, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  let time = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    time += profile.timeDeltas[i];
    if (time < fromUs || time > toUs) continue;
    const id = profile.samples[i];
    if (byId.get(id)!.callFrame.functionName === '(idle)') continue;
    self.set(id, (self.get(id) ?? 0) + profile.timeDeltas[i]);
  }
  const total = new Map<number, number>();
  const inclusive = (id: number): number => {
    const n = byId.get(id)!;
    const sum = (self.get(id) ?? 0) + (n.children ?? []).reduce((a, c) => a + inclusive(c), 0);
    total.set(id, sum);
    return sum;
  };
  const root = profile.nodes[0].id;
  const all = inclusive(root);
  const width = 1600;
  const row = 17;
  const boxes: string[] = [];
  let depthMax = 0;
  const draw = (id: number, x: number, depth: number) => {
    const w = (total.get(id)! / all) * width;
    if (w < 0.3) return;
    depthMax = Math.max(depthMax, depth);
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    const name = functionName || '(anonymous)';
    const where = url ? ` ${url.replace(/^file:\/\/.*?\/(node_modules|dist)\//, '$1/')}:${lineNumber + 1}` : '';
    const label = `${name}${where} (${((100 * total.get(id)!) / all).toFixed(1)} %)`;
    boxes.push(
      `<g><title>${escapeXml(label)}</title><rect x="${x.toFixed(1)}" y="{y${depth}}" width="${w.toFixed(1)}" height="${row - 1}" fill="${colourOf(url, functionName)}"/>` +
        (w > 40 ? `<text x="${(x + 3).toFixed(1)}" y="{t${depth}}">${escapeXml(name.slice(0, Math.floor(w / 7)))}</text>` : '') +
        '</g>',
    );
    let childX = x;
    for (const c of byId.get(id)!.children ?? []) {
      draw(c, childX, depth + 1);
      childX += (total.get(c)! / all) * width;
    }
  };
  draw(root, 0, 0);
  const height = (depthMax + 1) * row + 30;
  const svg = boxes
    .join('\n')
    .replace(/\{y(\d+)\}/g, (_m, d) => String(height - (Number(d) + 1) * row))
    .replace(/\{t(\d+)\}/g, (_m, d) => String(height - (Number(d) + 1) * row + 12));
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="monospace" font-size="11">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="4" y="14" font-size="13">${escapeXml(title)}</text>`,
    svg,
    '</svg>',
    '',
  ].join('\n');
}

/** A read scenario (show unless --scenarios names another) under a CPU profile: the cost of each layer per request, and a flame graph. */
export async function profileScenario(o: Options, dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  for (const old of readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))) rmSync(join(dir, old));
  const own = await startIronvol(await emptyDatabase(o.database, 'profile'), ['--cpu-prof', '--cpu-prof-dir', dir, '--cpu-prof-interval', '250']);
  const seeded = await seed(own.url, o);
  const name = o.scenarios?.[0] ?? 'show';
  const scenario = scenarios(seeded).find((s) => s.name === name && s.request(0).method === 'GET');
  if (!scenario) throw new Error(`--profile measures a read scenario: ${name} is not one`);
  await verify(own.url, scenario);
  const connections = o.connections[0];
  let counter = 0;
  const next = (): LoadRequest => wire(scenario.request(counter++));
  await load(own.url, { connections, duration: o.warmup || 1, next });
  // The profile's clock is the monotonic one process.hrtime reads.
  const from = Number(process.hrtime.bigint() / 1000n);
  const result = await load(own.url, { connections, duration: o.duration, next });
  const to = Number(process.hrtime.bigint() / 1000n);
  const exited = new Promise((resolve) => own.child.once('exit', resolve));
  own.child.kill('SIGTERM');
  await exited;
  const file = join(dir, readdirSync(dir).find((f) => f.endsWith('.cpuprofile'))!);
  const { layers, busyUs } = layerCosts(file, from, to, result.total);
  const lines = [
    `${name}, ${connections} connections, ${o.duration} s: ${result.rps} req/s; main thread ${busyUs.toFixed(1)} µs per request`,
    '',
    '| layer | µs per request | share |',
    '|---|---|---|',
    ...layers.map((l) => `| ${l.layer} | ${l.us.toFixed(1)} | ${(100 * l.share).toFixed(1)} % |`),
  ];
  writeFileSync(join(dir, `${name}-layers.md`), `${lines.join('\n')}\n`);
  writeFileSync(join(dir, `${name}-flame.svg`), flameGraph(file, from, to, `ironvol ${name}, ${connections} connections: main thread, ${busyUs.toFixed(0)} µs per request`));
  process.stdout.write(`\n${lines.join('\n')}\n\nprofile: ${file}\nflame graph: ${join(dir, `${name}-flame.svg`)}\n`);
}
