import { ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');

/**
 * Server CPU time (user + system, seconds) a process has used so far, from
 * /proc/<pid>/stat. Dividing the CPU a run cost by the requests it answered
 * gives a per-request cost that holds on a busy machine, where req/s alone
 * drifts with whatever else the cores are doing.
 */
export function cpuSeconds(pid: number): number {
  const ticksPerSecond = 100;
  return processTree(pid).reduce((sum, each) => {
    const fields = statOf(each);
    return fields ? sum + (Number(fields[11]) + Number(fields[12])) / ticksPerSecond : sum;
  }, 0);
}

/** The fields of /proc/<pid>/stat after the command name (which may hold spaces and parentheses), or null once it is gone. */
function statOf(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/** A process and its descendants (a WORKERS primary and its workers), from the parent pids in /proc. */
export function processTree(pid: number): number[] {
  const parents = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const fields = statOf(Number(entry));
    if (!fields) continue;
    const parent = Number(fields[1]);
    parents.set(parent, [...(parents.get(parent) ?? []), Number(entry)]);
  }
  const tree: number[] = [];
  const walk = (p: number) => {
    tree.push(p);
    for (const child of parents.get(p) ?? []) walk(child);
  };
  walk(pid);
  return tree;
}

/** Headers ironvol writes on every /v1 answer besides helmet's, so the ceilings send as many bytes. */
const API_HEADERS = `{
  'Openstack-Request-Id': 'req-00000000-0000-4000-8000-000000000000',
  'X-OpenStack-Ironic-API-Minimum-Version': '1.1',
  'X-OpenStack-Ironic-API-Maximum-Version': '1.99',
  'X-OpenStack-Ironic-API-Version': '1.32',
}`;

/**
 * The ceilings ironvol's show is measured against, each answering every
 * request with the same body ironvol answers:
 * - bare http: Node's own server, nothing else; what this machine can do.
 * - bare express: Express with the middleware ironvol puts in front of its
 *   routes (helmet with the same policy, the ".json" rewrite) and one route;
 *   what the web framework the stack prescribes costs before any of ironvol's code.
 */
const PROGRAMS: Record<string, (body: string, port: number) => string> = {
  'bare http': (body, port) => `
    const body = ${JSON.stringify(body)};
    const headers = ${API_HEADERS};
    require('node:http').createServer((req, res) => {
      for (const name in headers) res.setHeader(name, headers[name]);
      res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
      res.end(body);
    }).listen(${port}, '127.0.0.1', () => process.send('ready'));`,
  'bare express': (body, port) => `
    const express = require('express');
    const helmet = require('helmet').default;
    const body = JSON.parse(${JSON.stringify(body)});
    const headers = ${API_HEADERS};
    const app = express();
    app.disable('x-powered-by');
    app.set('etag', false);
    app.use(helmet({
      contentSecurityPolicy: { useDefaults: false, directives: {
        defaultSrc: ["'self'"], scriptSrc: ["'self'"], styleSrc: ["'self'", "'unsafe-inline'"], imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"], objectSrc: ["'none'"], frameAncestors: ["'none'"], baseUri: ["'self'"], formAction: ["'self'"] } },
      crossOriginResourcePolicy: { policy: 'same-site' },
      hsts: false,
    }));
    app.use((req, res, next) => {
      const at = req.url.indexOf('?');
      const path = at < 0 ? req.url : req.url.slice(0, at);
      if (path.startsWith('/v1/') && path.endsWith('.json')) req.url = path.slice(0, -5) + (at < 0 ? '' : req.url.slice(at));
      next();
    });
    app.get('/v1/volume/connectors/:uuid', (req, res) => {
      for (const name in headers) res.setHeader(name, headers[name]);
      res.json(body);
    });
    app.listen(${port}, '127.0.0.1', () => process.send('ready'));`,
};

export const CEILING_SERVERS = Object.keys(PROGRAMS);

/** Starts one ceiling server as its own process (as the service runs), ready to answer. */
export async function startCeilingServer(name: string, body: string, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['-e', PROGRAMS[name](body, port)], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code} before it was ready`)));
  });
  return child;
}
