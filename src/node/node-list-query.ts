import { HttpStatus } from '@nestjs/common';
import { invalid, IronicError } from '../common/errors/ironic-errors';
import type { CollectionSpec, ListQuery, ListRequest } from '../common/collection/list-query';
import { NODE_DEFAULT_FIELDS, NODE_FIELDS } from './node.mapper';
import {
  atLeast,
  MINOR_16_DRIVER_FILTER,
  MINOR_21_RESOURCE_CLASS,
  MINOR_42_FAULT,
  MINOR_43_ENABLE_DETAIL_QUERY,
  MINOR_46_NODE_CONDUCTOR_GROUP,
  MINOR_49_CONDUCTORS,
  MINOR_50_NODE_OWNER,
  MINOR_65_NODE_LESSEE,
  MINOR_82_NODE_SHARD,
  MINOR_8_FETCHING_SUBSET_OF_FIELDS,
  MINOR_9_PROVISION_STATE_FILTER,
} from '../common/microversion/microversion';
import { isNewerThan } from '../common/microversion/versioned-fields';
import { booleanArg, integerArg, stringArg, stringListArg, uuidArg, validateArgs } from '../common/collection/query-args';

export const NODE_COLLECTION: CollectionSpec = {
  fields: NODE_FIELDS,
  defaultFields: NODE_DEFAULT_FIELDS,
  sortable: [
    'id', 'uuid', 'name', 'driver', 'owner', 'lessee', 'power_state', 'target_power_state', 'provision_state',
    'maintenance', 'instance_uuid', 'resource_class', 'created_at', 'updated_at',
  ],
  // Ironic's invalid_sort_key_list for nodes: refused before the marker is looked up.
  unsortable: [
    'properties', 'driver_info', 'extra', 'instance_info', 'driver_internal_info', 'clean_step', 'deploy_step', 'raid_config',
    'target_raid_config', 'traits', 'network_data',
  ],
  nullable: ['name', 'owner', 'lessee', 'power_state', 'target_power_state', 'instance_uuid', 'resource_class', 'updated_at'],
};

/**
 * The arguments of GET /v1/nodes, in the order its handler declares them
 * (ironic/api/controllers/v1/node.py, NodesController.get_all), which is
 * the order Ironic checks them in.
 */
const LIST_ARGS = {
  chassis_uuid: uuidArg,
  instance_uuid: uuidArg,
  associated: booleanArg,
  maintenance: booleanArg,
  retired: booleanArg,
  provision_state: stringArg,
  marker: uuidArg,
  limit: integerArg,
  sort_key: stringArg,
  sort_dir: stringArg,
  driver: stringArg,
  fields: stringListArg,
  resource_class: stringArg,
  fault: stringArg,
  conductor_group: stringArg,
  detail: booleanArg,
  conductor: stringArg,
  owner: stringArg,
  description_contains: stringArg,
  lessee: stringArg,
  project: stringArg,
  shard: stringListArg,
  sharded: booleanArg,
};

/** GET /v1/nodes/detail takes the same arguments but fields and detail. */
const { fields: _fields, detail: _detail, ...DETAIL_ARGS } = LIST_ARGS;

export type NodeListArgs = ReturnType<typeof validateArgs<typeof LIST_ARGS>>;

/** A node list as asked for: the list's shape and the filters. */
export interface NodeListRequest {
  list: ListRequest;
  args: NodeListArgs;
}

/** Ironic's provision states (states.machine.states): what ?provision_state= may name. */
const PROVISION_STATES = [
  'active', 'adopt failed', 'adopting', 'available', 'clean failed', 'clean wait', 'cleaning', 'deleting', 'deploy failed',
  'deploying', 'enroll', 'error', 'inspect failed', 'inspect wait', 'inspecting', 'manageable', 'rescue', 'rescue failed',
  'rescue wait', 'rescuing', 'unrescue failed', 'unrescuing', 'verifying', 'wait call-back',
];
const FAULTS = ['power failure', 'clean failure', 'rescue abort failure'];

