import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Tx } from '../../common/db/db.service';
import { APP_CONFIG } from '../../config/config.module';
import type { ServiceConfig } from '../../config/config';
import { classifyDbError } from '../../common/db/db-errors';
import { Conflict, InvalidInputForField } from '../../common/errors/ironic-errors';
import { assertKnownFields, capLimit, ListQuery, ListRequest } from '../../common/collection/list-query';
import type { RequestArgs } from '../../common/http/args.decorator';
import { checkVolumeListArgs, VolumeListArgs } from './volume-list-query';
import { assertExpectedArgs } from '../../common/collection/query-args';
import { nextLink } from '../../common/collection/next-link';
import { checkIfMatch } from '../../common/http/etag';
import type { ViewContext } from '../../common/http/view-context';
import { isLimitError, isPlainObject, validateSchema } from '../../common/validation/schema';
import { canonicalUuid, requireUuid } from '../../common/validation/uuid';
import { nowIso } from '../../common/time';
import type { Identity } from '../../common/http/identity';
import { assertAllowed } from '../../auth/policy';
import { projectFilter } from '../../auth/project-scope';
import { NodeService } from '../../node/node.service';
import { NodeRepository } from '../../node/node.repository';
import { assertPoweredOff, ChangeKind, ChangePlanner } from '../../node/powered-off.guard';
import { changeAction, VOLUME_KIND, VolumeKind, VolumeRow } from './volume-kind';
import { Filter, VolumeRepository } from './volume.repository';
import { VolumeView } from './volume.view';
import { DeletePlan, UpdatePlan, VolumePlanner } from './volume-change.plan';
import { VolumeEvents } from './volume-events';
import type { VolumeSnapshot } from './volume-payload';

const MAX_ATTEMPTS = 3;
const STALE = Symbol('stale');

/**
 * The behaviour of volume connectors and targets: create, show, list,
 * update and delete, with Ironic's checks in Ironic's order.
 *
 * One plan per attempt, one lock. PoweredOffGuard asks plan() for the
 * request's change; the plan is made once, outside any transaction (it
 * validates the request, reads the item and any destination node, and
 * applies the patch), and the guard refuses it while a node it touches is
 * powered on. The handler gets the same plan (@Planned()) and writes it in
 * one short transaction: lock the node rows, check the rule again on the
 * locked state (a power-on may have landed since the guard looked), and
 * change the row only at the version planned against. A row changed by
 * another request in between means a new attempt: plan again from the new
 * row (a patch is pure, so planning it again gives what Ironic would give
 * for the request arriving now), outside the transaction.
 *
 * A request-scoped transaction (nestjs-cls with @nestjs-cls/transactional)
 * would let the guard open the unit of work and the handler finish it; it
 * would also hold a pooled connection while the request body is validated
 * and across Nest's pipeline. Handing the plan over keeps every
 * transaction to the locked check and the write.
 */
@Injectable()
export abstract class VolumeResourceService<Data> implements ChangePlanner {
  constructor(
    @Inject(VOLUME_KIND) readonly kind: VolumeKind<Data>,
    private readonly rows: VolumeRepository<Data>,
    private readonly view: VolumeView<Data>,
    private readonly planner: VolumePlanner<Data>,
    private readonly events: VolumeEvents,
    private readonly nodeRows: NodeRepository,
    private readonly nodes: NodeService,
    @Inject(APP_CONFIG) private readonly config: ServiceConfig,
  ) {}

  /** ChangePlanner: the PATCH or DELETE of the request, planned for PoweredOffGuard. */
  async plan(change: ChangeKind, { params, query, body }: RequestArgs, caller: Identity): Promise<UpdatePlan<Data> | DeletePlan<Data>> {
    assertExpectedArgs(query, []);
    const uuid = requireUuid(params.uuid, this.kind.uuidParam);
    return change === 'update' ? this.planner.update(uuid, body, caller) : this.planner.delete(uuid, caller);
  }

  /** The item, 404 if it is missing or on a node hidden from the caller. */
  find(uuidParam: string, caller: Identity): Promise<VolumeRow<Data>> {
    return this.planner.find(requireUuid(uuidParam, this.kind.uuidParam), caller);
  }

  /** Ironic's order: unknown arguments, the UUID, the fields argument, the item (404), the fields' names. */
  async show({ uuid, fields }: { uuid: string; fields: string[] | undefined }, ctx: ViewContext) {
    const row = await this.planner.find(uuid, ctx.caller);
    assertKnownFields(fields ?? null, this.kind.collection);
    return { body: this.view.render(row, ctx, fields ?? null), etag: this.view.etag(row) };
  }

  /** A page of the collection, optionally of one node (?node=). */
  async list(request: ListRequest, ctx: ViewContext) {
    const query = capLimit(request, this.config.maxLimit);
    if (query.node) return this.pageOfNode(query.node, query, ctx, this.kind.path);
    return this.page(query, ctx, null, this.kind.path);
  }

