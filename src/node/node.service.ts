import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { canSeeNode, Identity } from '../auth/identity';
import { projectFilter } from '../auth/project-scope';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Db, Tx } from '../common/db/db.service';
import { classifyDbError, violates } from '../common/db/db-errors';
import {
  Conflict,
  invalid,
  IronicError,
  InvalidStateRequested,
  MissingParameter,
  NodeAssociated,
  NodeLocked,
  NodeNotFound,
} from '../common/errors/ironic-errors';
import { CollectionSpec, ListQuery, parseBoolean, queryString } from '../common/collection/list-query';
import { listPage } from '../common/collection/list-page';
import { nextLink } from '../common/collection/next-link';
import { applyPatch, assertPatchable, validatePatchDocument } from '../common/json-patch/json-patch';
import { isPlainObject, validateSchema } from '../common/validation/schema';
import { canonicalUuid, NODE_NAME_RE } from '../common/validation/uuid';
import { MINOR_27_SOFT_POWER_OFF, MINOR_5_NODE_NAME } from '../common/microversion/microversion';
import { nowIso } from '../common/time';
import type { ViewContext } from '../common/http/view-context';
import { powerActions } from '../observability/metrics';
import { CreateNodeDto, POWER_TARGETS, PowerTarget, SetPowerStateDto, SetProvisionStateDto } from './dto/node.dto';
import { DELETABLE_STATES, provisionTransition } from './provision-states';
import { NODE_COLUMNS, NODE_DEFAULT_FIELDS, NODE_FIELDS, NodeRow, parseJsonColumn, toNodeStates, toNodeView } from './node.mapper';
import { POWER_DRIVERS, PowerDriver } from './power/power-driver';

export const NODE_COLLECTION: CollectionSpec = {
  fields: NODE_FIELDS,
  defaultFields: NODE_DEFAULT_FIELDS,
  sortable: [
    'id', 'uuid', 'name', 'driver', 'owner', 'lessee', 'power_state', 'target_power_state', 'provision_state',
    'maintenance', 'instance_uuid', 'resource_class', 'created_at', 'updated_at',
  ],
  unsortable: ['properties', 'extra', 'driver_info', 'instance_info'],
  nullable: ['name', 'owner', 'lessee', 'power_state', 'target_power_state', 'instance_uuid', 'resource_class', 'updated_at'],
};

/** Fields a node PATCH may change (a subset of Ironic's PATCH_ALLOWED_FIELDS for nodes). */
export const NODE_PATCHABLE = [
  'description', 'driver', 'driver_info', 'extra', 'instance_info', 'instance_uuid', 'lessee', 'maintenance',
  'maintenance_reason', 'name', 'owner', 'properties', 'resource_class',
];

