import { ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { alternateRounds, cpuWithRange, mergeRounds, Result } from './measure';
import { Options, ROOT, VERSION } from './options';
import { assert, Scenario, scenarios } from './scenarios';
import { seed } from './seed';
import { emptyDatabase, freePort, startIronvol } from './server';

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

/**
 * Show against the ceilings of bare http and bare Express answering show's own
 * body, at each connection count, in --rounds rounds alternating the three
 * servers. The share that counts is per server core (requests per CPU
 * second, the median of the rounds): it does not depend on how busy the
 * machine's other core is, and the median not on a round that ran beside a
 * burst of other work.
 */
export async function ceiling(o: Options): Promise<void> {
  const own = await startIronvol(await emptyDatabase(o.database, 'ceiling'));
  const seeded = await seed(own.url, o);
  const show = scenarios(seeded).find((s) => s.name === 'show')!;
  const shown = await fetch(`${own.url}/v1/volume/connectors/${seeded.connectors[0]}`, { headers: VERSION });
  const body = await shown.text();
  const fixed: Scenario = {
    name: 'show',
    request: show.request,
    check: (status, answer) => assert(status === 200 && answer.uuid === seeded.connectors[0], 'the fixed show body'),
  };
  const servers: Array<{ name: string; url: string; pid: number; scenario: Scenario; child: ChildProcess }> = [];
  for (const name of CEILING_SERVERS) {
    const port = await freePort();
    const child = await startCeilingServer(name, body, port);
    servers.push({ name, url: `http://127.0.0.1:${port}`, pid: child.pid!, scenario: fixed, child });
  }
  servers.push({ name: 'ironvol', url: own.url, pid: own.child.pid!, scenario: show, child: own.child });
  const results: Result[] = [];
  for (const connections of o.connections) results.push(...(await alternateRounds(servers, connections, o)));
  const merged = mergeRounds(results);
  const lines = [
    '| server | conns | req/s | p99 ms | server CPU µs/req (rounds\' range) | req/s per server core | share of bare http (per core) | share of bare http (req/s) |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const r of merged) {
    const bare = merged.find((b) => b.server === 'bare http' && b.connections === r.connections)!;
    const perCore = (x: Result) => 1e6 / x.cpuUsPerRequest!;
    const share = (a: number, b: number) => `${((100 * a) / b).toFixed(1)} %`;
    lines.push(
      `| ${r.server} | ${r.connections} | ${r.rps} | ${r.p99} | ${cpuWithRange(r)} | ${Math.round(perCore(r))} | ${share(perCore(r), perCore(bare))} | ${share(r.rps, bare.rps)} |`,
    );
  }
  process.stdout.write(`\n${lines.join('\n')}\n`);
  if (o.out) writeFileSync(o.out, `${JSON.stringify({ options: o, results: merged }, null, 2)}\n`);
  for (const server of servers) server.child.kill('SIGTERM');
}
