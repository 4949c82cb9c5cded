import fc from 'fast-check';
import type { Request } from './exchange';

/**
 * What clients send, and get wrong, to the volume API and the node calls it
 * depends on. Nothing here is refused on purpose by ironvol and stored by
 * Ironic (over-long strings, text that is not valid Unicode): the two would
 * hold different data from then on. Those requests have their own tests. Every item a sequence creates has a UUID from a small fixed
 * pool, sent in the create, so that both servers hold the same data under
 * the same names and every answer compares as it is.
 */
export const NODES = ['1be26c0b-03f2-4d2e-ae87-c02d7f33c123', '2be26c0b-03f2-4d2e-ae87-c02d7f33c123', '3be26c0b-03f2-4d2e-ae87-c02d7f33c123'];
export const NODE_NAMES = ['diff-node-0', 'diff-node-1', 'diff-node-2'];
export const CONNECTORS = ['1c000000-0000-4000-8000-000000000001', '1c000000-0000-4000-8000-000000000002', '1c000000-0000-4000-8000-000000000003'];
export const TARGETS = ['1d000000-0000-4000-8000-000000000001', '1d000000-0000-4000-8000-000000000002', '1d000000-0000-4000-8000-000000000003'];
const UNKNOWN = '9f000000-0000-4000-8000-00000000dead';

const pick = <T>(items: readonly T[]) => fc.constantFrom(...items);

const version = fc.oneof(
  { weight: 12, arbitrary: pick(['1.32', 'latest', '1.82']) },
  { weight: 1, arbitrary: pick<string | null>([null, '1.31', '1.83', '1.5', '1.50', '2.0']) },
);

const nodeUuid = fc.nat(NODES.length - 1).map((i) => NODES[i]);
/** How a path names a node: by UUID, in upper case, by name, or wrongly. */
const nodeIdent = fc.oneof(
  { weight: 6, arbitrary: nodeUuid },
  { weight: 2, arbitrary: fc.nat(NODES.length - 1).map((i) => NODE_NAMES[i]) },
  { weight: 1, arbitrary: nodeUuid.map((u) => u.toUpperCase()) },
  { weight: 1, arbitrary: pick([UNKNOWN, 'no-such-node', 'bad%20name', 'a%2Fb', '%E2%9C%93']) },
);

type Kind = 'connectors' | 'targets';
const kind = pick<Kind>(['connectors', 'targets']);
const itemUuid = (k: Kind) =>
  fc.oneof(
    { weight: 8, arbitrary: fc.nat(2).map((i) => (k === 'connectors' ? CONNECTORS : TARGETS)[i]) },
    { weight: 1, arbitrary: pick([UNKNOWN, 'not-a-uuid', (k === 'connectors' ? TARGETS : CONNECTORS)[0], CONNECTORS[0].toUpperCase()]) },
  );

const smallJson = fc.oneof(
  pick<unknown>([{}, { a: 1 }, { a: { b: 'c' } }, 'text', 1, null, true, [], [1, 2], { list: [{ password: 'p' }] }]),
  fc.dictionary(pick(['a', 'b', 'password', 'auth_password', 'target_iqn', 'chap_secret', 'x']), fc.oneof(fc.string({ maxLength: 4 }), fc.integer()), { maxKeys: 3 }),
);
const properties = fc.oneof(
  smallJson,
  pick<unknown>([
    { auth_password: 'secret', target_iqn: 'iqn.t', target_lun: 0 },
    { nested: { chap_secret: 'x', ok: 'y' }, auth_method: 'CHAP' },
    { s: 'CHAPPASSWORD=abc', t: 'password=xyz other' },
    { list: [{ password: 'p' }], token: 't' },
  ]),
);

const nodeUuidField = fc.oneof(
  { weight: 8, arbitrary: nodeUuid },
  { weight: 1, arbitrary: pick<unknown>([UNKNOWN, 'not-a-uuid', NODE_NAMES[0], null, 5, nodeUuid]) },
);

function optional<T>(arb: fc.Arbitrary<T>, weight = 1) {
  return fc.oneof({ weight: 6, arbitrary: arb }, { weight, arbitrary: fc.constant(undefined) });
}

const connectorBody = fc.record(
  {
    uuid: fc.nat(2).map((i) => CONNECTORS[i]),
    node_uuid: optional(nodeUuidField),
    type: optional(fc.oneof({ weight: 8, arbitrary: pick(['iqn', 'ip', 'mac', 'wwpn']) }, { weight: 1, arbitrary: pick<unknown>(['', 7, null]) })),
    connector_id: optional(fc.oneof({ weight: 8, arbitrary: pick(['iqn.a', 'iqn.b', '10.0.0.1']) }, { weight: 1, arbitrary: pick<unknown>(['', 9, null]) })),
    extra: optional(smallJson, 3),
    bogus: fc.oneof({ weight: 15, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constant(1) }),
  },
  { requiredKeys: ['uuid'] },
);

