import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { DataSource } from 'typeorm';
import { parseDatabaseUrl } from '../src/config/config';
import { serviceDataSourceOptions } from '../src/database';
import { installPowerWitness, powerViolations, removePowerWitness } from './support/power-witness';
import { PrivatePostgres, privatePostgresAvailable } from './support/private-postgres';
import { ensureBuilt, ServiceProcess, startService } from './support/service-process';

if (process.env.REQUIRE_FAULTS && !privatePostgresAvailable()) {
  throw new Error('REQUIRE_FAULTS is set but there are no PostgreSQL server binaries (apt-get install postgresql)');
}

/** How long each load phase lasts; the whole suite stays under a minute or two. */
const PHASE_MS = Number(process.env.FAULT_PHASE_MS ?? 1500);
const SCALE_SECONDS = Number(process.env.SCALE_SECONDS ?? 8);

interface Outcome {
  op: string;
  key?: string;
  status: number | 'error';
  ms: number;
  phase: string;
  body: string;
  /** When the request was sent and answered (ms since the epoch). */
  started?: number;
  ended?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One HTTP call; a network error or a hang (10 s) is an 'error' outcome, never an exception. */
async function call(url: string, method: string, path: string, body?: unknown): Promise<{ status: number | 'error'; text: string; ms: number }> {
  const started = Date.now();
  try {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: { 'X-OpenStack-Ironic-API-Version': '1.32', ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(10000),
    });
    return { status: res.status, text: await res.text(), ms: Date.now() - started };
  } catch (error) {
    return { status: 'error', text: String(error), ms: Date.now() - started };
  }
}

