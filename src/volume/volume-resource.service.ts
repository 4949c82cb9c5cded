import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Request } from 'express';
import { Db, Tx } from '../common/db/db.service';
import { classifyDbError, DbErrorKind } from '../common/db/db-errors';
import { Conflict, Forbidden, invalid, InvalidInputForField, IronicError, NodeNotFound } from '../common/errors/ironic-errors';
import { CollectionSpec, ListQuery } from '../common/collection/list-query';
import { listPage } from '../common/collection/list-page';
import { nextLink } from '../common/collection/next-link';
import { applyPatch, assertPatchable, patchValues, validatePatchDocument } from '../common/json-patch/json-patch';
import { links } from '../common/http/links';
import { checkIfMatch, etagOf } from '../common/http/etag';
import type { ViewContext } from '../common/http/view-context';
import { validateSchema } from '../common/validation/schema';
import { canonicalUuid, isUuidLike, requireUuid } from '../common/validation/uuid';
import { nowIso } from '../common/time';
import { NodeRef, NodeService } from '../node/node.service';
import { assertPoweredOff, NodeOfResource, NodePowerState } from '../node/powered-off.guard';
import { canSeeNode, Identity } from '../auth/identity';
import { canViewSecrets, maskSecrets } from '../auth/secrets';
import { projectFilter } from '../auth/project-scope';
import type { PolicyName } from '../auth/policy';

/** A connector or target row joined with its node's UUID and power state. */
export interface VolumeRow {
  id: number;
  uuid: string;
  node_id: number;
  node_uuid: string;
  node_power_state: string | null;
  node_owner: string | null;
  node_lessee: string | null;
  version: number;
  created_at: string;
  updated_at: string | null;
  [column: string]: unknown;
}

/** A column the client writes; its wire name is its column name. */
export interface DataField {
  name: string;
  json?: boolean;
}

/** What distinguishes volume connectors from volume targets. */
export interface VolumeKind {
  table: string;
  /** URL path below /v1, e.g. "volume/connectors". */
  path: string;
  /** "volume connector": names the guarded actions ("volume connector update"). */
  label: string;
  /** Name in "Schema error for <name>: …". */
  schemaName: string;
  /** Name in "Expected UUID for <name>: …" for the path parameter. */
  uuidParam: string;
  dto: new () => object;
  /** Data columns in the order Ironic writes them. */
  data: DataField[];
  collection: CollectionSpec;
  patchable: string[];
  /** JSON fields whose secret-looking keys only callers allowed to view target properties see. */
  masked: string[];
  notFound: (uuid: string) => IronicError;
  /** The 409 for a unique violation, or null when the violation is not this resource's. */
  conflict: (violation: DbErrorKind, values: Record<string, unknown>, uuid: string) => IronicError | null;
}

/** A PATCH worked out against the current row: what to write and which nodes it touches. */
interface UpdatePlan {
  current: VolumeRow;
  values: Record<string, unknown>;
  destination: NodeRef | null;
  nodes: NodePowerState[];
}

class StaleRow extends Error {}

const MAX_ATTEMPTS = 3;

/**
 * The volume resources' behaviour, shared by connectors and targets: one
 * query per list page (node UUIDs come from a join, not one lookup per
 * item), Ironic's validation order, and writes that lock the node rows
 * and re-check the powered-off rule before they commit.
 */
@Injectable()
export abstract class VolumeResourceService implements NodeOfResource {
  protected abstract readonly kind: VolumeKind;
  private columnList?: string;

  constructor(
    protected readonly db: Db,
    protected readonly nodes: NodeService,
  ) {}

  private get columns(): string {
    this.columnList ??= [
      'r.id', 'r.uuid', 'r.node_id', 'r.version', 'r.created_at', 'r.updated_at',
      ...this.kind.data.map((f) => `r.${f.name}`),
      'n.uuid AS node_uuid', 'n.power_state AS node_power_state', 'n.owner AS node_owner', 'n.lessee AS node_lessee',
    ].join(', ');
    return this.columnList;
  }