  /**
   * The node-scoped view, /v1/nodes/{node}/volume/…: the node's items, by
   * UUID or name. As in Ironic, the arguments are checked first, then the
   * node (404), then the rest of the query: a refusal of the query is
   * preceded by a look-up of the node, which a good answer does not need.
   */
  async listForNode({ ident, args }: { ident: string; args: VolumeListArgs }, ctx: ViewContext) {
    try {
      const query = { ...capLimit(checkVolumeListArgs(args, this.kind.collection), this.config.maxLimit), node: null };
      return await this.pageOfNode(ident, query, ctx, `nodes/${ident}/${this.kind.path}`);
    } catch (error) {
      await this.nodes.findRef(ident, ctx.caller);
      throw error;
    }
  }

  /**
   * One node's items in one query, the node matched in the join. Only an
   * empty page needs the node looked up, to tell an empty list from a node
   * that is missing or hidden from the caller (404).
   */
  private async pageOfNode(ident: string, query: ListQuery, ctx: ViewContext, path: string) {
    const uuid = canonicalUuid(ident);
    const node = uuid ? { sql: 'n.uuid = ?', params: [uuid] } : { sql: 'n.name = ?', params: [ident] };
    const nodeExists = () => this.nodes.findRef(ident, ctx.caller);
    return this.page(query, ctx, node, path, nodeExists);
  }

  /**
   * The page's rows in one query; the filtered node is looked up only to
   * tell an empty page from a missing node, or before refusing an unknown
   * sort key (Ironic looks the node up first).
   */
  private async page(query: ListQuery, ctx: ViewContext, node: Filter | null, path: string, nodeExists?: () => Promise<unknown>) {
    const rows = await this.rows.page(query, { node, scope: projectFilter(ctx.caller, 'n') }, nodeExists);
    if (!rows.length) await nodeExists?.();
    assertKnownFields(query.fields, this.kind.collection);
    const items = rows.map((row) => this.view.render(row, ctx, query.fields));
    const key = this.kind.path.split('/')[1];
    const next = nextLink(ctx.base, path, query, rows.length, rows[rows.length - 1]?.uuid);
    return next ? { [key]: items, next } : { [key]: items };
  }

  /** Creates are not guarded: Ironic adds connectors and targets to nodes in any power state. */
  async create(body: unknown, ctx: ViewContext) {
    const dto = (await this.validateCreate(body, ctx.caller)) as { node_uuid: string; uuid?: string | null };
    const node = await this.nodes.findRefByUuid(canonicalUuid(dto.node_uuid)!);
    assertAllowed(ctx.caller, 'baremetal:volume:create', node);
    if (!node) throw InvalidInputForField('node_uuid', String(dto.node_uuid));
    const uuid = canonicalUuid(dto.uuid) ?? randomUUID();
    const data = this.planner.dataOf(dto);
    const createdAt = nowIso();
    const announced: VolumeSnapshot = { uuid, node_uuid: node.uuid, created_at: null, updated_at: null, data: data as Record<string, unknown> };
    await this.nodeRows
      .write(node.uuid, async (tx) => {
        await this.rows.insert(tx, { uuid, nodeId: node.id, createdAt, data });
        await this.events.changed(tx, 'create', announced, { ...announced, created_at: createdAt });
      })
      .catch((error) => this.rethrow(error, data, uuid, dto.node_uuid, node.id))
      .catch((error) => this.events.refused('create', announced, error));
    const row = {
      id: 0, uuid, node_id: node.id, node_uuid: node.uuid, node_power_state: node.power_state,
      node_owner: node.owner, node_lessee: node.lessee, version: 1, created_at: createdAt, updated_at: null,
      ...this.rows.stored(data),
    } as VolumeRow<Data>;
    return this.view.render(row, ctx, null);
  }

  async update(plan: UpdatePlan<Data>, patch: unknown, ifMatch: string | undefined, ctx: ViewContext) {
    const action = changeAction(this.kind, 'update');
    const row = await this.attempt(
      plan,
      () => this.planner.update(plan.current.uuid, patch, ctx.caller),
      (p) =>
        this.nodeRows.write(nodesOf(p), async (tx) => {
          checkIfMatch(ifMatch, this.view.etag(p.current));
          await this.lockPoweredOff(tx, p, action);
          const announced = this.snapshot(p);
          // A patch that changes nothing writes nothing: updated_at and the ETag stay, as in Ironic.
          if (!p.destination && this.rows.unchanged(p.current, p.data)) {
            await this.events.changed(tx, 'update', announced, announced);
            return p.current;
          }
          const nodeId = p.destination?.id ?? p.current.node_id;
          const updatedAt = nowIso();
          const changed = await this.rows
            .update(tx, p.current, { data: p.data, nodeId, updatedAt })
            .catch((error) => this.rethrow(error, p.data, p.current.uuid, p.destination?.uuid, null));
          if (!changed) return STALE;
          await this.events.changed(tx, 'update', announced, { ...announced, updated_at: updatedAt });
          return {
            ...p.current,
            ...this.rows.stored(p.data),
            node_id: nodeId,
            node_uuid: p.destination?.uuid ?? p.current.node_uuid,
            version: p.current.version + 1,
            updated_at: updatedAt,
          };
        }),
    ).catch((error) => this.refused(plan, error));
    return { body: this.view.render(row, ctx, null), etag: this.view.etag(row) };
  }

