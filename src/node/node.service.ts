import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module';
import type { ServiceConfig } from '../config/config';
import { canSeeNode } from '../auth/identity';
import { projectFilter } from '../auth/project-scope';
import type { Tx } from '../common/db/db.service';
import { classifyDbError, violates } from '../common/db/db-errors';
import { ChassisNotFound, Conflict, invalid, NodeAssociated, NodeNotFound } from '../common/errors/ironic-errors';
import { assertKnownFields, capLimit } from '../common/collection/list-query';
import type { Identity } from '../common/http/identity';
import { checkIfMatch, etagOf } from '../common/http/etag';
import type { ViewContext } from '../common/http/view-context';
import { PatchOp, patchValues } from '../common/json-patch/json-patch';
import { pyStr } from '../common/validation/py-repr';
import { canonicalUuid, NODE_NAME_RE } from '../common/validation/uuid';
import { nowIso } from '../common/time';
import { assertNodeName, nodeOfCreate, patchedNodeColumns } from './node-body';
import { assertFieldsAllowedAt, NODE_COLLECTION, NodeListRequest, nodeListFilters, nodeNextLink } from './node-list-query';
import { NODE_FIELDS, toNodeStates, toNodeView } from './node.mapper';
import { NodeChange, NodeRef, NodeRepository, NodeRow } from './node.repository';
import { DELETABLE_STATES } from './provision-states';
import { PowerDrivers } from './power/power-drivers';

export const nodeEtag = (row: Pick<NodeRow, 'version' | 'created_at'>) => etagOf(row.version, row.created_at);

/** Nodes as the API shows and changes them, with Ironic's checks in Ironic's order. */
@Injectable()
export class NodeService {
  constructor(
    private readonly nodes: NodeRepository,
    private readonly drivers: PowerDrivers,
    @Inject(APP_CONFIG) private readonly config: ServiceConfig,
  ) {}

  /**
   * A node by UUID or name, as every /v1/nodes/{node_ident} path takes it, if
   * the caller may see it; one it may not is as absent as a missing one (404),
   * as Ironic conceals it.
   */
  async getRow(ident: string, caller: Identity, runner?: Pick<Tx, 'query'>): Promise<NodeRow> {
    const uuid = canonicalUuid(ident);
    if (!uuid && !NODE_NAME_RE.test(ident)) {
      throw invalid(`Expected a logical name or UUID but received ${ident}.`);
    }
    const row = await this.nodes.findByIdent(uuid ?? ident, uuid !== null, runner);
    if (!row || !canSeeNode(caller, row)) throw NodeNotFound(ident);
    return row;
  }

  /** A reference to a node the caller may see, by UUID or name; 404 otherwise. */
  async findRef(ident: string, caller: Identity): Promise<NodeRef> {
    const uuid = canonicalUuid(ident);
    const ref = await this.nodes.findRef(uuid ?? ident, uuid !== null);
    if (!ref || !canSeeNode(caller, ref)) throw NodeNotFound(ident);
    return ref;
  }

  /** A node reference by UUID, or null, whoever may see it (callers check the scope). */
  findRefByUuid(uuid: string): Promise<NodeRef | null> {
    return this.nodes.findRef(uuid, true);
  }

  /**
   * Ironic's get_one: the node (404), the microversion of fields, then each
   * field's name, one at a time in the order asked.
   */
  async show({ ident, fields }: { ident: string; fields: string[] | undefined }, ctx: ViewContext) {
    const row = await this.getRow(ident, ctx.caller);
    assertFieldsAllowedAt(fields, ctx.minor);
    const unknown = fields?.find((field) => field === 'links' || !(NODE_FIELDS as readonly string[]).includes(field));
    if (unknown !== undefined) throw invalid(`Field ${unknown} is not a valid field.`);
    return { body: toNodeView(row, ctx.base, ctx.minor, fields ?? null), etag: nodeEtag(row) };
  }