  private get from(): string {
    return `${this.kind.table} r JOIN nodes n ON n.id = r.node_id`;
  }

  /** The item, if the caller may see its node; a hidden item is as absent as a missing one (404). */
  async getRow(uuid: string, caller: Identity, runner: Pick<Tx, 'query'> = this.db): Promise<VolumeRow> {
    const rows = await runner.query<VolumeRow>(`SELECT ${this.columns} FROM ${this.from} WHERE r.uuid = ?`, [uuid]);
    if (!rows.length || !canSeeNode(caller, { owner: rows[0].node_owner, lessee: rows[0].node_lessee })) {
      throw this.kind.notFound(uuid);
    }
    return rows[0];
  }

  toView(row: VolumeRow, ctx: ViewContext, fields: readonly string[] | null): Record<string, unknown> {
    const wanted = fields ? new Set(fields) : null;
    const view: Record<string, unknown> = {};
    const put = (field: string, value: () => unknown) => {
      if (!wanted || wanted.has(field)) view[field] = value();
    };
    put('uuid', () => row.uuid);
    put('created_at', () => row.created_at);
    put('updated_at', () => row.updated_at);
    const unmasked = canViewSecrets(ctx.caller);
    for (const field of this.kind.data) {
      put(field.name, () => {
        if (!field.json) return row[field.name];
        const value: unknown = JSON.parse((row[field.name] as string) || '{}');
        return unmasked || !this.kind.masked.includes(field.name) ? value : maskSecrets(value);
      });
    }
    view.links = links(ctx.base, `${this.kind.path}/${row.uuid}`);
    put('node_uuid', () => row.node_uuid);
    return view;
  }

  etag(row: VolumeRow): string {
    return etagOf(row.version, row.created_at);
  }

  async show(uuidParam: string, fields: readonly string[] | null, ctx: ViewContext) {
    const row = await this.getRow(requireUuid(uuidParam, this.kind.uuidParam), ctx.caller);
    return { body: this.toView(row, ctx, fields), etag: this.etag(row) };
  }

  /** A page of the collection, optionally of one node (?node=). */
  async list(query: ListQuery, ctx: ViewContext) {
    if (query.node) return this.pageOfNode(query.node, query, ctx, this.kind.path);
    return (await this.page(query, ctx, [], this.kind.path)).body;
  }

  /** The node-scoped view, /v1/nodes/{node}/volume/…: the node's items, by UUID or name. */
  async listForNode(ident: string, query: ListQuery, ctx: ViewContext) {
    return this.pageOfNode(ident, { ...query, node: null }, ctx, `nodes/${ident}/${this.kind.path}`);
  }

  /**
   * One node's items in one query, the node matched in the join. Only an
   * empty page needs the node looked up, to tell an empty list from a node
   * that is missing or hidden from the caller (404).
   */
  private async pageOfNode(ident: string, query: ListQuery, ctx: ViewContext, path: string) {
    const uuid = canonicalUuid(ident);
    const node = uuid ? { sql: 'n.uuid = ?', params: [uuid] } : { sql: 'n.name = ?', params: [ident] };
    const page = await this.page(query, ctx, [node], path);
    if (!page.count) await this.nodes.findRef(ident, ctx.caller);
    return page.body;
  }

  private async page(query: ListQuery, ctx: ViewContext, filters: { sql: string; params: unknown[] }[], path: string) {
    const rows = await listPage<VolumeRow>(this.db, {
      table: this.kind.table,
      alias: 'r',
      columns: this.columns,
      from: this.from,
      filters: [...filters, ...projectFilter(ctx.caller, 'n')],
      query,
      spec: this.kind.collection,
      markerNotFound: this.kind.notFound,
    });
    const items = rows.map((row) => this.toView(row, ctx, query.fields));
    const key = this.kind.path.split('/')[1];
    const next = nextLink(ctx.base, path, query, rows.length, rows[rows.length - 1]?.uuid);
    return { count: rows.length, body: next ? { [key]: items, next } : { [key]: items } };
  }