/** The writable fields of a node: the wire name and its column. */
const WRITABLE: Array<[keyof CreateNodeDto, string, 'json' | 'plain']> = [
  ['driver', 'driver', 'plain'],
  ['name', 'name', 'plain'],
  ['description', 'description', 'plain'],
  ['owner', 'owner', 'plain'],
  ['lessee', 'lessee', 'plain'],
  ['resource_class', 'resource_class', 'plain'],
  ['instance_uuid', 'instance_uuid', 'plain'],
  ['maintenance', 'maintenance', 'plain'],
  ['maintenance_reason', 'maintenance_reason', 'plain'],
  ['properties', 'properties', 'json'],
  ['extra', 'extra', 'json'],
  ['driver_info', 'driver_info', 'json'],
  ['instance_info', 'instance_info', 'json'],
];

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
  private readonly drivers: Map<string, PowerDriver>;

  constructor(
    private readonly db: Db,
    @Inject(POWER_DRIVERS) drivers: PowerDriver[],
  ) {
    this.drivers = new Map(drivers.map((d) => [d.name, d]));
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
  private checkIdent(ident: string, minor: number): void {
    if (minor < MINOR_5_NODE_NAME && !canonicalUuid(ident)) throw NodeNotFound(ident);
  }

  async show(ident: string, fields: readonly string[] | null, ctx: ViewContext) {
    this.checkIdent(ident, ctx.minor);
    return toNodeView(await this.getRow(ident, ctx.caller), ctx.base, ctx.minor, fields);
  }

  async list(query: ListQuery, rawQuery: Record<string, unknown>, ctx: ViewContext, path = 'nodes') {
    const filters: { sql: string; params: unknown[] }[] = [];
    for (const column of ['driver', 'provision_state', 'owner', 'lessee', 'resource_class']) {
      const value = queryString(rawQuery, column);
      if (value !== undefined) filters.push({ sql: `n.${column} = ?`, params: [value] });
    }
    const maintenance = parseBoolean(queryString(rawQuery, 'maintenance'), 'maintenance');
    if (maintenance !== undefined) filters.push({ sql: 'n.maintenance = ?', params: [maintenance] });
    const associated = parseBoolean(queryString(rawQuery, 'associated'), 'associated');
    if (associated !== undefined) {
      filters.push({ sql: `n.instance_uuid IS ${associated ? 'NOT ' : ''}NULL`, params: [] });
    }
    filters.push(...projectFilter(ctx.caller, 'n'));
    const rows = await listPage<NodeRow>(this.db, {
      table: 'nodes',
      alias: 'n',
      columns: NODE_COLUMNS.split(', ').map((c) => `n.${c}`).join(', '),
      from: 'nodes n',
      filters,
      query,
      spec: NODE_COLLECTION,
      markerNotFound: NodeNotFound,
    });
    const nodes = rows.map((row) => toNodeView(row, ctx.base, ctx.minor, query.fields));
    const next = nextLink(ctx.base, path, query, rows.length, rows[rows.length - 1]?.uuid);
    return next ? { nodes, next } : { nodes };
  }

  async create(body: unknown, ctx: ViewContext) {
    const dto = validateSchema(CreateNodeDto, body, 'node');
    this.checkNode(dto);
    const uuid = canonicalUuid(dto.uuid) ?? randomUUID();
    const now = nowIso();
    const columns = ['uuid', 'provision_state', 'created_at'];
    const values: unknown[] = [uuid, 'enroll', now];
    for (const [field, column, kind] of WRITABLE) {
      const value = dto[field];
      columns.push(column);
      values.push(kind === 'json' ? JSON.stringify(value ?? {}) : field === 'maintenance' ? Boolean(value) : (value ?? null));
    }
    if (dto.instance_uuid) values[columns.indexOf('instance_uuid')] = canonicalUuid(dto.instance_uuid);
    await this.db
      .write((tx) =>
        tx.run(`INSERT INTO nodes (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`, values),
      )
      .catch((error) => this.rethrowConflict(error, uuid, dto.name, dto.instance_uuid));
    return toNodeView(await this.getRow(uuid, ctx.caller), ctx.base, ctx.minor, null);
  }

  async update(ident: string, patchBody: unknown, ctx: ViewContext) {
    this.checkIdent(ident, ctx.minor);
    const patch = validatePatchDocument(patchBody);
    assertPatchable(patch, NODE_PATCHABLE);
    const current = await this.getRow(ident, ctx.caller);
    const doc: Record<string, unknown> = {};
    for (const [field, column, kind] of WRITABLE) {
      const value = (current as unknown as Record<string, unknown>)[column];
      doc[field] = kind === 'json' ? parseJsonColumn(value as string) : field === 'maintenance' ? Boolean(value) : value;
    }
    const patched = applyPatch(doc, patch);
    for (const key of Object.keys(patched)) if (patched[key] === undefined) delete patched[key];
    const dto = validateSchema(CreateNodeDto, patched, 'patch');
    this.checkNode(dto);
    const sets: string[] = [];
    const values: unknown[] = [];
    for (const [field, column, kind] of WRITABLE) {
      const value = dto[field];
      sets.push(`${column} = ?`);
      values.push(kind === 'json' ? JSON.stringify(value ?? {}) : field === 'maintenance' ? Boolean(value) : (value ?? null));
    }
    if (dto.instance_uuid) values[WRITABLE.findIndex(([f]) => f === 'instance_uuid')] = canonicalUuid(dto.instance_uuid);
    sets.push('updated_at = ?');
    values.push(nowIso(), current.id);
    await this.db
      .write((tx) => tx.run(`UPDATE nodes SET ${sets.join(', ')} WHERE id = ?`, values), current.uuid)
      .catch((error) => this.rethrowConflict(error, current.uuid, dto.name, dto.instance_uuid));
    return toNodeView(await this.getRow(current.uuid, ctx.caller), ctx.base, ctx.minor, null);
  }

  /** Deletes a node with its volume connectors and targets, in one transaction. */
  async delete(ident: string, ctx: ViewContext): Promise<void> {
    this.checkIdent(ident, ctx.minor);
    const node = await this.getRow(ident, ctx.caller);
    await this.db.write(async (tx) => {
      const [locked] = await this.db.lockNodes(tx, [node]);
      if (!locked) throw NodeNotFound(ident);
      const [row] = await tx.query<{ instance_uuid: string | null; provision_state: string }>(
        'SELECT instance_uuid, provision_state FROM nodes WHERE id = ?',
        [node.id],
      );
      if (row?.instance_uuid) throw NodeAssociated(node.uuid, row.instance_uuid);
      if (!DELETABLE_STATES.includes(row.provision_state)) {
        throw invalid(`Can not delete node "${node.uuid}" while it is in provision state "${row.provision_state}". Valid provision states to start deletion are: ${DELETABLE_STATES.join(', ')}`);
      }
      await tx.run('DELETE FROM volume_connectors WHERE node_id = ?', [node.id]);
      await tx.run('DELETE FROM volume_targets WHERE node_id = ?', [node.id]);
      await tx.run('DELETE FROM nodes WHERE id = ?', [node.id]);
    }, node.uuid);
  }

  async states(ident: string, ctx: ViewContext) {
    this.checkIdent(ident, ctx.minor);
    return toNodeStates(await this.getRow(ident, ctx.caller));
  }

  /**
   * Changes a node's power under its row lock, so that a volume change on
   * the same node waits for it (or the other way round) instead of both
   * acting on a power state that is no longer true.
   */
  async setPowerState(ident: string, body: unknown, ctx: ViewContext): Promise<void> {
    const minor = ctx.minor;
    this.checkIdent(ident, minor);
    // Ironic takes these as arguments rather than through a schema, and words their errors so.
    if (isPlainObject(body) && body.target === undefined) throw MissingParameter('target');
    if (isPlainObject(body) && Number.isInteger(body.timeout) && (body.timeout as number) < 1) {
      throw invalid('timeout has to be positive integer');
    }
    const dto = validateSchema(SetPowerStateDto, body, 'power');
    const node = await this.getRow(ident, ctx.caller);
    const target = dto.target as PowerTarget;
    if (!POWER_TARGETS.includes(target)) throw InvalidStateRequested(dto.target, node.uuid, node.power_state);
    const soft = target === 'soft power off' || target === 'soft rebooting';
    if ((soft || (dto.timeout !== undefined && dto.timeout !== null)) && minor < MINOR_27_SOFT_POWER_OFF) {
      throw new IronicError(HttpStatus.NOT_ACCEPTABLE, 'Request not acceptable.');
    }
    const driver = this.drivers.get(node.driver);
    if (!driver) throw invalid(`The driver ${node.driver} of node ${node.uuid} is not loaded.`);
    await this.db.write(async (tx) => {
      const [locked] = await this.db.lockNodes(tx, [node]);
      if (!locked) throw NodeNotFound(ident);
      const state = await driver.setPowerState(locked, target, dto.timeout ?? undefined).catch((error) => {
        powerActions.inc({ target, result: 'failed' });
        throw error;
      });
      powerActions.inc({ target, result: 'done' });
      await tx.run('UPDATE nodes SET power_state = ?, target_power_state = NULL, updated_at = ? WHERE id = ?', [
        state,
        nowIso(),
        node.id,
      ]);
    }, node.uuid);
  }

  /**
   * Moves a node through Ironic's provisioning state machine. fake-hardware
   * finishes every step at once, so the node lands in the stable state.
   */
  async setProvisionState(ident: string, body: unknown, ctx: ViewContext): Promise<void> {
    this.checkIdent(ident, ctx.minor);
    const dto = validateSchema(SetProvisionStateDto, body, 'provision');
    const node = await this.getRow(ident, ctx.caller);
    await this.db.write(async (tx) => {
      const [locked] = await this.db.lockNodes(tx, [node]);
      if (!locked) throw NodeNotFound(ident);
      const [row] = await tx.query<{ provision_state: string }>('SELECT provision_state FROM nodes WHERE id = ?', [node.id]);
      const next = provisionTransition(row.provision_state, dto.target);
      if (!next) throw InvalidStateRequested(dto.target, node.uuid, row.provision_state);
      const now = nowIso();
      await tx.run(
        'UPDATE nodes SET provision_state = ?, target_provision_state = NULL, provision_updated_at = ?, updated_at = ? WHERE id = ?',
        [next, now, now, node.id],
      );
    }, node.uuid);
  }

  private checkNode(dto: CreateNodeDto): void {
    if (!this.drivers.has(dto.driver)) {
      throw invalid(
        `No valid host was found. Reason: No conductor service registered which supports driver ${dto.driver} for conductor group "".`,
      );
    }
    if (dto.name !== undefined && dto.name !== null && (!NODE_NAME_RE.test(dto.name) || canonicalUuid(dto.name))) {
      throw invalid(`Cannot create node with invalid name '${dto.name}'`);
    }
  }

  private rethrowConflict(error: unknown, uuid: string, name?: string | null, instance?: string | null): never {
    const kind = classifyDbError(error);
    if (violates(kind, 'uniq_nodes0uuid', ['uuid'])) throw Conflict(`A node with UUID ${uuid} already exists.`);
    if (violates(kind, 'uniq_nodes0name', ['name'])) throw Conflict(`A node with name ${name} already exists.`);
    if (violates(kind, 'uniq_nodes0instance_uuid', ['instance_uuid'])) {
      throw Conflict(`Instance ${instance} is already associated with a node, it cannot be associated with this other node ${uuid}`);
    }
    if (kind?.kind === 'lock') throw NodeLocked(uuid, hostname());
    throw error;
  }
}
