import type { TestApp } from './test-app';

let counter = 0;
export const unique = (prefix: string) => `${prefix}-${process.pid}-${++counter}`;

export async function createNode(t: TestApp, options: { name?: string; power?: 'power on' | 'power off'; body?: Record<string, unknown> } = {}) {
  const res = await t.call('POST', '/v1/nodes', { body: { driver: 'fake-hardware', name: options.name ?? unique('node'), ...options.body } });
  if (res.status !== 201) throw new Error(`node create failed: ${res.status} ${res.text}`);
  if (options.power) await setPower(t, res.body.uuid, options.power);
  return res.body as { uuid: string; name: string };
}

export async function setPower(t: TestApp, node: string, target: string) {
  const res = await t.call('PUT', `/v1/nodes/${node}/states/power`, { body: { target } });
  if (res.status !== 202) throw new Error(`power ${target} failed: ${res.status} ${res.text}`);
}

export async function createConnector(t: TestApp, node: string, body: Record<string, unknown> = {}) {
  const res = await t.call('POST', '/v1/volume/connectors', {
    body: { node_uuid: node, type: 'iqn', connector_id: unique('iqn.2017-05.org.openstack'), ...body },
  });
  if (res.status !== 201) throw new Error(`connector create failed: ${res.status} ${res.text}`);
  return res.body as { uuid: string; connector_id: string; type: string; node_uuid: string };
}

export async function createTarget(t: TestApp, node: string, body: Record<string, unknown> = {}) {
  const res = await t.call('POST', '/v1/volume/targets', {
    body: { node_uuid: node, volume_type: 'iscsi', boot_index: 0, volume_id: unique('vol'), ...body },
  });
  if (res.status !== 201) throw new Error(`target create failed: ${res.status} ${res.text}`);
  return res.body as { uuid: string; boot_index: number; node_uuid: string };
}
