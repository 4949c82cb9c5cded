import { testDatabases } from './support/databases';
import { bmcPowerConfig, FakeBmc, hasIpmi } from './support/fake-bmc';
import { createNode } from './support/fixtures';
import { createTestApp, fault, TestApp, useTestApp } from './support/test-app';

const V = { version: '1.78' };
const BOOLEANS = "acceptable values are: '0', '1', 'f', 'false', 'n', 'no', 'off', 'on', 't', 'true', 'y', 'yes'";

/**
 * Requests to a fake-hardware node's boot device and what Ironic 21.4 (the
 * reference) answers to each: [method, path below the node, body, status,
 * faultstring or body]. `{node}` is the node's name.
 */
const CASES: [string, string, string | undefined, number, unknown][] = [
  ['GET', '/management/boot_device', undefined, 200, { boot_device: 'pxe', persistent: false }],
  ['GET', '/management/boot_device/supported', undefined, 200, { supported_boot_devices: ['pxe'] }],
  ['GET', '/management/boot_device?x=1', undefined, 400, 'Unexpected arguments: x'],
  ['GET', '/management/boot_device/supported?x=1', undefined, 400, 'Unexpected arguments: x'],
  ['PUT', '/management/boot_device', '{"boot_device":"pxe"}', 204, null],
  ['PUT', '/management/boot_device', '{"boot_device":"pxe","persistent":true}', 204, null],
  ['PUT', '/management/boot_device', '{"boot_device":"pxe","persistent":"yes"}', 204, null],
  ['PUT', '/management/boot_device', '{"boot_device":"pxe","persistent":null}', 204, null],
  ['PUT', '/management/boot_device', '{"boot_device":"pxe","persistent":"0"}', 204, null],
  ['PUT', '/management/boot_device?boot_device=pxe', undefined, 204, null],
  ['PUT', '/management/boot_device/pxe', undefined, 204, null],
  ['PUT', '/management/boot_device/pxe/true', undefined, 204, null],
  ['PUT', '/management/boot_device/pxe', '{"persistent":true}', 204, null],
  ['PUT', '/management/boot_device', '{"boot_device":"disk"}', 400, 'Invalid boot device disk specified.'],
  ['PUT', '/management/boot_device', '{"boot_device":"PXE"}', 400, 'Invalid boot device PXE specified.'],
  ['PUT', '/management/boot_device', '{"boot_device":null}', 400, 'Invalid boot device None specified.'],
  ['PUT', '/management/boot_device/supported', undefined, 400, 'Invalid boot device supported specified.'],
  ['PUT', '/management/boot_device', '{}', 400, 'Missing mandatory parameter: boot_device'],
  ['PUT', '/management/boot_device', '[]', 400, 'Missing mandatory parameter: boot_device'],
  ['PUT', '/management/boot_device', '"pxe"', 400, 'Missing mandatory parameter: boot_device'],
  ['PUT', '/management/boot_device', '{"boot_device":5}', 400, 'Expected string for boot_device: 5'],
  ['PUT', '/management/boot_device', '{"boot_device":["pxe"]}', 400, "Expected string for boot_device: ['pxe']"],
  ['PUT', '/management/boot_device?boot_device=pxe', '{"boot_device":"disk"}', 400, "Expected string for boot_device: ['pxe', 'disk']"],
  ['PUT', '/management/boot_device', '{"boot_device":"pxe","x":1}', 400, 'Unexpected arguments: x'],
  ['PUT', '/management/boot_device', '{"x":1}', 400, 'Unexpected arguments: x'],
  ['PUT', '/management/boot_device', '{"__proto__":{"a":1},"boot_device":"pxe"}', 400, 'Unexpected arguments: __proto__'],
  ['PUT', '/management/boot_device', '{"boot_device":"pxe","persistent":"maybe"}', 400, `Invalid persistent: Unrecognized value 'maybe', ${BOOLEANS}`],
  ['PUT', '/management/boot_device', '{"boot_device":"pxe","persistent":1.5}', 400, `Invalid persistent: Unrecognized value '1.5', ${BOOLEANS}`],
  ['PUT', '/management/boot_device', '{"boot_device":"pxe","persistent":{}}', 400, `Invalid persistent: Unrecognized value '{}', ${BOOLEANS}`],
  ['PUT', '/management/boot_device?persistent=maybe', '{"boot_device":"pxe","persistent":true}', 400, `Invalid persistent: Unrecognized value '['maybe', True]', ${BOOLEANS}`],
  ['PUT', '/management/boot_device/pxe/b', undefined, 400, `Invalid persistent: Unrecognized value 'b', ${BOOLEANS}`],
  ['GET', '/management', undefined, 405, 'Method Not Allowed'],
  ['POST', '/management', undefined, 405, 'Method Not Allowed'],
  ['DELETE', '/management/boot_device', undefined, 405, 'Method Not Allowed'],
  ['PATCH', '/management/boot_device', undefined, 405, 'Method Not Allowed'],
  ['POST', '/management/boot_device', undefined, 405, 'Method Not Allowed'],
  ['POST', '/management/boot_device/supported', undefined, 405, 'Method Not Allowed'],
];