/** Filters and the microversion that brought each (Ironic's check_allow_filter_by_*), checked in Ironic's order. */
const FILTER_VERSIONS: [keyof NodeListArgs, number][] = [
  ['driver', MINOR_16_DRIVER_FILTER], ['resource_class', MINOR_21_RESOURCE_CLASS], ['fault', MINOR_42_FAULT],
  ['conductor_group', MINOR_46_NODE_CONDUCTOR_GROUP], ['conductor', MINOR_49_CONDUCTORS], ['owner', MINOR_50_NODE_OWNER],
  ['lessee', MINOR_65_NODE_LESSEE], ['shard', MINOR_82_NODE_SHARD], ['sharded', MINOR_82_NODE_SHARD],
];

/** Ironic's check_allow_specify_fields and check_allowed_fields: 406 for fields before 1.8, or a field newer than the request. */
export function assertFieldsAllowedAt(fields: readonly string[] | undefined, minor: number): void {
  if (fields === undefined) return;
  if (!atLeast(minor, MINOR_8_FETCHING_SUBSET_OF_FIELDS)) throw notAcceptable();
  if (fields.some((field) => isNewerThan(field, minor))) throw notAcceptable();
}

/** Ironic's reject_patch_in_newer_versions: a PATCH naming a field newer than the request is 406. */
export function assertPatchAllowedAt(paths: readonly string[], minor: number): void {
  const fields = paths.map((path) => path.split('/')[1]);
  if (fields.some((field) => isNewerThan(field, minor))) throw notAcceptable();
}

/** Ironic's NotAcceptable for a filter newer than the request's microversion. */
const tooEarly = (minor: number) =>
  new IronicError(HttpStatus.NOT_ACCEPTABLE, `Request not acceptable. The minimal required API version should be 1.${minor}`);
const notAcceptable = () => new IronicError(HttpStatus.NOT_ACCEPTABLE, 'Request not acceptable.');

/**
 * A node list's query, checked as Ironic's get_all and detail check it:
 * unknown names and each argument's type in declared order; then fields,
 * the sort key and provision_state against the microversion; each filter's
 * microversion; fields with detail; the limit and the sort direction. The
 * marker, the sort key's column and the fields' names are checked later,
 * against the data, as Ironic does.
 */
export function nodeListQuery(query: Record<string, unknown>, minor: number, spec: CollectionSpec, detailView: boolean): NodeListRequest {
  const args: NodeListArgs = validateArgs(query, detailView ? DETAIL_ARGS : LIST_ARGS);
  if (args.fields !== undefined && !atLeast(minor, MINOR_8_FETCHING_SUBSET_OF_FIELDS)) throw notAcceptable();
  for (const field of [...(args.fields ?? []), args.sort_key ?? 'id']) {
    if (isNewerThan(field, minor)) throw notAcceptable();
  }
  if (args.provision_state !== undefined) {
    if (!atLeast(minor, MINOR_9_PROVISION_STATE_FILTER)) throw notAcceptable();
    if (!PROVISION_STATES.includes(args.provision_state)) throw invalid(`Provision state "${args.provision_state}" is not valid`);
  }
  for (const [name, since] of FILTER_VERSIONS) {
    if (args[name] === undefined) continue;
    if (!atLeast(minor, since)) throw tooEarly(since);
    if (name === 'fault' && !FAULTS.includes(args.fault!)) {
      throw invalid(`Unrecognized fault "${args.fault}" is specified, allowed faults are ('power failure', 'clean failure', 'rescue abort failure')`);
    }
  }
  if (args.detail !== undefined && !atLeast(minor, MINOR_43_ENABLE_DETAIL_QUERY)) throw invalid(`Invalid query parameter ?detail=${args.detail ? 'True' : 'False'} received.`);
  if (args.fields !== undefined && args.detail) throw invalid('Can not specify ?detail=True and fields in the same request.');
  if (args.limit !== undefined && args.limit <= 0) throw invalid('Limit must be positive');
  const sortDir = args.sort_dir ?? 'asc';
  if (sortDir !== 'asc' && sortDir !== 'desc') throw invalid(`Invalid sort direction: ${sortDir}. Acceptable values are 'asc' or 'desc'`);
  // JSON columns are refused before the marker is looked up; unknown ones after (listPage).
  if (spec.unsortable.includes(args.sort_key ?? 'id')) throw invalid(`The sort_key value ${args.sort_key} is an invalid field for sorting`);
  const detail = detailView || args.detail === true;
  return {
    args,
    list: {
      fields: args.fields ?? (detail ? null : [...spec.defaultFields]),
      detail,
      explicitFields: args.fields !== undefined,
      limit: args.limit,
      marker: args.marker ?? null,
      sortKey: args.sort_key || 'id',
      sortDir,
      node: null,
    },
  };
}