const targetBody = fc.record(
  {
    uuid: fc.nat(2).map((i) => TARGETS[i]),
    node_uuid: optional(nodeUuidField),
    volume_type: optional(fc.oneof({ weight: 8, arbitrary: pick(['iscsi', 'fibre_channel']) }, { weight: 1, arbitrary: pick<unknown>([3, null, '']) })),
    volume_id: optional(fc.oneof({ weight: 8, arbitrary: pick(['vol-a', 'vol-b']) }, { weight: 1, arbitrary: pick<unknown>([4, null]) })),
    boot_index: optional(fc.oneof({ weight: 8, arbitrary: pick([0, 1, 2]) }, { weight: 1, arbitrary: pick<unknown>([-1, '0', 1.5, null]) })),
    properties: optional(properties, 3),
    extra: optional(smallJson, 3),
  },
  { requiredKeys: ['uuid'] },
);

const patchPath = (k: Kind) =>
  pick(
    k === 'connectors'
      ? ['/extra/a', '/extra', '/type', '/connector_id', '/node_uuid', '/uuid', '/created_at', '/extra/a/b', '/extra/list/-', '/extra/list/0', '/bogus', 'extra', '/extra/a~1b', '/links']
      : ['/extra/a', '/properties', '/properties/auth_password', '/properties/nested/x', '/boot_index', '/volume_id', '/volume_type', '/node_uuid', '/uuid', '/bogus', '/extra/list/-'],
  );

const patchOp = (k: Kind) =>
  fc
    .record({
      op: fc.oneof({ weight: 8, arbitrary: pick(['add', 'replace', 'remove']) }, { weight: 1, arbitrary: pick<unknown>(['move', 'test', 'copy', 'bogus', 5]) }),
      path: fc.oneof({ weight: 12, arbitrary: patchPath(k) }, { weight: 1, arbitrary: pick<unknown>([5, null, '']) }),
      value: fc.oneof({ weight: 6, arbitrary: smallJson }, { weight: 2, arbitrary: nodeUuid }, { weight: 2, arbitrary: fc.constant(undefined) }),
      from: fc.oneof({ weight: 12, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constant('/extra') }),
    })
    .map((op) => Object.fromEntries(Object.entries(op).filter(([, v]) => v !== undefined)));

const patchDocument = (k: Kind) =>
  fc.oneof(
    { weight: 12, arbitrary: fc.array(patchOp(k), { minLength: 0, maxLength: 3 }) },
    { weight: 1, arbitrary: pick<unknown>([{}, 'x', null, [1], [[]], { op: 'add' }]) },
  );

const fieldName = pick(['uuid', 'UUID', 'node_uuid', 'type', 'Type', 'connector_id', 'extra', 'links', 'created_at', 'volume_type', 'properties', 'boot_index', 'bogus', '']);
const queryParam = fc.oneof(
  { weight: 3, arbitrary: fc.array(fieldName, { minLength: 0, maxLength: 3 }).map((f) => `fields=${f.join(',')}`) },
  { weight: 2, arbitrary: fc.oneof(nodeIdent, fc.constant('')).map((n) => `node=${n}`) },
  { weight: 2, arbitrary: pick(['1', '2', '0', '-1', 'x', '']).map((v) => `limit=${v}`) },
  { weight: 2, arbitrary: fc.oneof(fc.nat(2).map((i) => CONNECTORS[i]), fc.nat(2).map((i) => TARGETS[i]), pick([UNKNOWN, 'x', ''])).map((v) => `marker=${v}`) },
  { weight: 2, arbitrary: pick(['id', 'uuid', 'type', 'connector_id', 'created_at', 'updated_at', 'boot_index', 'volume_type', 'volume_id', 'node_id', 'extra', 'properties', 'bogus', '']).map((v) => `sort_key=${v}`) },
  { weight: 1, arbitrary: pick(['asc', 'desc', 'ASC', 'up', '']).map((v) => `sort_dir=${v}`) },
  { weight: 1, arbitrary: pick(['True', 'true', 'false', '1', 'maybe', '']).map((v) => `detail=${v}`) },
  { weight: 1, arbitrary: pick(['foo=1', 'nodes=x', 'Fields=uuid', 'NODE=x', 'fields', 'detail']) },
);
const query = fc.array(queryParam, { minLength: 0, maxLength: 3 }).map((params) => (params.length ? `?${params.join('&')}` : ''));
const suffix = fc.oneof({ weight: 12, arbitrary: fc.constant('') }, { weight: 1, arbitrary: pick(['.json', '/']) });

const at = (v: string | null) => (v === null ? '1.32' : v);