async function json(url: string, method: string, path: string, body?: unknown) {
  const res = await call(url, method, path, body);
  if (typeof res.status !== 'number' || res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${res.text}`);
  return res.text ? JSON.parse(res.text) : null;
}

/** Runs `workers` loops of `step` until `running()` turns false; collects every outcome. */
async function load(workers: number, running: () => boolean, step: (worker: number, i: number) => Promise<Outcome | null>) {
  const outcomes: Outcome[] = [];
  await Promise.all(
    Array.from({ length: workers }, async (_, worker) => {
      for (let i = 0; running(); i++) {
        const outcome = await step(worker, i);
        if (outcome) outcomes.push(outcome);
      }
    }),
  );
  return outcomes;
}

async function poweredOffNode(url: string, name: string): Promise<string> {
  const node = await json(url, 'POST', '/v1/nodes', { driver: 'fake-hardware', name });
  await json(url, 'PUT', `/v1/nodes/${node.uuid}/states/power`, { target: 'power off' });
  return node.uuid;
}

async function storedConnectorIds(url: string): Promise<Set<string>> {
  const db = await new DataSource(serviceDataSourceOptions(parseDatabaseUrl(url))).initialize();
  try {
    return new Set((await db.query('SELECT connector_id FROM volume_connectors')).map((r: { connector_id: string }) => r.connector_id));
  } finally {
    await db.destroy();
  }
}

(privatePostgresAvailable() ? describe : describe.skip)('faults and scale-out (a private PostgreSQL)', () => {
  let pg: PrivatePostgres;

  beforeAll(async () => {
    ensureBuilt();
    pg = await PrivatePostgres.create();
  }, 120000);

  afterAll(async () => {
    await pg?.destroy();
  });

  it('answers 503 fast while PostgreSQL is stopped, recovers by itself, and loses no acknowledged write', async () => {
    const service = await startService({ DATABASE_URL: pg.url });
    try {
      const node = await poweredOffNode(service.url, `fault-${Date.now()}`);
      let phase = 'before';
      let running = true;
      const loading = load(6, () => running, async (worker, i) => {
        const at = phase;
        const started = Date.now();
        if (i % 3 === 0) {
          const key = `iqn.fault:${worker}:${i}`;
          const res = await call(service.url, 'POST', '/v1/volume/connectors', { node_uuid: node, type: 'iqn', connector_id: key });
          return { op: 'create', key, status: res.status, ms: res.ms, phase: at, body: res.text, started, ended: Date.now() };
        }
        const res = await call(service.url, 'GET', i % 3 === 1 ? '/v1/volume/connectors?limit=20&detail=True' : `/v1/nodes/${node}/volume/connectors`);
        return { op: 'read', status: res.status, ms: res.ms, phase: at, body: res.text, started, ended: Date.now() };
      });

      await sleep(PHASE_MS);
      // Requests sent while the shutdown is under way may still succeed, and so may requests
      // still in flight when the restart begins; those sent and answered in between may not.
      phase = 'stopping';
      await pg.stop();
      phase = 'down';
      const downFrom = Date.now();
      await sleep(PHASE_MS);
      const readiness = await call(service.url, 'GET', '/readyz');
      phase = 'recovering';
      const restarted = Date.now();
      await pg.start();
      let recoveredMs = -1;
      while (Date.now() - restarted < 30000) {
        if ((await call(service.url, 'GET', '/readyz')).status === 200) {
          recoveredMs = Date.now() - restarted;
          break;
        }
        await sleep(50);
      }
      phase = 'after';
      await sleep(PHASE_MS);
      running = false;
      const outcomes = await loading;

      const down = outcomes.filter((o) => o.started! >= downFrom && o.ended! <= restarted);
      const refused = outcomes.filter((o) => o.status === 503);
      const acked = outcomes.filter((o) => o.op === 'create' && o.status === 201).map((o) => o.key!);
      const refusedCreates = refused.filter((o) => o.op === 'create').map((o) => o.key!);
      const stored = await storedConnectorIds(pg.url);
      const lost = acked.filter((key) => !stored.has(key));
      const phantom = refusedCreates.filter((key) => stored.has(key));
      process.stdout.write(
        `PostgreSQL stopped under load: ${outcomes.length} requests, ${refused.length} answered 503 ` +
          `(slowest ${Math.max(0, ...refused.map((o) => o.ms))} ms), ${acked.length} writes acknowledged, ${lost.length} lost, ` +
          `${phantom.length} refused but stored, ready again ${recoveredMs} ms after the restart\n`,
      );

      expect(readiness.status).toBe(503);
      expect(recoveredMs).toBeGreaterThanOrEqual(0);
      expect(outcomes.filter((o) => o.status === 'error').map((o) => `${o.phase} ${o.op} ${o.ms} ms ${o.body}`)).toEqual([]);
      expect([...new Set(outcomes.map((o) => o.status))].sort()).toEqual(expect.arrayContaining([200, 201, 503]));
      expect(outcomes.filter((o) => ![200, 201, 503].includes(o.status as number))).toEqual([]);
      expect(down.length).toBeGreaterThan(0);
      const brief = (o: Outcome) => `${o.phase} ${o.op} ${o.status} ${o.ms} ms ${o.body.slice(0, 200)}`;
      expect(down.filter((o) => o.status !== 503).map(brief)).toEqual([]);
      expect(refused.filter((o) => o.ms >= 2000).map(brief)).toEqual([]);
      for (const o of refused) {
        const inner = JSON.parse(JSON.parse(o.body).error_message);
        expect(inner).toEqual({ faultstring: 'The database is unavailable; please retry later.', faultcode: 'Server', debuginfo: null });
      }
      expect(outcomes.filter((o) => o.phase === 'after' && o.status !== 200 && o.status !== 201).map(brief)).toEqual([]);
      expect(lost).toEqual([]);
      expect(phantom).toEqual([]);
    } finally {
      await service.stop();
    }
  }, 120000);

  it('survives its database connections being killed mid-transaction, and answers 503 for the requests they carried', async () => {
    const service = await startService({ DATABASE_URL: pg.url });
    const db = await new DataSource(serviceDataSourceOptions(parseDatabaseUrl(pg.url))).initialize();
    try {
      const node = await poweredOffNode(service.url, `killed-${Date.now()}`);
      const connector = await json(service.url, 'POST', '/v1/volume/connectors', { node_uuid: node, type: 'iqn', connector_id: `iqn.killed:${Date.now()}` });
      let running = true;
      const loading = load(6, () => running, async (_worker, i) => {
        const res = await call(service.url, 'PATCH', `/v1/volume/connectors/${connector.uuid}`, [{ op: 'add', path: '/extra/i', value: i }]);
        return { op: 'patch', status: res.status, ms: res.ms, phase: 'load', body: res.text };
      });
      let killed = 0;
      const deadline = Date.now() + 2 * PHASE_MS;
      while (Date.now() < deadline) {
        const rows = await db.query(
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'",
        );
        killed += rows.length;
        await sleep(5);
      }
      running = false;
      const outcomes = await loading;
      const statuses = outcomes.reduce<Record<string, number>>((acc, o) => ({ ...acc, [o.status]: (acc[o.status] ?? 0) + 1 }), {});
      process.stdout.write(`connections killed mid-load: ${killed} killed, outcomes ${JSON.stringify(statuses)}\n`);
      if (service.child.exitCode !== null) process.stdout.write(service.output().split('\n').filter((l) => !l.includes('"msg":"request"') && !l.includes('"audit"')).slice(-45).join('\n'));
      expect(killed).toBeGreaterThan(0);
      expect(outcomes.filter((o) => ![200, 409, 503].includes(o.status as number)).map((o) => `${o.status} ${o.body.slice(0, 200)}`)).toEqual([]);
      expect(service.child.exitCode).toBeNull();
      expect((await call(service.url, 'PATCH', `/v1/volume/connectors/${connector.uuid}`, [{ op: 'add', path: '/extra/after', value: true }])).status).toBe(200);
    } finally {
      await db.destroy();
      await service.stop();
    }
  }, 120000);

  it.each([['SQLite'], ['PostgreSQL']])('keeps every acknowledged write when killed with SIGKILL mid-writes (%s)', async (kind) => {
    const url = kind === 'SQLite' ? `sqlite:${join(mkdtempSync(join(tmpdir(), 'ironvol-kill-')), 'db.sqlite')}` : pg.url;
    let service: ServiceProcess = await startService({ DATABASE_URL: url });
    const node = await poweredOffNode(service.url, `kill-${kind}-${Date.now()}`);
    let running = true;
    const acked = new Map<string, { uuid: string; seq: number }>();
    const loading = load(4, () => running, async (worker, i) => {
      const key = `iqn.kill:${kind}:${worker}:${i}`;
      const created = await call(service.url, 'POST', '/v1/volume/connectors', { node_uuid: node, type: 'iqn', connector_id: key });
      if (created.status !== 201) return { op: 'create', key, status: created.status, ms: created.ms, phase: 'load', body: created.text };
      const entry = { uuid: JSON.parse(created.text).uuid as string, seq: 0 };
      acked.set(key, entry);
      for (let seq = 1; seq <= 3 && running; seq++) {
        const patched = await call(service.url, 'PATCH', `/v1/volume/connectors/${entry.uuid}`, [{ op: 'add', path: '/extra/seq', value: seq }]);
        if (patched.status !== 200) return { op: 'patch', key, status: patched.status, ms: patched.ms, phase: 'load', body: patched.text };
        entry.seq = seq;
      }
      return null;
    });
    await sleep(PHASE_MS);
    service.child.kill('SIGKILL');
    await service.stop();
    running = false;
    const interrupted = await loading;
    expect(interrupted.filter((o) => o.status !== 'error')).toEqual([]);

    service = await startService({ DATABASE_URL: url });
    try {
      let lost = 0;
      for (const [key, { uuid, seq }] of acked) {
        const res = await call(service.url, 'GET', `/v1/volume/connectors/${uuid}`);
        const body = res.status === 200 ? JSON.parse(res.text) : null;
        if (!body || body.connector_id !== key || (seq > 0 && !(body.extra.seq >= seq))) lost++;
      }
      process.stdout.write(`SIGKILL mid-writes (${kind}): ${acked.size} creates acknowledged before the kill, ${lost} lost\n`);
      expect(acked.size).toBeGreaterThan(0);
      expect(lost).toBe(0);
      const list = JSON.parse((await call(service.url, 'GET', `/v1/volume/connectors?node=${node}&limit=1000`)).text);
      expect(list.connectors.length).toBeGreaterThanOrEqual(acked.size);
    } finally {
      await service.stop();
    }
    if (kind === 'SQLite') {
      const file = new Database(url.slice('sqlite:'.length), { readonly: true });
      try {
        expect(file.pragma('integrity_check', { simple: true })).toBe('ok');
        expect(file.pragma('foreign_key_check')).toEqual([]);
      } finally {
        file.close();
      }
    }
  }, 120000);

  it(`keeps every invariant under a mixed load on three processes behind a round-robin (${SCALE_SECONDS} s)`, async () => {
    const services = [
      await startService({ DATABASE_URL: pg.url }),
      await startService({ DATABASE_URL: pg.url }),
      await startService({ DATABASE_URL: pg.url }),
    ];
    const db = await new DataSource(serviceDataSourceOptions(parseDatabaseUrl(pg.url))).initialize();
    try {
      await installPowerWitness(db);
      let next = 0;
      const pick = () => services[next++ % services.length].url;
      const nodes: string[] = [];
      for (let n = 0; n < 6; n++) nodes.push(await poweredOffNode(pick(), `scale-${Date.now()}-${n}`));
      const connectors: string[] = [];
      const targets: string[] = [];
      const contested = Array.from({ length: 20 }, (_, k) => `iqn.contested:${Date.now()}:${k}`);
      const any = <T>(list: T[]) => list[Math.floor(Math.random() * list.length)];
      const deadline = Date.now() + SCALE_SECONDS * 1000;
      const outcomes = await load(9, () => Date.now() < deadline, async (worker, i) => {
        const roll = Math.random();
        const url = pick();
        let op: string;
        let res: Awaited<ReturnType<typeof call>>;
        let key: string | undefined;
        if (roll < 0.15) {
          op = 'power';
          res = await call(url, 'PUT', `/v1/nodes/${any(nodes)}/states/power`, { target: Math.random() < 0.5 ? 'power on' : 'power off' });
        } else if (roll < 0.3) {
          op = 'create';
          res = await call(url, 'POST', '/v1/volume/connectors', { node_uuid: any(nodes), type: 'iqn', connector_id: `iqn.scale:${worker}:${i}` });
          if (res.status === 201) connectors.push(JSON.parse(res.text).uuid);
        } else if (roll < 0.38) {
          op = 'create-contested';
          key = any(contested);
          res = await call(url, 'POST', '/v1/volume/connectors', { node_uuid: any(nodes), type: 'iqn', connector_id: key });
        } else if (roll < 0.46) {
          op = 'create-target';
          res = await call(url, 'POST', '/v1/volume/targets', { node_uuid: any(nodes), volume_type: 'iscsi', boot_index: Math.floor(Math.random() * 4), volume_id: `v-${worker}-${i}` });
          if (res.status === 201) targets.push(JSON.parse(res.text).uuid);
        } else if (roll < 0.62 && connectors.length) {
          op = 'patch';
          const moves = Math.random() < 0.3;
          res = await call(url, 'PATCH', `/v1/volume/connectors/${any(connectors)}`, [
            moves ? { op: 'replace', path: '/node_uuid', value: any(nodes) } : { op: 'add', path: '/extra/i', value: i },
          ]);
        } else if (roll < 0.7 && targets.length) {
          op = 'patch-target';
          res = await call(url, 'PATCH', `/v1/volume/targets/${any(targets)}`, [{ op: 'add', path: '/properties/lun', value: i }]);
        } else if (roll < 0.8 && connectors.length) {
          op = 'delete';
          res = await call(url, 'DELETE', `/v1/volume/connectors/${any(connectors)}`);
        } else {
          op = 'read';
          res = await call(url, 'GET', Math.random() < 0.5 ? '/v1/volume/connectors?detail=True&limit=50' : `/v1/nodes/${any(nodes)}/volume/targets`);
        }
        return { op, key, status: res.status, ms: res.ms, phase: 'load', body: res.text };
      });

      const byOp: Record<string, Record<string, number>> = {};
      for (const o of outcomes) (byOp[o.op] ??= {})[o.status] = (byOp[o.op][o.status] ?? 0) + 1;
      const violations = await powerViolations(db);
      const contestedWins = contested.map((key) => outcomes.filter((o) => o.key === key && o.status === 201).length);
      const orphans = await db.query(
        `SELECT (SELECT COUNT(*) FROM volume_connectors c LEFT JOIN nodes n ON n.id = c.node_id WHERE n.id IS NULL)
              + (SELECT COUNT(*) FROM volume_targets t LEFT JOIN nodes n ON n.id = t.node_id WHERE n.id IS NULL) AS n`,
      );
      const duplicates = await db.query(
        `SELECT COUNT(*) AS n FROM (SELECT node_id, boot_index FROM volume_targets GROUP BY node_id, boot_index HAVING COUNT(*) > 1) d`,
      );
      process.stdout.write(
        `three processes, ${SCALE_SECONDS} s mixed load: ${outcomes.length} requests ${JSON.stringify(byOp)}, ` +
          `power violations ${violations.length}, contested creates won ${contestedWins.join('/')}\n`,
      );
      expect(outcomes.filter((o) => o.status === 'error' || o.status >= 500)).toEqual([]);
      expect(outcomes.filter((o) => ![200, 201, 202, 204, 400, 404, 409].includes(o.status as number))).toEqual([]);
      expect(violations).toEqual([]);
      expect(contestedWins.every((wins) => wins <= 1)).toBe(true);
      expect(Number(orphans[0].n)).toBe(0);
      expect(Number(duplicates[0].n)).toBe(0);
      // The load did reach both sides of the rule: changes refused on powered-on nodes, and changes made.
      expect(byOp.patch?.[400] ?? 0).toBeGreaterThan(0);
      expect(byOp.patch?.[200] ?? 0).toBeGreaterThan(0);
    } finally {
      await removePowerWitness(db);
      await db.destroy();
      for (const service of services) await service.stop();
    }
  }, 120000);
});