  async create(body: unknown, ctx: ViewContext) {
    const dto = validateSchema(this.kind.dto, body, this.kind.schemaName) as Record<string, unknown>;
    const node = await this.nodes.findRefByUuid(canonicalUuid(dto.node_uuid)!);
    this.assertNodeInScope(node, ctx.caller, 'baremetal:volume:create');
    if (!node) throw InvalidInputForField('node_uuid', String(dto.node_uuid));
    const uuid = canonicalUuid(dto.uuid) ?? randomUUID();
    const now = nowIso();
    const values = this.dataValues(dto);
    const columns = ['uuid', 'node_id', 'version', 'created_at', ...this.kind.data.map((f) => f.name)];
    const params = [uuid, node.id, 1, now, ...this.kind.data.map((f) => this.columnValue(f, values[f.name]))];
    await this.db
      .write((tx) =>
        tx.run(`INSERT INTO ${this.kind.table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`, params),
      )
      .catch((error) => this.rethrow(error, values, uuid, String(dto.node_uuid)));
    const row: VolumeRow = {
      id: 0, uuid, node_id: node.id, node_uuid: node.uuid, node_power_state: node.power_state,
      node_owner: node.owner, node_lessee: node.lessee,
      version: 1, created_at: now, updated_at: null,
      ...Object.fromEntries(this.kind.data.map((f) => [f.name, this.columnValue(f, values[f.name])])),
    };
    return this.toView(row, ctx, null);
  }

  /**
   * Project-scoped callers may put items only on nodes of their project;
   * a node they cannot see, or one that does not exist, is a 403 for them,
   * as in Ironic, so the answer does not tell the two apart.
   */
  private assertNodeInScope(node: NodeRef | null, caller: Identity, policy: PolicyName): void {
    if (caller.project !== null && (!node || !canSeeNode(caller, node))) throw Forbidden(policy);
  }

  /** NodeOfResource: validates the PATCH or DELETE and names the nodes it touches (source first). */
  async nodesAffected(request: Request): Promise<NodePowerState[]> {
    const uuid = requireUuid(request.params.uuid, this.kind.uuidParam);
    if (request.method === 'PATCH') return (await this.planUpdate(uuid, request.body, request.identity, this.db)).nodes;
    const row = await this.getRow(uuid, request.identity);
    return [{ uuid: row.node_uuid, power_state: row.node_power_state }];
  }

  async update(uuidParam: string, patchBody: unknown, ifMatch: string | undefined, ctx: ViewContext) {
    const uuid = requireUuid(uuidParam, this.kind.uuidParam);
    const row = await this.retryStale(() =>
      this.db.write(async (tx) => {
        const plan = await this.planUpdate(uuid, patchBody, ctx.caller, tx);
        checkIfMatch(ifMatch, this.etag(plan.current));
        const locked = await this.db.lockNodes(tx, [
          { id: plan.current.node_id, uuid: plan.current.node_uuid },
          ...(plan.destination ? [plan.destination] : []),
        ]);
        assertPoweredOff(this.inPlanOrder(plan, locked), `${this.kind.label} update`);
        const nodeId = plan.destination?.id ?? plan.current.node_id;
        const sets = this.kind.data.map((f) => `${f.name} = ?`);
        const now = nowIso();
        const changed = await tx.run(
          `UPDATE ${this.kind.table} SET ${sets.join(', ')}, node_id = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?`,
          [
            ...this.kind.data.map((f) => this.columnValue(f, plan.values[f.name])),
            nodeId, now, plan.current.id, plan.current.version,
          ],
        ).catch((error) => this.rethrow(error, plan.values, uuid, plan.destination?.uuid));
        if (!changed) throw new StaleRow();
        return this.getRow(uuid, ctx.caller, tx);
      }),
    );
    return { body: this.toView(row, ctx, null), etag: this.etag(row) };
  }

