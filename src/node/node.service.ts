import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { canSeeNode } from '../auth/identity';
import type { Identity } from '../common/http/identity';
import { projectFilter } from '../auth/project-scope';
import { Db, Tx } from '../common/db/db.service';
import { classifyDbError, violates } from '../common/db/db-errors';
import { ChassisNotFound, Conflict, invalid, NodeAssociated, NodeLocked, NodeNotFound } from '../common/errors/ironic-errors';
import { assertKnownFields, CollectionSpec, ListQuery } from '../common/collection/list-query';
import { assertFieldsAllowedAt, assertPatchAllowedAt, NodeListArgs, nodeListFilters, nodeNextLink } from './node-list-query';
import { parseBoolean, stringListArg, uuidOrNameArg, validateArgs } from '../common/collection/query-args';
import { pyStr } from '../common/validation/py-repr';
import { pythonInt } from '../common/validation/python-int';
import { listPage } from '../common/collection/list-page';
import { applyPatch, assertPatchable, PatchOp, patchValues, validatePatchDocument } from '../common/json-patch/json-patch';
import { validateSchema } from '../common/validation/schema';
import { canonicalUuid, NODE_NAME_RE } from '../common/validation/uuid';
import { atLeast, MINOR_5_NODE_NAME } from '../common/microversion/microversion';
import { checkIfMatch, etagOf } from '../common/http/etag';
import { nowIso } from '../common/time';
import type { ViewContext } from '../common/http/view-context';
import { CreateNodeDto } from './dto/node.dto';
import { DELETABLE_STATES } from './provision-states';
import { NODE_COLUMNS, NODE_DEFAULT_FIELDS, NODE_FIELDS, NodeRow, parseJsonColumn, toNodeStates, toNodeView } from './node.mapper';
import { NodeLocks } from './node-lock';
import { PowerDrivers } from './power/power-drivers';

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

/** Fields a node PATCH may change (a subset of Ironic's PATCH_ALLOWED_FIELDS for nodes). */
export const NODE_PATCHABLE = [
  'description', 'driver', 'driver_info', 'extra', 'instance_info', 'instance_uuid', 'lessee', 'maintenance',
  'maintenance_reason', 'name', 'owner', 'properties', 'resource_class',
];

/** The fields a client writes, each in the column of the same name. */
const WRITABLE = [
  ['driver', 'plain'],
  ['name', 'plain'],
  ['description', 'plain'],
  ['owner', 'plain'],
  ['lessee', 'plain'],
  ['resource_class', 'plain'],
  ['instance_uuid', 'plain'],
  ['maintenance', 'plain'],
  ['maintenance_reason', 'plain'],
  ['properties', 'json'],
  ['extra', 'json'],
  ['driver_info', 'json'],
  ['instance_info', 'json'],
] as const satisfies ReadonlyArray<readonly [keyof CreateNodeDto & keyof NodeRow, 'json' | 'plain']>;
type WritableColumn = (typeof WRITABLE)[number][0];

export const nodeEtag = (row: Pick<NodeRow, 'version' | 'created_at'>) => etagOf(row.version, row.created_at);

/** A reference to a node, enough to check, scope and lock it. */
export interface NodeRef {
  id: number;
  uuid: string;
  power_state: string | null;
  owner: string | null;
  lessee: string | null;
}

const REF_COLUMNS = 'id, uuid, power_state, owner, lessee';

@Injectable()
export class NodeService {

  constructor(
    private readonly db: Db,
    private readonly locks: NodeLocks,
    private readonly drivers: PowerDrivers,
  ) {
  }

  /**
   * A node by UUID or name, as every /v1/nodes/{node_ident} path takes it, if
   * the caller may see it; one it may not is as absent as a missing one (404),
   * as Ironic conceals it.
   */
  async getRow(ident: string, caller: Identity, runner: Pick<Tx, 'query'> = this.db): Promise<NodeRow> {
    const uuid = canonicalUuid(ident);
    if (!uuid && !NODE_NAME_RE.test(ident)) {
      throw invalid(`Expected a logical name or UUID but received ${ident}.`);
    }
    const rows = await runner.query<NodeRow>(
      `SELECT ${NODE_COLUMNS} FROM nodes WHERE ${uuid ? 'uuid' : 'name'} = ?`,
      [uuid ?? ident],
    );
    if (!rows.length || !canSeeNode(caller, rows[0])) throw NodeNotFound(ident);
    return rows[0];
  }