/** Requests naming a node that does not exist or cannot be one, in Ironic's order of checks. */
const BAD_NODES: [string, string, string | undefined, number, string][] = [
  ['GET', '/nodes/nope/management/boot_device', undefined, 404, 'Node nope could not be found.'],
  ['PUT', '/nodes/nope/management/boot_device', '{"boot_device":"bogus"}', 404, 'Node nope could not be found.'],
  ['PUT', '/nodes/nope/management/boot_device', '{"boot_device":5}', 400, 'Expected string for boot_device: 5'],
  ['PUT', '/nodes/nope/management/boot_device', '{"boot_device":"pxe","x":1}', 400, 'Unexpected arguments: x'],
  ['GET', '/nodes/a%20b/management/boot_device', undefined, 400, 'Expected UUID or name for node_ident: a b'],
  ['GET', '/nodes/a%20b/management/boot_device/supported', undefined, 400, 'Expected UUID or name for node_ident: a b'],
  ['PUT', '/nodes/a%20b/management/boot_device/pxe', undefined, 400, 'Expected UUID or name for node_ident: a b'],
  ['DELETE', '/nodes/a%20b/management/boot_device', undefined, 400, 'Expected UUID or name for node: a b'],
  ['GET', '/nodes/a%20b/management', undefined, 400, 'Expected UUID or name for node: a b'],
];

/** What a test reads of an answer: the status, then the body or the error's words. */
function outcome(res: { status: number; text: string; body: unknown }) {
  if (res.status < 300) return [res.status, res.text ? JSON.parse(res.text) : null];
  const inner = JSON.parse((res.body as { error_message: string }).error_message);
  return [res.status, inner.faultstring ?? (inner.description || inner.title)];
}

describe.each(testDatabases())("a node's boot device, as Ironic's management API (%s)", (_name, database) => {
  const t = useTestApp(database);

  it.each(CASES)('%s {node}%s %s answers %i as Ironic does', async (method, path, body, status, expected) => {
    const node = await createNode(t);
    const res = await t.call(method, `/v1/nodes/${node.name}${path}`, { ...V, ...(body === undefined ? {} : { raw: body, headers: { 'Content-Type': 'application/json' } }) });
    expect(outcome(res)).toEqual([status, expected]);
  });

  it.each(BAD_NODES)('%s %s %s answers %i as Ironic does', async (method, path, body, status, expected) => {
    const res = await t.call(method, `/v1${path}`, { ...V, ...(body === undefined ? {} : { raw: body, headers: { 'Content-Type': 'application/json' } }) });
    expect(outcome(res)).toEqual([status, expected]);
  });

  it('refuses a node another action holds (409 NodeLocked, naming the holder) and changes nothing', async () => {
    const node = await createNode(t);
    await t.rows('UPDATE nodes SET reservation = ?, reserved_at = ? WHERE uuid = ?', ['conductor-9', new Date().toISOString(), node.uuid]);
    for (const [method, body] of [['GET', undefined], ['PUT', { boot_device: 'pxe' }]] as const) {
      const res = await t.call(method, `/v1/nodes/${node.uuid}/management/boot_device`, { ...V, body });
      expect([res.status, fault(res).faultstring]).toEqual([409, `Node ${node.uuid} is locked by host conductor-9, please retry after the current operation is completed.`]);
    }
    // What a driver offers needs no lock.
    expect((await t.call('GET', `/v1/nodes/${node.uuid}/management/boot_device/supported`, V)).status).toBe(200);
    expect((await t.rows('SELECT reservation FROM nodes WHERE uuid = ?', [node.uuid]))[0].reservation).toBe('conductor-9');
  });
});