  async delete(plan: DeletePlan<Data>, ifMatch: string | undefined, ctx: ViewContext): Promise<void> {
    const action = changeAction(this.kind, 'deletion');
    await this.attempt(
      plan,
      () => this.planner.delete(plan.current.uuid, ctx.caller),
      (p) =>
        this.nodeRows.write(nodesOf(p), async (tx) => {
          checkIfMatch(ifMatch, this.view.etag(p.current));
          await this.lockPoweredOff(tx, p, action);
          if (!(await this.rows.delete(tx, p.current))) return STALE;
          const item = this.snapshot(p);
          await this.events.changed(tx, 'delete', item, item);
          return true;
        }),
    ).catch((error) => this.refused(plan, error));
  }

  /** ChangePlanner: a planned change refused (by the powered-off rule or the live check, in the guard, or in the write). */
  refused(plan: UpdatePlan<Data> | DeletePlan<Data>, error: unknown): Promise<never> {
    return this.events.refused('data' in plan ? 'update' : 'delete', this.snapshot(plan), error);
  }

  /** The item as a planned change announces it: the patched data on the destination, or the item as it is. */
  private snapshot(plan: UpdatePlan<Data> | DeletePlan<Data>): VolumeSnapshot {
    const { current } = plan;
    const data = 'data' in plan ? plan.data : this.rows.data(current);
    const nodeUuid = 'destination' in plan && plan.destination ? plan.destination.uuid : current.node_uuid;
    return { uuid: current.uuid, node_uuid: nodeUuid, created_at: current.created_at, updated_at: current.updated_at, data: data as Record<string, unknown> };
  }

  /** Locks the plan's nodes (source first) and checks them as they are now: not reserved, powered off. */
  private async lockPoweredOff(tx: Tx, plan: UpdatePlan<Data> | DeletePlan<Data>, action: string): Promise<void> {
    const refs = [{ id: plan.current.node_id, uuid: plan.current.node_uuid }];
    if ('destination' in plan && plan.destination) refs.push(plan.destination);
    assertPoweredOff(await this.nodeRows.acquire(tx, refs, action), action);
  }

  /** Writes the plan; when its row changed since it was read, plans again (outside the transaction) and retries. */
  private async attempt<P, T>(first: P, replan: () => Promise<P>, write: (plan: P) => Promise<T | typeof STALE>): Promise<T> {
    let plan = first;
    for (let attempt = 1; ; attempt++) {
      const result = await write(plan);
      if (result !== STALE) return result;
      if (attempt >= MAX_ATTEMPTS) throw Conflict(`The ${this.kind.label} was changed by another request; please retry.`);
      plan = await replan();
    }
  }

  /**
   * The 409 or 400 for a refused write. A database reports the first
   * constraint it checks; Ironic names the item's other unique key (type and
   * connector ID, node and boot index) before a taken UUID.
   */
  private async rethrow(error: unknown, data: Data, uuid: string, nodeUuid: string | undefined, createdOnNode: number | null): Promise<never> {
    const kind = classifyDbError(error);
    if (kind?.kind === 'unique') {
      // Only a create can hit the UUID; it looks the other key up outside its (ended) transaction.
      if (createdOnNode !== null && (await this.rows.takenOtherKey(data, createdOnNode))) {
        throw this.kind.conflict({ kind: 'unique', constraint: this.kind.otherUniqueConstraint }, data, uuid) ?? error;
      }
      throw this.kind.conflict(kind, data, uuid) ?? error;
    }
    if (kind?.kind === 'foreign-key') throw InvalidInputForField('node_uuid', nodeUuid ?? '');
    throw error;
  }

  /**
   * The create schema. ironvol's own limits (column lengths, a 32-bit
   * boot_index) come after the node check, which Ironic makes first (it has
   * no such limits): a body that breaks one on a missing node is refused
   * for the node.
   */
  private async validateCreate(body: unknown, caller: Identity): Promise<object> {
    try {
      return validateSchema(this.kind.dto, body, this.kind.schemaName);
    } catch (error) {
      const nodeUuid = isLimitError(error) && isPlainObject(body) ? canonicalUuid(body.node_uuid) : null;
      if (nodeUuid) {
        const node = await this.nodes.findRefByUuid(nodeUuid);
        assertAllowed(caller, 'baremetal:volume:create', node);
        if (!node) throw InvalidInputForField('node_uuid', String((body as Record<string, unknown>).node_uuid));
      }
      throw error;
    }
  }

}

/** The nodes a planned change locks, as a refusal names them. */
function nodesOf(plan: UpdatePlan<unknown> | DeletePlan<unknown>): string {
  return plan.nodes.map((node) => node.uuid).join(', ');
}
