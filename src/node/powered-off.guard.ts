import {
  applyDecorators,
  CanActivate,
  createParamDecorator,
  ExecutionContext,
  Inject,
  Injectable,
  SetMetadata,
  UseGuards,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiBadRequestResponse } from '@nestjs/swagger';
import type { Request } from 'express';
import { ErrorEnvelopeDto } from '../common/dto/error.dto';
import { RequestArgs, requestArgsOf } from '../common/http/args.decorator';
import type { Identity } from '../common/http/identity';
import { assertPoweredOff, NodePowerState } from './powered-off.rule';
import { PowerLiveCheck } from './power/live-check';

export { assertPoweredOff, NodePowerState } from './powered-off.rule';

export const POWER_OFF_ACTION = 'ironvol:power-off-action';

/** What a guarded route changes: an item's data (PATCH), or whether it exists (DELETE). */
export type ChangeKind = 'update' | 'delete';

interface GuardedRoute {
  /** The action's name in Ironic's refusal ("volume connector update"). */
  action: string;
  change: ChangeKind;
}
/** Each module that uses the guard binds this token to the service that plans its changes. */
export const CHANGE_PLANNER = Symbol('CHANGE_PLANNER');
const PLANNED_CHANGE = Symbol('PLANNED_CHANGE');

/** A change worked out against the current data: at least the nodes it touches, source first. */
export interface PlannedChange {
  nodes: readonly NodePowerState[];
}

/**
 * Works out the change a request asks for, validating it first, as Ironic
 * does before its power check, so that a bad request is a 400 about the
 * request whatever the node's power state.
 */
export interface ChangePlanner {
  plan(change: ChangeKind, args: RequestArgs, caller: Identity): Promise<PlannedChange>;
  /** Told of a planned change the rule refused (to report it), before the refusal is answered. */
  refused?(plan: PlannedChange, error: unknown): Promise<never>;
}

/**
 * Plans the request's change once, refuses it while a node it touches is
 * powered on (for a node behind a BMC: while the BMC says so), and hands the plan to the handler (@Planned()), which writes
 * it. The write checks the rule again on the node rows it has locked, so a
 * power-on that lands between this check and the write cannot slip through.
 */
@Injectable()
export class PoweredOffGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(CHANGE_PLANNER) private readonly planner: ChangePlanner,
    private readonly liveCheck: PowerLiveCheck,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const { action, change } = this.reflector.get<GuardedRoute>(POWER_OFF_ACTION, context.getHandler());
    const request = context.switchToHttp().getRequest<Request & { [PLANNED_CHANGE]?: PlannedChange }>();
    const plan = await this.planner.plan(change, requestArgsOf(request), request.identity);
    try {
      assertPoweredOff(plan.nodes, action);
      await this.liveCheck.assertMachinesOff(plan.nodes, action);
    } catch (error) {
      if (this.planner.refused) await this.planner.refused(plan, error);
      throw error;
    }
    request[PLANNED_CHANGE] = plan;
    return true;
  }
}

/** The guard's plan of the request's change. */
export const Planned = createParamDecorator((_data: unknown, context: ExecutionContext): PlannedChange => {
  const plan = context.switchToHttp().getRequest<{ [PLANNED_CHANGE]?: PlannedChange }>()[PLANNED_CHANGE];
  if (!plan) throw new Error('@Planned() needs @RequiresPoweredOffNode() on the route');
  return plan;
});

/** Puts the powered-off rule on a route. */
export const RequiresPoweredOffNode = (action: string, change: ChangeKind) =>
  applyDecorators(
    SetMetadata(POWER_OFF_ACTION, { action, change } satisfies GuardedRoute),
    UseGuards(PoweredOffGuard),
    ApiBadRequestResponse({
      description: 'Invalid input, or a node of the item is not powered off.',
      type: ErrorEnvelopeDto,
    }),
  );