  /** A reference to a node the caller may see, by UUID or name; 404 otherwise. */
  async findRef(ident: string, caller: Identity): Promise<NodeRef> {
    const uuid = canonicalUuid(ident);
    const rows = await this.db.query<NodeRef>(
      `SELECT ${REF_COLUMNS} FROM nodes WHERE ${uuid ? 'uuid' : 'name'} = ?`,
      [uuid ?? ident],
    );
    if (!rows.length || !canSeeNode(caller, rows[0])) throw NodeNotFound(ident);
    return rows[0];
  }

  /** A node reference by UUID, or null, whoever may see it (callers check the scope). */
  async findRefByUuid(uuid: string): Promise<NodeRef | null> {
    const rows = await this.db.query<NodeRef>(`SELECT ${REF_COLUMNS} FROM nodes WHERE uuid = ?`, [uuid]);
    return rows[0] ?? null;
  }

  /** Names identify nodes from API 1.5; before that Ironic takes UUIDs only. */
  checkIdent(ident: string, minor: number): void {
    if (!atLeast(minor, MINOR_5_NODE_NAME) && !canonicalUuid(ident)) throw NodeNotFound(ident);
  }

  /**
   * Ironic's get_one: its arguments (fields, lower-cased and once each), the
   * node (404), the microversion of fields, then each field's name, one at a
   * time in the order asked.
   */
  async show(ident: string, query: Record<string, unknown>, ctx: ViewContext) {
    const { fields } = validateArgs(query, { fields: stringListArg });
    this.checkIdent(ident, ctx.minor);
    const row = await this.getRow(ident, ctx.caller);
    assertFieldsAllowedAt(fields, ctx.minor);
    const unknown = fields?.find((field) => field === 'links' || !(NODE_FIELDS as readonly string[]).includes(field));
    if (unknown !== undefined) throw invalid(`Field ${unknown} is not a valid field.`);
    return { body: toNodeView(row, ctx.base, ctx.minor, fields ?? null), etag: nodeEtag(row) };
  }

  async list({ list: query, args }: { list: ListQuery; args: NodeListArgs }, ctx: ViewContext, path = 'nodes') {
    const filters = [...nodeListFilters(args, 'n'), ...projectFilter(ctx.caller, 'n')];
    const rows = await listPage<NodeRow>(this.db, {
      table: 'nodes',
      alias: 'n',
      columns: NODE_COLUMNS.split(', ').map((c) => `n.${c}`).join(', '),
      from: 'nodes n',
      filters,
      query,
      spec: NODE_COLLECTION,
      markerNotFound: NodeNotFound,
      // ironvol has no chassis: a chassis filter names one that does not exist.
      afterMarker: async () => {
        if (args.chassis_uuid !== undefined) throw ChassisNotFound(args.chassis_uuid);
      },
    });
    // Ironic fails (500) on a field name a node does not have, once the marker is found; ironvol refuses it.
    assertKnownFields(query.fields, NODE_COLLECTION);
    const nodes = rows.map((row) => toNodeView(row, ctx.base, ctx.minor, query.fields));
    const next = nodeNextLink(ctx.base, path, query, args, rows.length, rows[rows.length - 1]?.uuid);
    return next ? { nodes, next } : { nodes };
  }

  async create(body: unknown, ctx: ViewContext) {
    const dto = validateSchema(CreateNodeDto, body, 'node');
    const uuid = canonicalUuid(dto.uuid) ?? randomUUID();
    this.checkNode(dto, uuid);
    const data = this.columnsOf(dto);
    const columns = ['uuid', 'provision_state', 'created_at', ...Object.keys(data)];
    const values: unknown[] = [uuid, 'enroll', nowIso(), ...Object.values(data)];
    await this.db
      .write((tx) =>
        tx.run(`INSERT INTO nodes (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`, values),
      )
      .catch(async (error) => {
        // Ironic names a taken name before a taken UUID; a database reports whichever constraint it checks first.
        if (dto.name && violates(classifyDbError(error), 'uniq_nodes0uuid', ['uuid'])) {
          const named = await this.db.query('SELECT id FROM nodes WHERE name = ?', [dto.name]);
          if (named.length) throw Conflict(`A node with name ${dto.name} already exists.`);
        }
        this.rethrowConflict(error, uuid, dto.name, dto.instance_uuid);
      });
    return toNodeView(await this.getRow(uuid, ctx.caller), ctx.base, ctx.minor, null);
  }

