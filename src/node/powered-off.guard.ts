import { applyDecorators, CanActivate, ExecutionContext, Inject, Injectable, SetMetadata, UseGuards } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiBadRequestResponse } from '@nestjs/swagger';
import type { Request } from 'express';
import { InvalidStateRequested } from '../common/errors/ironic-errors';
import { ErrorEnvelopeDto } from '../common/dto/error.dto';
import { poweredOffRefusals } from '../observability/metrics';

export const POWER_OFF_ACTION = 'ironvol:power-off-action';
/** Each module that uses the guard binds this token to the service that owns the resource. */
export const NODE_OF_RESOURCE = Symbol('NODE_OF_RESOURCE');

export interface NodePowerState {
  uuid: string;
  power_state: string | null;
}

/**
 * Finds the nodes a change to the resource in the request would touch: the
 * node it is on, then (for a PATCH that moves it) the node it moves to. It
 * validates the request first, as Ironic does before its power check, so a
 * bad request is a 400 about the request whatever the node's power state.
 */
export interface NodeOfResource {
  nodesAffected(request: Request): Promise<NodePowerState[]>;
}

/**
 * The rule: a volume connector or target may only change while every node
 * it is on or moves to is powered off. A node never powered (state null) is
 * not powered off, as in Ironic (ironic/conductor/manager.py).
 */
export function assertPoweredOff(nodes: readonly NodePowerState[], action: string): void {
  for (const node of nodes) {
    if (node.power_state !== 'power off') {
      poweredOffRefusals.inc({ action });
      throw InvalidStateRequested(action, node.uuid, node.power_state);
    }
  }
}

@Injectable()
export class PoweredOffGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(NODE_OF_RESOURCE) private readonly resources: NodeOfResource,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const action = this.reflector.get<string>(POWER_OFF_ACTION, context.getHandler());
    const request = context.switchToHttp().getRequest<Request>();
    assertPoweredOff(await this.resources.nodesAffected(request), action);
    return true;
  }
}

/**
 * Puts the powered-off rule on a route. The service repeats the check with
 * assertPoweredOff under the node's row lock when it writes, so a power-on
 * that lands between this check and the write cannot slip through.
 */
export const RequiresPoweredOffNode = (action: string) =>
  applyDecorators(
    SetMetadata(POWER_OFF_ACTION, action),
    UseGuards(PoweredOffGuard),
    ApiBadRequestResponse({
      description: 'Invalid input, or a node of the item is not powered off.',
      type: ErrorEnvelopeDto,
    }),
  );