/** GET /v1/nodes and /v1/nodes/detail: every argument Ironic's handler takes, with good and bad values, and names it does not. */
const nodeListParam = fc.oneof(
  { weight: 3, arbitrary: fc.record({ n: pick(['associated', 'maintenance', 'retired', 'sharded', 'detail']), v: pick(['true', 'False', '1', 'maybe', '']) }).map(({ n, v }) => `${n}=${v}`) },
  {
    weight: 4,
    arbitrary: pick([
      'provision_state=enroll', 'provision_state=available', 'provision_state=bogus', 'provision_state=', 'driver=fake-hardware', 'driver=ipmi', 'driver=',
      'resource_class=x', 'fault=power%20failure', 'fault=x', 'conductor_group=', 'conductor_group=x', 'conductor=x', 'owner=x', 'lessee=x', 'project=x',
      'description_contains=x', 'description_contains=', 'shard=', 'shard=a', 'chassis_uuid=x', `chassis_uuid=${UNKNOWN}`, `instance_uuid=${UNKNOWN}`, 'instance_uuid=x',
    ]),
  },
  { weight: 2, arbitrary: fc.array(pick(['uuid', 'UUID', 'name', 'power_state', 'owner', 'lessee', 'description', 'resource_class', 'driver', 'links', 'bogus', '']), { maxLength: 3 }).map((f) => `fields=${f.join(',')}`) },
  { weight: 2, arbitrary: pick(['1', '2', '0', '-1', 'x', '']).map((v) => `limit=${v}`) },
  { weight: 1, arbitrary: fc.oneof(nodeUuid, pick([UNKNOWN, CONNECTORS[0], 'x', ''])).map((v) => `marker=${v}`) },
  { weight: 2, arbitrary: pick(['id', 'uuid', 'name', 'provision_state', 'driver', 'created_at', 'owner', 'properties', 'extra', 'bogus', '']).map((v) => `sort_key=${v}`) },
  { weight: 1, arbitrary: pick(['asc', 'desc', 'ASC', '']).map((v) => `sort_dir=${v}`) },
  { weight: 1, arbitrary: pick(['foo=1', 'Detail=True', 'include_children=x', 'limit=1&limit=2', 'node=x']) },
);
/** A node's own paths: show (with fields), states, and PATCHes of the fields ironvol stores, with good and bad values. */
const nodeShowQuery = fc.oneof(
  { weight: 3, arbitrary: fc.constant('') },
  { weight: 2, arbitrary: fc.array(pick(['uuid', 'UUID', 'name', 'power_state', 'owner', 'description', 'resource_class', 'links', 'extra', 'bogus', '']), { maxLength: 3 }).map((f) => `?fields=${f.join(',')}`) },
  { weight: 1, arbitrary: pick(['?foo=1', '?detail=True', '?fields=uuid&fields=name']) },
);
const nodePatchOp = fc
  .record({
    op: fc.oneof({ weight: 8, arbitrary: pick(['add', 'replace', 'remove']) }, { weight: 1, arbitrary: pick<unknown>(['move', 'bogus']) }),
    path: pick<unknown>(['/extra/a', '/extra', '/description', '/name', '/properties/cpus', '/owner', '/lessee', '/maintenance', '/resource_class', '/driver_info/ipmi_password', '/uuid', '/power_state', 5]),
    value: fc.oneof(
      { weight: 4, arbitrary: pick<unknown>(['x', 'new-name', 'bad name', 1, true, null, { a: 1 }, '3be26c0b-03f2-4d2e-ae87-c02d7f33c999']) },
      { weight: 1, arbitrary: fc.constant(undefined) },
    ),
  })
  .map((op) => Object.fromEntries(Object.entries(op).filter(([, v]) => v !== undefined)));
const nodePatch = fc.oneof({ weight: 8, arbitrary: fc.array(nodePatchOp, { minLength: 0, maxLength: 2 }) }, { weight: 1, arbitrary: pick<unknown>([{}, null, 'x']) });

const nodeListQuery = fc.array(nodeListParam, { minLength: 0, maxLength: 3 }).map((params) => (params.length ? `?${params.join('&')}` : ''));
const nodeListVersion = fc.oneof({ weight: 6, arbitrary: pick(['1.82', 'latest']) }, { weight: 1, arbitrary: pick<string | null>(['1.32', '1.30', '1.8', '1.5', null]) });