/** The same requests sent to the reference Ironic, when one runs: its answers must still be the table's. */
(process.env.IRONIC_URL ? describe : describe.skip)('the table of answers, checked against the reference Ironic', () => {
  const base = `${process.env.IRONIC_URL}/v1`;
  const headers = { 'X-OpenStack-Ironic-API-Version': '1.78', 'Content-Type': 'application/json' };
  const name = `bootdev-${process.pid}`;
  beforeAll(async () => {
    await fetch(`${base}/nodes`, { method: 'POST', headers, body: JSON.stringify({ name, driver: 'fake-hardware' }) });
  });
  afterAll(async () => {
    await fetch(`${base}/nodes/${name}`, { method: 'DELETE', headers });
  });

  it('answers every case as the table says', async () => {
    const seen = [];
    for (const [method, path, body, status, expected] of [...CASES.map(([m, p, b, s, e]) => [m, `/nodes/${name}${p}`, b, s, e] as const), ...BAD_NODES]) {
      const res = await fetch(`${base}${path}`, { method, headers, body });
      const text = await res.text();
      seen.push([method, path, body, ...outcome({ status: res.status, text, body: res.status >= 300 ? JSON.parse(text) : null })]);
      expect(seen.at(-1)).toEqual([method, path, body, status, expected]);
    }
  });
});

(hasIpmi ? describe : describe.skip)('the boot device of a machine behind a BMC (ipmi)', () => {
  let bmc: FakeBmc;
  let t: TestApp;
  beforeAll(async () => {
    bmc = await FakeBmc.start();
    t = await createTestApp('sqlite', { power: bmcPowerConfig() });
  }, 30000);
  afterAll(async () => {
    await t.close();
    await bmc.down();
  });

  it('sets each device through ipmitool and reads it back from the BMC; a device the driver lacks is refused', async () => {
    const node = await createNode(t, { body: { driver: 'ipmi', driver_info: bmc.driverInfo() } });
    const path = `/v1/nodes/${node.uuid}/management/boot_device`;
    expect((await t.call('GET', `${path}/supported`, V)).body).toEqual({ supported_boot_devices: ['pxe', 'disk', 'cdrom', 'bios', 'safe'] });
    // No override yet: the BMC names no device.
    expect((await t.call('GET', path, V)).body).toEqual({ boot_device: null, persistent: false });
    for (const device of ['pxe', 'disk', 'cdrom', 'bios', 'safe']) {
      expect((await t.call('PUT', path, { ...V, body: { boot_device: device, persistent: true } })).status).toBe(204);
      // pyghmi's BMC keeps the device, not the persistence flag: it reports "only next boot".
      expect((await t.call('GET', path, V)).body).toEqual({ boot_device: device, persistent: false });
    }
    expect(bmc.ipmitool('chassis', 'bootparam', 'get', '5').stdout).toContain('request Safe-Mode');
    const floppy = await t.call('PUT', path, { ...V, body: { boot_device: 'floppy' } });
    expect([floppy.status, fault(floppy).faultstring]).toEqual([400, 'Invalid boot device floppy specified.']);
    expect((await t.rows('SELECT reservation FROM nodes WHERE uuid = ?', [node.uuid]))[0].reservation).toBeNull();
    expect(t.serverErrors).toEqual([]);
  }, 60000);

  it('answers 503 in Ironic\'s words when the BMC does not answer, and frees the node', async () => {
    const node = await createNode(t, { body: { driver: 'ipmi', driver_info: { ...bmc.driverInfo(), ipmi_port: 9 } } });
    const res = await t.call('GET', `/v1/nodes/${node.uuid}/management/boot_device`, V);
    expect([res.status, fault(res).faultstring, res.headers['retry-after']]).toEqual([503, 'IPMI call failed: chassis bootparam get 5.', '5']);
    expect((await t.rows('SELECT reservation FROM nodes WHERE uuid = ?', [node.uuid]))[0].reservation).toBeNull();
    const bad = await t.call('PUT', `/v1/nodes/${(await createNode(t, { body: { driver: 'ipmi', driver_info: {} } })).uuid}/management/boot_device`, { ...V, body: { boot_device: 'pxe' } });
    expect(bad.status).toBe(400);
  }, 60000);
});
