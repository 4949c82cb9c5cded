/** The measured scenarios: each one's i-th request and the check of its answers. */
import type { LoadRequest } from './load';
import { VERSION } from './options';
import { api, Seeded } from './seed';

export interface Scenario {
  name: string;
  /** A request for the i-th call. */
  request: (i: number) => { method: string; path: string; body?: unknown };
  /** Checks one answer; throws when it is wrong. */
  check: (status: number, body: any, i: number) => void;
}

/** A scenario's request as the load generator sends it: with the microversion (and token) headers, and a JSON body. */
export function wire(request: { method: string; path: string; body?: unknown }): LoadRequest {
  if (request.body === undefined) return { method: request.method, path: request.path, headers: VERSION };
  return { method: request.method, path: request.path, headers: { ...VERSION, 'Content-Type': 'application/json' }, body: JSON.stringify(request.body) };
}

export function scenarios(s: Seeded): Scenario[] {
  const pick = <T>(list: T[], i: number) => list[i % list.length];
  let created = 0;
  const run = `${Date.now().toString(36)}`;
  const show: Scenario = {
    name: 'show',
    request: (i) => ({ method: 'GET', path: `/v1/volume/connectors/${pick(s.connectors, i)}` }),
    check: (status, body, i) => assert(status === 200 && body.uuid === pick(s.connectors, i), 'show answers the connector'),
  };
  const patch: Scenario = {
    name: 'patch',
    request: (i) => ({ method: 'PATCH', path: `/v1/volume/connectors/${pick(s.connectors, i)}`, body: [{ op: 'add', path: '/extra/bench', value: i }] }),
    check: (status, body, i) => assert(status === 200 && body.extra.bench === i, 'patch answers the new extra'),
  };
  return [
    show,
    {
      name: 'first-page',
      request: () => ({ method: 'GET', path: '/v1/volume/connectors?detail=True&limit=100' }),
      check: (status, body) => assert(status === 200 && body.connectors.length === 100 && 'extra' in body.connectors[0], 'a full detail page'),
    },
    {
      name: 'deep-page',
      request: () => ({ method: 'GET', path: `/v1/volume/connectors?detail=True&limit=100&marker=${s.deepMarker}` }),
      check: (status, body) => assert(status === 200 && body.connectors.length > 0 && body.connectors[0].uuid !== s.deepMarker, 'the page after the marker'),
    },
    {
      name: 'node-filter',
      request: (i) => ({ method: 'GET', path: `/v1/volume/connectors?node=${pick(s.nodes, i)}&detail=True` }),
      check: (status, body, i) => assert(status === 200 && body.connectors.length > 0 && body.connectors.every((c: any) => c.node_uuid === pick(s.nodes, i)), "only the node's connectors"),
    },
    {
      name: 'node-view',
      request: (i) => ({ method: 'GET', path: `/v1/nodes/${pick(s.nodes, i)}/volume/targets` }),
      check: (status, body, i) => assert(status === 200 && body.targets.every((t: any) => t.node_uuid === pick(s.nodes, i)), "only the node's targets"),
    },
    {
      name: 'create',
      request: (i) => ({ method: 'POST', path: '/v1/volume/connectors', body: { node_uuid: s.createNode, type: 'iqn', connector_id: `iqn.${s.tag}.${run}:${i}:${created++}` } }),
      check: (status, body) => assert(status === 201 && typeof body.uuid === 'string', 'created'),
    },
    patch,
    {
      name: 'mix-80-20',
      request: (i) => (i % 5 === 4 ? patch.request(i) : show.request(i)),
      check: (status, body, i) => (i % 5 === 4 ? patch.check(status, body, i) : show.check(status, body, i)),
    },
  ];
}

export function assert(ok: boolean, what: string): void {
  if (!ok) throw new Error(`wrong answer: expected ${what}`);
}

/** Checks a sample of answers before measuring, so a fast wrong answer does not count. */
export async function verify(base: string, scenario: Scenario): Promise<void> {
  for (let i = 0; i < 5; i++) {
    const r = scenario.request(i * 7919);
    const res = await api(base, r.method, r.path, r.body);
    try {
      scenario.check(res.status, res.body, i * 7919);
    } catch (error) {
      throw new Error(`${scenario.name} on ${base}: ${(error as Error).message} (got ${res.status} ${JSON.stringify(res.body).slice(0, 200)})`);
    }
  }
}