/** One request of a sequence. */
export const requestArb: fc.Arbitrary<Request> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ i: fc.nat(NODES.length - 1), version }).map(({ i }) => ({ method: 'POST', path: '/v1/nodes', version: '1.82', body: { driver: 'fake-hardware', uuid: NODES[i], name: NODE_NAMES[i] } })) },
  { weight: 3, arbitrary: fc.record({ n: nodeIdent, target: fc.oneof({ weight: 6, arbitrary: pick(['power on', 'power off']) }, { weight: 1, arbitrary: pick(['rebooting', 'sideways']) }) }).map(({ n, target }) => ({ method: 'PUT', path: `/v1/nodes/${n}/states/power`, version: '1.82', body: { target } })) },
  { weight: 4, arbitrary: fc.record({ body: connectorBody, version }).map(({ body, version: v }) => ({ method: 'POST', path: '/v1/volume/connectors', version: at(v), body })) },
  { weight: 4, arbitrary: fc.record({ body: targetBody, version }).map(({ body, version: v }) => ({ method: 'POST', path: '/v1/volume/targets', version: at(v), body })) },
  { weight: 3, arbitrary: kind.chain((k) => fc.record({ u: itemUuid(k), q: query, s: suffix, version })).map(({ u, q, s, version: v }) => ({ method: 'GET', path: `/v1/volume/${u.startsWith('1d') ? 'targets' : 'connectors'}/${u}${s}${q}`, version: v })) },
  { weight: 4, arbitrary: fc.record({ k: kind, q: query, s: suffix, version }).map(({ k, q, s, version: v }) => ({ method: 'GET', path: `/v1/volume/${k}${s}${q}`, version: v })) },
  { weight: 2, arbitrary: fc.record({ n: nodeIdent, s: fc.constantFrom('', '', '/states'), q: nodeShowQuery, version: nodeListVersion }).map(({ n, s, q, version: v }) => ({ method: 'GET', path: `/v1/nodes/${n}${s}${s ? '' : q}`, version: v })) },
  { weight: 2, arbitrary: fc.record({ n: nodeIdent, patch: nodePatch, version: nodeListVersion }).map(({ n, patch, version: v }) => ({ method: 'PATCH', path: `/v1/nodes/${n}`, version: v, body: patch })) },
  { weight: 2, arbitrary: fc.record({ d: fc.constantFrom('', '', '/detail'), q: nodeListQuery, version: nodeListVersion }).map(({ d, q, version: v }) => ({ method: 'GET', path: `/v1/nodes${d}${q}`, version: v })) },
  { weight: 2, arbitrary: fc.record({ n: nodeIdent, k: fc.constantFrom('', '/connectors', '/targets'), q: query, version }).map(({ n, k, q, version: v }) => ({ method: 'GET', path: `/v1/nodes/${n}/volume${k}${q}`, version: v })) },
  { weight: 5, arbitrary: kind.chain((k) => fc.record({ k: fc.constant(k), u: itemUuid(k), patch: patchDocument(k), version })).map(({ k, u, patch, version: v }) => ({ method: 'PATCH', path: `/v1/volume/${k}/${u}`, version: at(v), body: patch })) },
  { weight: 2, arbitrary: kind.chain((k) => fc.record({ k: fc.constant(k), u: itemUuid(k), version })).map(({ k, u, version: v }) => ({ method: 'DELETE', path: `/v1/volume/${k}/${u}`, version: at(v) })) },
  { weight: 1, arbitrary: fc.record({ k: kind, u: fc.option(fc.constantFrom(CONNECTORS[0], TARGETS[0]), { nil: undefined }), m: pick(['PUT', 'POST', 'PATCH', 'DELETE']) }).map(({ k, u, m }) => ({ method: m, path: `/v1/volume/${k}${u ? `/${u}` : ''}`, version: '1.32', body: m === 'DELETE' ? undefined : [] })) },
  { weight: 1, arbitrary: fc.record({ n: nodeIdent, k: pick(['connectors', 'targets']), m: pick(['POST', 'PATCH', 'DELETE']), u: fc.option(fc.constantFrom(CONNECTORS[0], TARGETS[0]), { nil: undefined }), body: fc.oneof(connectorBody, targetBody) }).map(({ n, k, m, u, body }) => ({ method: m, path: `/v1/nodes/${n}/volume/${k}${u ? `/${u}` : ''}`, version: '1.32', body: m === 'DELETE' ? undefined : body })) },
);

/** A sequence: the nodes first (mostly powered off, so changes get past the power check), then requests. */
export const sequenceArb = fc
  .record({
    nodes: fc.array(fc.record({ i: fc.nat(NODES.length - 1), off: fc.boolean() }), { minLength: 1, maxLength: 3 }),
    requests: fc.array(requestArb, { minLength: 8, maxLength: 28 }),
  })
  .map(({ nodes, requests }) => [
    ...nodes.flatMap(({ i, off }): Request[] => [
      { method: 'POST', path: '/v1/nodes', version: '1.82', body: { driver: 'fake-hardware', uuid: NODES[i], name: NODE_NAMES[i] } },
      { method: 'PUT', path: `/v1/nodes/${NODES[i]}/states/power`, version: '1.82', body: { target: off ? 'power off' : 'power on' } },
    ]),
    ...requests,
  ]);
