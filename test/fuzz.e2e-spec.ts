import fc from 'fast-check';
import { createTestApp, TestApp } from './support/test-app';
import { createConnector, createNode, createTarget } from './support/fixtures';

const RUNS = Number(process.env.FUZZ_RUNS ?? 300);

/**
 * Throws random bodies, patches, query strings, paths and headers at every
 * endpoint. Nothing may answer 5xx or hang, and afterwards the database must
 * hold its invariants: unique keys, no item on a missing node, and nothing
 * stored by a refused request.
 */
describe('hostile input (property-based)', () => {
  let t: TestApp;
  let node: { uuid: string; name: string };
  let connector: string;
  let target: string;
  let tried = 0;

  beforeAll(async () => {
    t = await createTestApp('sqlite');
    node = await createNode(t, { power: 'power off' });
    connector = (await createConnector(t, node.uuid)).uuid;
    target = (await createTarget(t, node.uuid)).uuid;
  });
  afterAll(async () => {
    process.stdout.write(`fuzz: ${tried} hostile requests, ${t.serverErrors.length} answered 5xx\n`);
    expect(t.serverErrors).toEqual([]);
    expect(t.contractErrors).toEqual([]);
    await t.close();
  });

  const json = fc.jsonValue({ maxDepth: 4 });
  const weird = fc.oneof(
    fc.string(),
    fc.string({ unit: 'binary' }),
    fc.constantFrom('', ' ', '-1', '0', '1e309', 'NaN', 'null', 'true', '%00', '../..', '%2e%2e', '\u0000', '💥', 'a'.repeat(5000), "' OR 1=1 --", '{{7*7}}', '__proto__'),
  );
  const uuidish = fc.oneof(fc.uuid(), weird, fc.constantFrom('{{C}}', '{{T}}', '{{N}}', '{{NAME}}'));
  const fill = (text: string) =>
    text.replace('{{C}}', connector).replace('{{T}}', target).replace('{{N}}', node.uuid).replace('{{NAME}}', node.name);
  const path = fc.oneof(
    fc.constantFrom('/v1/volume/connectors', '/v1/volume/targets', '/v1/nodes', '/v1/volume', '/v1', '/'),
    uuidish.map((u) => `/v1/volume/connectors/${encodeURIComponent(fill(u))}`),
    uuidish.map((u) => `/v1/volume/targets/${encodeURIComponent(fill(u))}`),
    uuidish.map((u) => `/v1/nodes/${encodeURIComponent(fill(u))}`),
    uuidish.map((u) => `/v1/nodes/${encodeURIComponent(fill(u))}/volume/connectors`),
    uuidish.map((u) => `/v1/nodes/${encodeURIComponent(fill(u))}/states/power`),
    fc.array(weird, { maxLength: 4 }).map((parts) => `/v1/${parts.map(encodeURIComponent).join('/')}`),
  );
  const query = fc
    .dictionary(fc.constantFrom('limit', 'marker', 'sort_key', 'sort_dir', 'fields', 'detail', 'node', 'bogus'), weird, { maxKeys: 4 })
    .map((q) => new URLSearchParams(q).toString());
  const patchOp = fc.record(
    {
      op: fc.oneof(fc.constantFrom('add', 'replace', 'remove', 'test', 'move'), weird),
      path: fc.oneof(fc.constantFrom('/extra/a', '/extra', '/node_uuid', '/type', '/boot_index', '/properties/x', '/uuid', '/extra/__proto__/x'), weird),
      value: json,
    },
    { requiredKeys: [] },
  );
  const body = fc.oneof(
    json,
    fc.array(patchOp, { maxLength: 4 }),
    fc.record({ node_uuid: uuidish.map(fill), type: weird, connector_id: weird, extra: json }, { requiredKeys: [] }),
    fc.record({ node_uuid: uuidish.map(fill), volume_type: weird, boot_index: json, volume_id: weird, properties: json }, { requiredKeys: [] }),
    fc.record({ target: weird, timeout: json }, { requiredKeys: [] }),
  );
  const version = fc.oneof(fc.constant('1.32'), fc.constant('latest'), fc.constant(null), weird);

  it(`answers ${RUNS} random requests with no 5xx and no hang`, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'POST', 'PATCH', 'PUT', 'DELETE'), path, query, body, version, fc.boolean(),
        async (method, p, q, b, v, raw) => {
          tried++;
          const url = q ? `${p}?${q}` : p;
          const options = raw
            ? { raw: typeof b === 'string' ? b : JSON.stringify(b).slice(0, -1), headers: { 'Content-Type': 'application/json' } }
            : { body: b };
          const res = await t.call(method, url, { ...options, version: typeof v === 'string' ? v.replace(/[^\x20-\x7e]/g, '').slice(0, 100) : v });
          expect(res.status).toBeLessThan(500);
          expect(res.status).toBeGreaterThanOrEqual(200);
        },
      ),
      { numRuns: RUNS, interruptAfterTimeLimit: 60000 },
    );
  }, 90000);

  it('keeps the database consistent afterwards', async () => {
    const orphans = await t.rows(
      'SELECT COUNT(*) AS n FROM volume_connectors c LEFT JOIN nodes n ON n.id = c.node_id WHERE n.id IS NULL',
    );
    expect(Number(orphans[0].n)).toBe(0);
    const targetOrphans = await t.rows('SELECT COUNT(*) AS n FROM volume_targets x LEFT JOIN nodes n ON n.id = x.node_id WHERE n.id IS NULL');
    expect(Number(targetOrphans[0].n)).toBe(0);
    const dupes = await t.rows('SELECT type, connector_id, COUNT(*) AS n FROM volume_connectors GROUP BY type, connector_id HAVING COUNT(*) > 1');
    expect(dupes).toEqual([]);
    for (const row of await t.rows('SELECT extra FROM volume_connectors')) expect(() => JSON.parse(row.extra as string)).not.toThrow();
    const [{ n }] = await t.rows('SELECT COUNT(*) AS n FROM volume_targets WHERE boot_index > 2147483647 OR boot_index < -2147483648');
    expect(Number(n)).toBe(0);
  });
});