  /**
   * A PATCH, planned from the row as read outside any transaction, then
   * written under the node's row lock. If another change landed in between
   * (the version moved), the patch is planned again on the row as it is
   * under the lock, so concurrent PATCHes to different keys all land, in the
   * order they took the lock, and none is answered with a conflict.
   */
  async update(ident: string, patchBody: unknown, ifMatch: string | undefined, ctx: ViewContext) {
    const patch = validatePatchDocument(patchBody);
    assertPatchable(patch, NODE_PATCHABLE);
    // As Ironic's get_patch_values, a remove names no value, so it is not checked.
    assertPatchAllowedAt(patch.filter((op) => op.op !== 'remove').map((op) => op.path), ctx.minor);
    this.checkIdent(ident, ctx.minor);
    const planned = await this.getRow(ident, ctx.caller);
    for (const name of patchValues(patch, '/name')) {
      assertNodeName(name, `Node ${ident}: Cannot change name to invalid name '${pyStr(name)}'`);
    }
    let columns = this.patchedColumns(planned, patch);
    const updated = await this.db
      .write(async (tx) => {
        const [locked] = await this.locks.lock(tx, [planned]);
        this.locks.assertNotReserved([locked]);
        let current = planned;
        if (locked.version !== planned.version) {
          current = await this.getRow(planned.uuid, ctx.caller, tx);
          columns = this.patchedColumns(current, patch);
        }
        checkIfMatch(ifMatch, nodeEtag(current));
        const names = Object.keys(columns);
        const updatedAt = nowIso();
        await tx.run(
          `UPDATE nodes SET ${names.map((c) => `${c} = ?`).join(', ')}, version = version + 1, updated_at = ? WHERE id = ?`,
          [...names.map((c) => columns[c as WritableColumn]), updatedAt, current.id],
        );
        return { ...current, ...columns, version: current.version + 1, updated_at: updatedAt } as NodeRow;
      }, planned.uuid)
      .catch((error) => this.rethrowConflict(error, planned.uuid, columns.name as string | null, columns.instance_uuid as string | null));
    return { body: toNodeView(updated, ctx.base, ctx.minor, null), etag: nodeEtag(updated) };
  }

  /** The writable columns of a node after the patch, validated as a create would be. */
  private patchedColumns(current: NodeRow, patch: PatchOp[]): Record<string, unknown> {
    const doc: Record<string, unknown> = {};
    for (const [field, kind] of WRITABLE) {
      const value = current[field];
      doc[field] = kind === 'json' ? parseJsonColumn(value as string) : field === 'maintenance' ? Boolean(value) : value;
    }
    const patched = applyPatch(doc, patch);
    for (const key of Object.keys(patched)) if (patched[key] === undefined) delete patched[key];
    // Removing maintenance leaves Ironic's node with None, which it cannot store.
    if (!('maintenance' in patched)) patched.maintenance = null;
    const dto = validateSchema(CreateNodeDto, patched, 'patch');
    this.checkNode(dto, current.uuid);
    return this.columnsOf(dto);
  }

  /** A validated node body as its columns hold it. */
  private columnsOf(dto: CreateNodeDto): Record<WritableColumn, unknown> {
    const columns = {} as Record<WritableColumn, unknown>;
    for (const [field, kind] of WRITABLE) {
      const value = dto[field];
      columns[field] = kind === 'json' ? JSON.stringify(value ?? {}) : field === 'maintenance' ? maintenanceValue(value) : (value ?? null);
    }
    if (dto.instance_uuid) columns.instance_uuid = canonicalUuid(dto.instance_uuid);
    return columns;
  }

