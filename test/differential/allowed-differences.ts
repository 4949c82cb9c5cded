import type { Answer, Request } from './exchange';

/**
 * Every way ironvol may answer differently from real Ironic, each a row of
 * README's "Differences from Ironic kept on purpose" table (`row` is that
 * row's first cell, word for word). Nothing else may differ.
 */
export interface AllowedDifference {
  row: string;
  ironic: string;
  ironvol: string;
  why: string;
  applies: (request: Request, ironic: Answer, ironvol: Answer) => boolean;
}

const error = (answer: Answer) => (answer.error ?? {}) as { faultstring?: string };
const query = (request: Request) => new URLSearchParams(request.path.split('?')[1] ?? '');
/** Two list pages that are the same but for their `next` links. */
function sameButNext(ironic: Answer, ironvol: Answer): boolean {
  if (ironic.status !== 200 || ironvol.status !== 200) return false;
  const strip = (answer: Answer) => JSON.stringify({ ...(answer.body as Record<string, unknown>), next: undefined });
  return strip(ironic) === strip(ironvol);
}

const nodeViewByName = /^\/v1\/nodes\/(?![0-9a-fA-F]{8}-)[^/]+\/volume\/(connectors|targets)(\?|$)/;

const UPPER_UUID = /[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}/;

export const ALLOWED_DIFFERENCES: AllowedDifference[] = [
  {
    row: 'a request Ironic fails on (500: any query on `/v1/nodes/{node}/volume`, `%2F` in a node identifier, `?fields=bogus` on a node list)',
    ironic: '500',
    ironvol: 'a 4xx naming the problem',
    why: 'bad input gets a 4xx, never a 500',
    applies: (_request, ironic, ironvol) => ironic.status >= 500 && ironvol.status >= 400 && ironvol.status < 500,
  },
  {
    row: 'a UUID written in upper case',
    ironic: '404: its database compares UUIDs case-sensitively',
    ironvol: 'found: a UUID is the same in any case, as `uuidutils.is_uuid_like` takes it',
    why: 'the same identifier must name the same item',
    applies: (request, ironic) => UPPER_UUID.test(request.path + JSON.stringify(request.body ?? '')) && ironic.status === 404,
  },
  {
    row: '`/v1/nodes/{name}/volume/connectors\\|targets`',
    ironic: '404 (UUID only)',
    ironvol: 'resolves names as everywhere else',
    why: 'every other node path takes a name; SPEC.md section 7',
    applies: (request, ironic) =>
      nodeViewByName.test(request.path) && ironic.status === 404 && /^Node .* could not be found\.$/.test(error(ironic).faultstring ?? ''),
  },
  {
    row: '`next` of a list filtered by `?node=`',
    ironic: 'drops the filter (page 2 shows other nodes\' items)',
    ironvol: 'keeps `node=`',
    why: 'page 2 of a filtered list must be the filtered list; SPEC.md section 7',
    applies: (request, ironic, ironvol) => Boolean(query(request).get('node')) && sameButNext(ironic, ironvol),
  },
  {
    row: '`next` of `/v1/nodes/{node}/volume/connectors`',
    ironic: 'points at the unfiltered top-level list',
    ironvol: 'points at the node view',
    why: 'the next page of a node view is the next page of that node view',
    applies: (request, ironic, ironvol) =>
      /^\/v1\/nodes\/[^/]+\/volume\/(connectors|targets)/.test(request.path) && sameButNext(ironic, ironvol),
  },
  {
    row: 'PATCH moving an item off a powered-on node',
    ironic: 'allowed',
    ironvol: '400: both nodes must be powered off',
    why: 'the volume must not be re-pointed under a running machine on either side',
    applies: (request, ironic, ironvol) =>
      request.method === 'PATCH' &&
      ironvol.status === 400 &&
      /^The requested action "volume (connector|target) update" can not be performed on node/.test(error(ironvol).faultstring ?? '') &&
      JSON.stringify(request.body).includes('/node_uuid') &&
      ironic.status === 200,
  },
  {
    row: '`?fields=bogus` on an empty list',
    ironic: '200 (it checks each item)',
    ironvol: '400 `Field(s) "bogus" are not valid`',
    why: 'whether a query is valid cannot depend on the data',
    applies: (_request, ironic, ironvol) =>
      ironic.status === 200 &&
      ironvol.status === 400 &&
      /^Field\(s\) ".*" are not valid$/.test(error(ironvol).faultstring ?? '') &&
      Object.values((ironic.body ?? {}) as Record<string, unknown>).some((v) => Array.isArray(v) && v.length === 0),
  },
  {
    row: 'strings longer than their columns, `boot_index` outside 32 bits, JSON deeper than 32 levels, bodies over 1 MiB',
    ironic: '500 or stored truncated',
    ironvol: '400 / 413',
    why: 'what is acknowledged is stored exactly',
    applies: (_request, ironic, ironvol) =>
      (ironic.status === 201 || ironic.status === 200) &&
      ironvol.status === 400 &&
      /is too long$|is greater than the maximum/.test(error(ironvol).faultstring ?? ''),
  },
  {
    row: 'version headers on a 404 below 1.32 for `/v1/volume/connectors\\|targets`',
    ironic: 'absent',
    ironvol: 'present (every `/v1` answer has them)',
    why: 'clients negotiate from these headers on every answer',
    applies: (_request, ironic, ironvol) =>
      ironic.status === ironvol.status && ironic.versions.used === null && ironvol.versions.used !== null,
  },
  {
    row: 'the power state named when a power request follows another power action at once',
    ironic: 'the state before the earlier action finished: its conductor acts on fake-hardware after the 202',
    ironvol: 'the state after it: fake-hardware acts before the 202',
    why: 'a client that powers a fake-hardware node sees the new state at once; the refusal is the same, only the state it names differs',
    applies: (request, ironic, ironvol) => {
      const refusal = /^The requested action "(.*)" can not be performed on node "(.*)" while it is in state "(.*)"\.$/;
      const [a, b] = [refusal.exec(error(ironic).faultstring ?? ''), refusal.exec(error(ironvol).faultstring ?? '')];
      return /\/states\/power$/.test(request.path) && !!a && !!b && a[1] === b[1] && a[2] === b[2];
    },
  },
  {
    row: '`%2F` in a node identifier (`/v1/nodes/a%2Fb/...`)',
    ironic: 'decoded into a path separator before routing: node `a` with a sub-path `b` (404 for `a`, a 500, or another handler\'s refusal)',
    ironvol: 'an encoded slash is part of the identifier, which is then no name: its router\'s 400 `Expected UUID or name for node: a/b`',
    why: 'RFC 3986 makes an encoded slash data, not a separator; the request names no node, and says so',
    applies: (request, _ironic, ironvol) => /^\/v1\/nodes\/[^/?]*%2F/i.test(request.path) && ironvol.status === 400,
  },
  {
    row: '`fields=links` on a node list',
    ironic: "500 `type object 'Node' has no attribute 'links'`",
    ironvol: 'the links of each node, as its volume lists answer `fields=links`',
    why: 'links are part of every item; asking for only them is a valid, if small, request',
    applies: (request, ironic, ironvol) =>
      /^\/v1\/nodes(\/detail)?\?/.test(request.path) && /[?&]fields=[^&]*links/i.test(request.path) && ironic.status === 500 && ironvol.status === 200,
  },
  {
    row: '`Cannot patch /x` on a node',
    ironic: 'lists every patchable node field of Ironic',
    ironvol: 'lists the node fields ironvol stores',
    why: 'the list names what can be patched here; Ironic\'s would name fields ironvol refuses',
    applies: (request, ironic, ironvol) => {
      const refusal = /^(Cannot patch \S+\. )Only the following can be updated: /;
      const [a, b] = [refusal.exec(error(ironic).faultstring ?? ''), refusal.exec(error(ironvol).faultstring ?? '')];
      return request.method === 'PATCH' && /^\/v1\/nodes\//.test(request.path) && !!a && !!b && a[1] === b[1];
    },
  },
];

/**
 * Differences the differential test has found and that are not fixed yet.
 * They are not kept on purpose: each is listed in README's "Known
 * differences still to fix", and the test reports how often it saw each.
 */
export const KNOWN_GAPS: AllowedDifference[] = [];