  async delete(uuidParam: string, ifMatch: string | undefined, ctx: ViewContext): Promise<void> {
    const uuid = requireUuid(uuidParam, this.kind.uuidParam);
    await this.retryStale(() =>
      this.db.write(async (tx) => {
        const current = await this.getRow(uuid, ctx.caller, tx);
        checkIfMatch(ifMatch, this.etag(current));
        const locked = await this.db.lockNodes(tx, [{ id: current.node_id, uuid: current.node_uuid }]);
        assertPoweredOff(locked, `${this.kind.label} deletion`);
        const deleted = await tx.run(`DELETE FROM ${this.kind.table} WHERE id = ? AND version = ?`, [current.id, current.version]);
        if (!deleted) throw new StaleRow();
      }),
    );
  }

  /**
   * Works a PATCH out in Ironic's order: the patch document, the allowed
   * paths, node_uuid formats, the item (404), applying the patch, the
   * destination node (400), then the patched item against the create schema.
   */
  private async planUpdate(uuid: string, patchBody: unknown, caller: Identity, runner: Pick<Tx, 'query'>): Promise<UpdatePlan> {
    const patch = validatePatchDocument(patchBody);
    assertPatchable(patch, this.kind.patchable);
    for (const value of patchValues(patch, '/node_uuid')) {
      if (!isUuidLike(value)) throw invalid(`Expected a UUID for node_uuid, but received ${String(value)}.`);
    }
    const current = await this.getRow(uuid, caller, runner);
    const doc: Record<string, unknown> = { uuid: current.uuid, node_uuid: current.node_uuid };
    for (const field of this.kind.data) {
      doc[field.name] = field.json ? JSON.parse((current[field.name] as string) || '{}') : current[field.name];
    }
    const patched = applyPatch(doc, patch);

    let destination: NodeRef | null = null;
    const target = canonicalUuid(patched.node_uuid);
    if (target && target !== current.node_uuid) {
      destination = await this.nodes.findRefByUuid(target);
      this.assertNodeInScope(destination, caller, 'baremetal:volume:update');
      if (!destination) throw invalid(NodeNotFound(String(patched.node_uuid)).message);
    }
    for (const key of Object.keys(patched)) if (patched[key] === undefined) delete patched[key];
    const dto = validateSchema(this.kind.dto, patched, 'patch') as Record<string, unknown>;
    const source = { uuid: current.node_uuid, power_state: current.node_power_state };
    return {
      current,
      values: this.dataValues(dto),
      destination,
      nodes: destination ? [source, destination] : [source],
    };
  }

  /** Locked node states, source node first as the guard reports them. */
  private inPlanOrder(plan: UpdatePlan, locked: { id: number; uuid: string; power_state: string | null }[]) {
    const byId = new Map(locked.map((n) => [n.id, n]));
    const order = [plan.current.node_id, ...(plan.destination ? [plan.destination.id] : [])];
    return order.map((id) => {
      const node = byId.get(id);
      if (!node) throw NodeNotFound(String(id));
      return node;
    });
  }

  private dataValues(dto: Record<string, unknown>): Record<string, unknown> {
    return Object.fromEntries(this.kind.data.map((f) => [f.name, dto[f.name] ?? (f.json ? {} : null)]));
  }

  private columnValue(field: DataField, value: unknown): unknown {
    return field.json ? JSON.stringify(value ?? {}) : value;
  }

  private rethrow(error: unknown, values: Record<string, unknown>, uuid: string, nodeUuid?: string): never {
    const kind = classifyDbError(error);
    if (kind?.kind === 'unique') throw this.kind.conflict(kind, values, uuid) ?? error;
    if (kind?.kind === 'foreign-key') throw InvalidInputForField('node_uuid', nodeUuid ?? '');
    throw error;
  }

  /** Re-runs a write that found its row changed by a concurrent request since it read it. */
  private async retryStale<T>(write: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await write();
      } catch (error) {
        if (!(error instanceof StaleRow)) throw error;
        if (attempt >= MAX_ATTEMPTS) throw Conflict(`The ${this.kind.label} was changed by another request; please retry.`);
      }
    }
  }
}