  async list({ list, args }: NodeListRequest, ctx: ViewContext, path = 'nodes') {
    const query = capLimit(list, this.config.maxLimit);
    const rows = await this.nodes.page({
      query,
      spec: NODE_COLLECTION,
      filters: [...nodeListFilters(args, 'n'), ...projectFilter(ctx.caller, 'n')],
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
    const { uuid, name, columns } = nodeOfCreate(body, this.drivers);
    await this.nodes
      .write(uuid, (tx) => this.nodes.insert(tx, { uuid, provision_state: 'enroll', created_at: nowIso(), ...columns }))
      .catch(async (error) => {
        // Ironic names a taken name before a taken UUID; a database reports whichever constraint it checks first.
        if (name && violates(classifyDbError(error), 'uniq_nodes0uuid', ['uuid']) && (await this.nodes.hasName(name))) {
          throw Conflict(`A node with name ${name} already exists.`);
        }
        rethrowConflict(error, uuid, columns);
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
  async update({ ident, patch }: { ident: string; patch: PatchOp[] }, ifMatch: string | undefined, ctx: ViewContext) {
    const planned = await this.getRow(ident, ctx.caller);
    for (const name of patchValues(patch, '/name')) {
      assertNodeName(name, `Node ${ident}: Cannot change name to invalid name '${pyStr(name)}'`);
    }
    let columns: NodeChange = patchedNodeColumns(planned, patch, this.drivers);
    const updated = await this.nodes
      .write(planned.uuid, async (tx) => {
        const [locked] = await this.nodes.acquire(tx, [planned], 'node update');
        let current = planned;
        if (locked.version !== planned.version) {
          current = await this.getRow(planned.uuid, ctx.caller, tx);
          columns = patchedNodeColumns(current, patch, this.drivers);
        }
        checkIfMatch(ifMatch, nodeEtag(current));
        const updatedAt = await this.nodes.update(tx, current.id, columns);
        return { ...current, ...columns, version: current.version + 1, updated_at: updatedAt } as NodeRow;
      })
      .catch((error) => rethrowConflict(error, planned.uuid, columns));
    return { body: toNodeView(updated, ctx.base, ctx.minor, null), etag: nodeEtag(updated) };
  }

  /** Deletes a node; its volume connectors and targets go with it (the foreign keys cascade). */
  async delete(ident: string, ifMatch: string | undefined, ctx: ViewContext): Promise<void> {
    const node = await this.getRow(ident, ctx.caller);
    await this.nodes.write(node.uuid, async (tx) => {
      await this.nodes.acquire(tx, [node], 'node deletion');
      const row = (await this.nodes.findById(tx, node.id))!;
      checkIfMatch(ifMatch, nodeEtag(row));
      if (row.instance_uuid) throw NodeAssociated(node.uuid, row.instance_uuid);
      if (!DELETABLE_STATES.includes(row.provision_state)) {
        throw invalid(`Can not delete node "${node.uuid}" while it is in provision state "${row.provision_state}". Valid provision states to start deletion are: ${DELETABLE_STATES.join(', ')}`);
      }
      await this.nodes.delete(tx, node.id);
    });
  }

  async states(ident: string, ctx: ViewContext) {
    return toNodeStates(await this.getRow(ident, ctx.caller), ctx.minor);
  }
}

/** The 409 for a unique key another node holds. */
function rethrowConflict(error: unknown, uuid: string, columns: NodeChange): never {
  const kind = classifyDbError(error);
  if (violates(kind, 'uniq_nodes0uuid', ['uuid'])) throw Conflict(`A node with UUID ${uuid} already exists.`);
  if (violates(kind, 'uniq_nodes0name', ['name'])) throw Conflict(`A node with name ${columns.name} already exists.`);
  if (violates(kind, 'uniq_nodes0instance_uuid', ['instance_uuid'])) {
    throw Conflict(`Instance ${columns.instance_uuid} is already associated with a node, it cannot be associated with this other node ${uuid}`);
  }
  throw error;
}
