/** Seeding a server through its public API: nodes, connectors and targets, as a client would. */
import { SingleBar } from 'cli-progress';
import { Options, VERSION } from './options';

export async function api(base: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { ...VERSION, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

/** Runs fn over items with at most `limit` in flight. */
async function pool<T>(items: T[], limit: number, fn: (item: T) => Promise<void>, bar?: SingleBar): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        await fn(items[next++]);
        bar?.increment();
      }
    }),
  );
}

export interface Seeded {
  nodes: string[];
  /**
   * The node the create scenario adds its connectors to. Kept apart from the
   * others so that what a server created (a fast one creates thousands) does
   * not grow the node filter's answers in the rounds after it.
   */
  createNode: string;
  connectors: string[];
  /** A marker deep into the connector list (90% of the way). */
  deepMarker: string;
  tag: string;
}

/** fake-hardware, or with --ipmi a BMC of the list (a fakebmc's machine starts powered off). */
function driverOf(o: Options, i: number): Record<string, unknown> {
  if (!o.ipmi) return { driver: 'fake-hardware' };
  const port = o.ipmi[i % o.ipmi.length];
  return { driver: 'ipmi', driver_info: { ipmi_address: '127.0.0.1', ipmi_port: port, ipmi_username: 'admin', ipmi_password: 'password' } };
}

/** Moves an ipmi node to manageable, which records its machine's power as the BMC reports it. */
async function manage(base: string, node: string): Promise<void> {
  await api(base, 'PUT', `/v1/nodes/${node}/states/provision`, { target: 'manage' });
  for (let i = 0; i < 300; i++) {
    const shown = await api(base, 'GET', `/v1/nodes/${node}`);
    if (shown.body.provision_state === 'manageable' && shown.body.power_state === 'power off') return;
    if (shown.body.provision_state === 'enroll') throw new Error(`node ${node}: ${shown.body.last_error}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`node ${node} did not become manageable`);
}

export async function seed(base: string, o: Options): Promise<Seeded> {
  const tag = `b${Date.now().toString(36)}`;
  const total = o.nodes * (1 + o.connectorsPerNode + o.targetsPerNode) + 1;
  const bar = new SingleBar({ format: `seeding ${base} [{bar}] {value}/{total}`, hideCursor: true, noTTYOutput: true, notTTYSchedule: 2000 });
  bar.start(total, 0);
  const nodes: string[] = [];
  await pool(Array.from({ length: o.nodes }, (_, i) => i), 8, async (i) => {
    const node = await api(base, 'POST', '/v1/nodes', { ...driverOf(o, i), name: `${tag}-${i}` });
    if (node.status !== 201) throw new Error(`seeding a node: ${node.status} ${JSON.stringify(node.body)}`);
    if (o.ipmi) await manage(base, node.body.uuid);
    else await api(base, 'PUT', `/v1/nodes/${node.body.uuid}/states/power`, { target: 'power off' });
    nodes[i] = node.body.uuid;
  }, bar);
  const createNode = await api(base, 'POST', '/v1/nodes', { driver: 'fake-hardware', name: `${tag}-create` });
  if (createNode.status !== 201) throw new Error(`seeding a node: ${createNode.status} ${JSON.stringify(createNode.body)}`);
  bar.increment();
  const connectorJobs = nodes.flatMap((node, n) => Array.from({ length: o.connectorsPerNode }, (_, c) => ({ node, id: `iqn.2017-06.org.${tag}:${n}:${c}` })));
  await pool(connectorJobs, 8, async (job) => {
    const res = await api(base, 'POST', '/v1/volume/connectors', { node_uuid: job.node, type: 'iqn', connector_id: job.id });
    if (res.status !== 201) throw new Error(`seeding a connector: ${res.status} ${JSON.stringify(res.body)}`);
  }, bar);
  const targetJobs = nodes.flatMap((node) => Array.from({ length: o.targetsPerNode }, (_, t) => ({ node, t })));
  await pool(targetJobs, 8, async (job) => {
    const res = await api(base, 'POST', '/v1/volume/targets', { node_uuid: job.node, volume_type: 'iscsi', boot_index: job.t, volume_id: `${tag}-${job.t}` });
    if (res.status !== 201) throw new Error(`seeding a target: ${res.status} ${JSON.stringify(res.body)}`);
  }, bar);
  bar.stop();
  const connectors = await allConnectorUuids(base, tag);
  return { nodes, createNode: createNode.body.uuid, connectors, deepMarker: connectors[Math.floor(connectors.length * 0.9)], tag };
}

/** The seeded connectors in list order, read by following next links. */
async function allConnectorUuids(base: string, tag: string): Promise<string[]> {
  const uuids: string[] = [];
  let path: string | null = '/v1/volume/connectors?limit=1000&fields=uuid,connector_id';
  while (path) {
    const res = await api(base, 'GET', path);
    for (const c of res.body.connectors) if (String(c.connector_id).includes(tag)) uuids.push(c.uuid);
    path = res.body.next ? new URL(res.body.next).pathname + new URL(res.body.next).search : null;
  }
  return uuids;
}
