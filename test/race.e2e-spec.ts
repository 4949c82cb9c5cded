import { DataSource } from 'typeorm';
import { parseDatabaseUrl } from '../src/config/config';
import { serviceDataSourceOptions } from '../src/database';
import { resetDatabase } from './support/test-app';
import { installPowerWitness, powerViolations, removePowerWitness } from './support/power-witness';
import { client, ensureBuilt, ServiceProcess, startService } from './support/service-process';

const POSTGRES = process.env.TEST_POSTGRES_URL;
const ROUNDS = Number(process.env.RACE_ROUNDS ?? 60);

/**
 * Two service processes on one PostgreSQL. A trigger (installed by the test
 * only) records every connector change that lands while its node's
 * committed power state is not "power off": with the node row locked for
 * the whole check-and-write, it must record nothing.
 */
(POSTGRES ? describe : describe.skip)('races across two processes on PostgreSQL', () => {
  let a: ServiceProcess;
  let b: ServiceProcess;
  let db: DataSource;

  beforeAll(async () => {
    ensureBuilt();
    await resetDatabase(POSTGRES!);
    a = await startService({ DATABASE_URL: POSTGRES! });
    b = await startService({ DATABASE_URL: POSTGRES! });
    db = await new DataSource(serviceDataSourceOptions(parseDatabaseUrl(POSTGRES!))).initialize();
    await installPowerWitness(db);
  }, 120000);

  afterAll(async () => {
    if (db) await removePowerWitness(db);
    await db?.destroy();
    await a?.stop();
    await b?.stop();
  });

  async function setUpRound(round: number) {
    const api = client(a.url);
    const node = await api('POST', '/v1/nodes', { driver: 'fake-hardware', name: `race-${round}-${Date.now()}` });
    await api('PUT', `/v1/nodes/${node.body.uuid}/states/power`, { target: 'power off' });
    const connector = await api('POST', '/v1/volume/connectors', { node_uuid: node.body.uuid, type: 'iqn', connector_id: `iqn.race:${round}:${Date.now()}` });
    return { node: node.body.uuid as string, connector: connector.body.uuid as string };
  }

  const jitter = () => new Promise((r) => setTimeout(r, Math.random() * 3));

  it.each([['PATCH'], ['DELETE']])(`never lets a %s land on a powered-on node (${ROUNDS} rounds)`, async (method) => {
    const outcomes: Record<string, number> = {};
    for (let round = 0; round < ROUNDS; round++) {
      const { node, connector } = await setUpRound(round);
      const [power, volume] = round % 2 ? [client(a.url), client(b.url)] : [client(b.url), client(a.url)];
      const [powerRes, change] = await Promise.all([
        (async () => {
          await jitter();
          return power('PUT', `/v1/nodes/${node}/states/power`, { target: 'power on' });
        })(),
        (async () => {
          await jitter();
          return method === 'PATCH'
            ? volume('PATCH', `/v1/volume/connectors/${connector}`, [{ op: 'add', path: '/extra/round', value: round }])
            : volume('DELETE', `/v1/volume/connectors/${connector}`);
        })(),
      ]);
      expect([202, 409]).toContain(powerRes.status);
      expect([200, 204, 400, 409]).toContain(change.status);
      outcomes[`${powerRes.status}/${change.status}`] = (outcomes[`${powerRes.status}/${change.status}`] ?? 0) + 1;
      const stored = await db.query('SELECT extra FROM volume_connectors WHERE uuid = $1', [connector]);
      if (change.status >= 400) {
        expect(stored).toHaveLength(1);
        expect(JSON.parse(stored[0].extra)).toEqual({});
      } else if (method === 'DELETE') {
        expect(stored).toHaveLength(0);
      } else {
        expect(JSON.parse(stored[0].extra)).toEqual({ round });
      }
    }
    const violations = await powerViolations(db);
    process.stdout.write(`race ${method}: ${ROUNDS} rounds, outcomes (power/change) ${JSON.stringify(outcomes)}, violations ${violations.length}\n`);
    expect(violations).toEqual([]);
  }, 120000);

  it('gives exactly one 201 to concurrent creates of the same connector', async () => {
    const node = await client(a.url)('POST', '/v1/nodes', { driver: 'fake-hardware', name: `dup-${Date.now()}` });
    for (let round = 0; round < 10; round++) {
      const body = { node_uuid: node.body.uuid, type: 'iqn', connector_id: `iqn.dup:${round}` };
      const results = await Promise.all(
        Array.from({ length: 16 }, (_, i) => client(i % 2 ? a.url : b.url)('POST', '/v1/volume/connectors', body)),
      );
      const statuses = results.map((r) => r.status).sort();
      expect(statuses.filter((s) => s === 201)).toHaveLength(1);
      expect(statuses.filter((s) => s === 409)).toHaveLength(15);
      const rows = await db.query('SELECT COUNT(*)::int AS n FROM volume_connectors WHERE connector_id = $1', [body.connector_id]);
      expect(rows[0].n).toBe(1);
    }
  }, 60000);

  it('gives exactly one 201 to concurrent creates of the same boot index', async () => {
    const node = await client(a.url)('POST', '/v1/nodes', { driver: 'fake-hardware', name: `dupt-${Date.now()}` });
    const results = await Promise.all(
      Array.from({ length: 16 }, (_, i) =>
        client(i % 2 ? a.url : b.url)('POST', '/v1/volume/targets', { node_uuid: node.body.uuid, volume_type: 'iscsi', boot_index: 0, volume_id: `v${i}` }),
      ),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409)).toHaveLength(15);
  }, 60000);
});