/**
 * The "next" URL of a full page, as Ironic's get_next writes it: sort_key,
 * sort_dir, then associated, maintenance and retired when true, detail when
 * given, the fields, the limit and the marker. A lookup by instance_uuid
 * (unique) has none.
 */
export function nodeNextLink(base: string, path: string, list: ListQuery, args: NodeListArgs, pageLength: number, lastUuid: string | undefined): string | undefined {
  if (args.instance_uuid !== undefined || !lastUuid || pageLength < list.limit) return undefined;
  const params = [`sort_key=${encodeURIComponent(list.sortKey)}`, `sort_dir=${list.sortDir}`];
  for (const flag of ['associated', 'maintenance', 'retired'] as const) if (args[flag]) params.push(`${flag}=True`);
  if (args.detail !== undefined) params.push(`detail=${args.detail ? 'True' : 'False'}`);
  if (list.fields?.length) params.push(`fields=${list.fields.map(encodeURIComponent).join(',')}`);
  params.push(`limit=${list.limit}`, `marker=${lastUuid}`);
  return `${base}/v1/${path}?${params.join('&')}`;
}

/**
 * The SQL conditions of a node list's filters. What ironvol does not model
 * matches as an Ironic node without it: no fault, no shard, not retired,
 * the default (empty) conductor group, and no conductor name (a chassis
 * filter is refused once the marker is found: no chassis exists).
 */
export function nodeListFilters(args: NodeListArgs, alias: string): { sql: string; params: unknown[] }[] {
  const filters: { sql: string; params: unknown[] }[] = [];
  const none = { sql: '1 = 0', params: [] };
  for (const column of ['instance_uuid', 'provision_state', 'driver', 'resource_class', 'owner', 'lessee'] as const) {
    if (args[column] !== undefined) filters.push({ sql: `${alias}.${column} = ?`, params: [args[column]] });
  }
  if (args.maintenance !== undefined) filters.push({ sql: `${alias}.maintenance = ?`, params: [args.maintenance] });
  if (args.associated !== undefined) filters.push({ sql: `${alias}.instance_uuid IS ${args.associated ? 'NOT ' : ''}NULL`, params: [] });
  if (args.project !== undefined) filters.push({ sql: `(${alias}.owner = ? OR ${alias}.lessee = ?)`, params: [args.project, args.project] });
  if (args.description_contains !== undefined) {
    filters.push({ sql: `${alias}.description LIKE ? ESCAPE '!'`, params: [`%${args.description_contains.replace(/[!%_]/g, '!$&')}%`] });
  }
  if (args.fault !== undefined || args.retired === true || args.conductor !== undefined) filters.push(none);
  if (args.shard !== undefined) filters.push(none);
  if (args.sharded === true) filters.push(none);
  if (args.conductor_group !== undefined && args.conductor_group.toLowerCase() !== '') filters.push(none);
  return filters;
}
