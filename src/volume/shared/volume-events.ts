import type { Tx } from '../../common/db/db.service';
import { IronicError } from '../../common/errors/ironic-errors';
import type { Event, Status } from '../../notifications/notification';
import { volumePayload, VolumeSnapshot } from './volume-payload';
import { Notifier } from '../../notifications/notifier';
import { NotPoweredOff } from '../../node/powered-off.rule';
import { Inject, Injectable } from '@nestjs/common';
import { VOLUME_KIND, VolumeKind } from './volume-kind';

export type CrudAction = 'create' | 'update' | 'delete';

/**
 * The notifications of a kind of volume resource, as Ironic emits them:
 * baremetal.volumeconnector|volumetarget.<action>.start and .end with the
 * change, or .start and .error when the change is refused after Ironic
 * would have announced it (the powered-off rule, a locked node, a
 * duplicate). Validation errors come before the start and send nothing.
 */
@Injectable()
export class VolumeEvents {
  private readonly resource: 'connector' | 'target';
  private readonly eventPrefix: string;

  constructor(
    @Inject(VOLUME_KIND) kind: Pick<VolumeKind<unknown>, 'label'>,
    private readonly notifier: Notifier,
  ) {
    this.resource = kind.label.endsWith('connector') ? 'connector' : 'target';
    this.eventPrefix = `baremetal.${kind.label.replace(/\s+/g, '')}`;
  }

  /** Start and end, written in the change's own transaction. */
  changed(tx: Tx, action: CrudAction, start: VolumeSnapshot, end: VolumeSnapshot): Promise<void> {
    return this.notifier.record(tx, [this.event(action, 'start', start), this.event(action, 'end', end)]);
  }

  /** Start and error for a refused change, if the error is a refusal Ironic reports; then the error goes on. */
  async refused(action: CrudAction, item: VolumeSnapshot, error: unknown): Promise<never> {
    if (isReportedRefusal(error)) await this.notifier.recordRefusal([this.event(action, 'start', item), this.event(action, 'error', item)]);
    throw error;
  }

  private event(action: CrudAction, status: Status, item: VolumeSnapshot): Event {
    return { publisher: 'ironic-api', eventType: `${this.eventPrefix}.${action}`, status, payload: volumePayload(this.resource, item) };
  }
}

/** Refusals Ironic's conductor makes, inside its error notification: not powered off, locked, duplicate, changed meanwhile. */
function isReportedRefusal(error: unknown): boolean {
  return error instanceof NotPoweredOff || (error instanceof IronicError && error.status === 409);
}