  /** Deletes a node with its volume connectors and targets, in one transaction. */
  async delete(ident: string, ifMatch: string | undefined, ctx: ViewContext): Promise<void> {
    this.checkIdent(ident, ctx.minor);
    const node = await this.getRow(ident, ctx.caller);
    await this.db.write(async (tx) => {
      const [locked] = await this.locks.lock(tx, [node]);
      this.locks.assertNotReserved([locked]);
      const [row] = await tx.query<NodeRow>(`SELECT ${NODE_COLUMNS} FROM nodes WHERE id = ?`, [node.id]);
      checkIfMatch(ifMatch, nodeEtag(row));
      if (row.instance_uuid) throw NodeAssociated(node.uuid, row.instance_uuid);
      if (!DELETABLE_STATES.includes(row.provision_state)) {
        throw invalid(`Can not delete node "${node.uuid}" while it is in provision state "${row.provision_state}". Valid provision states to start deletion are: ${DELETABLE_STATES.join(', ')}`);
      }
      await tx.run('DELETE FROM volume_connectors WHERE node_id = ?', [node.id]);
      await tx.run('DELETE FROM volume_targets WHERE node_id = ?', [node.id]);
      await tx.run('DELETE FROM nodes WHERE id = ?', [node.id]);
    }, node.uuid);
  }

  async states(ident: string, ctx: ViewContext) {
    uuidOrNameArg('node_ident', ident);
    this.checkIdent(ident, ctx.minor);
    return toNodeStates(await this.getRow(ident, ctx.caller), ctx.minor);
  }

  private checkNode(dto: CreateNodeDto, uuid: string): void {
    if (!this.drivers.has(dto.driver)) {
      throw invalid(
        `No valid host was found. Reason: No conductor service registered which supports driver ${dto.driver} for conductor group "".`,
      );
    }
    if (dto.name !== undefined && dto.name !== null) assertNodeName(dto.name, `Cannot create node with invalid name '${dto.name}'`);
    assertIntegerProperties(uuid, dto.properties);
  }

  private rethrowConflict(error: unknown, uuid: string, name?: string | null, instance?: string | null): never {
    const kind = classifyDbError(error);
    if (violates(kind, 'uniq_nodes0uuid', ['uuid'])) throw Conflict(`A node with UUID ${uuid} already exists.`);
    if (violates(kind, 'uniq_nodes0name', ['name'])) throw Conflict(`A node with name ${name} already exists.`);
    if (violates(kind, 'uniq_nodes0instance_uuid', ['instance_uuid'])) {
      throw Conflict(`Instance ${instance} is already associated with a node, it cannot be associated with this other node ${uuid}`);
    }
    if (kind?.kind === 'lock') throw NodeLocked(uuid, this.locks.host);
    throw error;
  }
}

/** Words of the nodes API's own paths (/v1/nodes/detail, ...), which no node may be named. */
const RESERVED_NODE_NAMES = ['maintenance', 'management', 'states', 'vendor_passthru', 'detail', 'validate'];

/** Ironic's name checks: a logical name that is not a UUID (refused with `invalid`), and not a reserved word. */
function assertNodeName(name: unknown, invalidMessage: string): void {
  if (typeof name !== 'string' || !NODE_NAME_RE.test(name) || canonicalUuid(name)) throw invalid(invalidMessage);
  if (RESERVED_NODE_NAMES.includes(name)) {
    throw invalid(`The word "${name}" is reserved and can not be used as a node name. Reserved words are: ${RESERVED_NODE_NAMES.join(', ')}.`);
  }
}

/** maintenance as Ironic reads it: a boolean, or a string read by oslo's strict bool_from_string; never None. */
function maintenanceValue(value: unknown): boolean {
  if (value === undefined) return false;
  if (value === null) throw invalid("Field `maintenance' cannot be None");
  return typeof value === 'string' ? parseBoolean(value, 'maintenance')! : Boolean(value);
}

/** Ironic's REQUIRED_INT_PROPERTIES: when given, each must be what Python's int() reads as a non-negative integer. */
const INTEGER_PROPERTIES = ['local_gb', 'cpus', 'memory_mb'];

function assertIntegerProperties(uuid: string, properties: Record<string, unknown> | null | undefined): void {
  const wrong = INTEGER_PROPERTIES.filter((name) => {
    const value = properties?.[name];
    if (value === undefined || value === null) return false;
    const number = pythonInt(value);
    return number === null || number < 0;
  }).map((name) => `${name}=${pyStr(properties![name])}`);
  if (wrong.length) {
    throw invalid(`The following properties for node ${uuid} should be non-negative integers, but provided values are: ${wrong.join(', ')}`);
  }
}
