import { invalid, NodeNotFound } from '../../common/errors/ironic-errors';
import { applyPatch, assertPatchable, patchValues, validatePatchDocument } from '../../common/json-patch/json-patch';
import { validateSchema } from '../../common/validation/schema';
import { pyStr } from '../../common/validation/py-repr';
import { canonicalUuid, isUuidLike } from '../../common/validation/uuid';
import { canSeeNode } from '../../auth/identity';
import type { Identity } from '../../common/http/identity';
import { assertAllowed, PolicyName } from '../../auth/policy';
import { NodeService } from '../../node/node.service';
import type { NodeRef } from '../../node/node.repository';
import type { PlannedChange } from '../../node/powered-off.guard';
import { Inject, Injectable } from '@nestjs/common';
import { VOLUME_KIND, VolumeKind, VolumeRow } from './volume-kind';
import { VolumeRepository } from './volume.repository';

/** A PATCH worked out against the row as read: what to write, and the node it moves to, if any. */
export interface UpdatePlan<Data> extends PlannedChange {
  current: VolumeRow<Data>;
  data: Data;
  destination: NodeRef | null;
}

/** A DELETE worked out against the row as read. */
export interface DeletePlan<Data> extends PlannedChange {
  current: VolumeRow<Data>;
}

/**
 * Works changes out in Ironic's order of checks, reading without locks and
 * outside any transaction: a plan holds no connection while it is made. The
 * write that follows checks, under the node's row lock, that the row is
 * still at the version planned against (else it plans again).
 */
@Injectable()
export class VolumePlanner<Data> {
  constructor(
    @Inject(VOLUME_KIND) private readonly kind: VolumeKind<Data>,
    private readonly rows: VolumeRepository<Data>,
    private readonly nodes: NodeService,
  ) {}

  /** The item, if the caller may see its node; a hidden item is as absent as a missing one (404). */
  async find(uuid: string, caller: Identity): Promise<VolumeRow<Data>> {
    const row = await this.rows.findByUuid(uuid);
    if (!row || !canSeeNode(caller, { owner: row.node_owner, lessee: row.node_lessee })) throw this.kind.notFound(uuid);
    return row;
  }

  /** The item (404 if hidden), then the rule on its node (403), as Ironic's check_volume_policy_and_retrieve. */
  private async findFor(uuid: string, caller: Identity, policy: PolicyName): Promise<VolumeRow<Data>> {
    const row = await this.find(uuid, caller);
    assertAllowed(caller, policy, { owner: row.node_owner, lessee: row.node_lessee });
    return row;
  }

  /**
   * The patch document, the item (404), the allowed paths, node_uuid
   * formats, applying the patch, the destination node (400), then the
   * patched item against the create schema. A JSON null passes Ironic's
   * document check (it fails later, with a 500): the item is looked up
   * first, then the null refused.
   */
  async update(uuid: string, patchBody: unknown, caller: Identity): Promise<UpdatePlan<Data>> {
    if (patchBody !== null) validatePatchDocument(patchBody);
    const current = await this.findFor(uuid, caller, 'baremetal:volume:update');
    const patch = validatePatchDocument(patchBody);
    assertPatchable(patch, this.kind.patchable);
    for (const value of patchValues(patch, '/node_uuid')) {
      if (!isUuidLike(value)) throw invalid(`Expected a UUID for node_uuid, but received ${pyStr(value)}.`);
    }
    const patched: Record<string, unknown> = applyPatch(
      { uuid: current.uuid, node_uuid: current.node_uuid, ...this.rows.data(current) },
      patch,
    );

    let destination: NodeRef | null = null;
    const target = canonicalUuid(patched.node_uuid);
    if (target && target !== current.node_uuid) {
      destination = await this.nodes.findRefByUuid(target);
      // Stricter than Ironic, which checks no policy on the destination:
      // an item moves only to a node the caller may update items on.
      assertAllowed(caller, 'baremetal:volume:update', destination);
      if (!destination) throw invalid(NodeNotFound(String(patched.node_uuid)).message);
    }
    for (const key of Object.keys(patched)) if (patched[key] === undefined) delete patched[key];
    const dto = validateSchema(this.kind.dto, patched, 'patch');
    const source = { uuid: current.node_uuid, power_state: current.node_power_state };
    return {
      current,
      data: this.dataOf(dto),
      destination,
      nodes: destination ? [source, destination] : [source],
    };
  }

  async delete(uuid: string, caller: Identity): Promise<DeletePlan<Data>> {
    const current = await this.findFor(uuid, caller, 'baremetal:volume:delete');
    return { current, nodes: [{ uuid: current.node_uuid, power_state: current.node_power_state }] };
  }

  /** The data fields of a validated body; absent ones as Ironic stores them ({} or null). */
  dataOf(dto: object): Data {
    const body = dto as Record<string, unknown>;
    return Object.fromEntries(this.kind.data.map((f) => [f.name, body[f.name] ?? (f.json ? {} : null)])) as Data;
  }
}
