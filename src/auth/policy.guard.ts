import { applyDecorators, CanActivate, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiExtension, ApiResponse, ApiSecurity } from '@nestjs/swagger';
import type { Request } from 'express';
import { ErrorEnvelopeDto } from '../common/dto/error.dto';
import { Forbidden } from '../common/errors/ironic-errors';
import { allows, PolicyName, POLICIES } from './policy';

export const POLICY = 'ironvol:policy';

/**
 * Names the policy a route needs. The guard checks the caller's role and
 * scope before anything else runs; which nodes a project-scoped caller may
 * touch is checked by the services, against the data.
 */
export const Policy = (name: PolicyName) =>
  applyDecorators(
    SetMetadata(POLICY, name),
    ApiExtension('x-openstack-policy', name),
    ApiSecurity('basic'),
    ApiSecurity('bearer'),
    ApiSecurity('token'),
    ApiResponse({ status: 401, description: 'Missing or invalid credentials (when AUTH_STRATEGY is http_basic or jwt).', type: ErrorEnvelopeDto }),
    ApiResponse({ status: 403, description: `Needs ${POLICIES[name].role} role: ${POLICIES[name].description}`, type: ErrorEnvelopeDto }),
  );

@Injectable()
export class PolicyGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const policy = this.reflector.get<PolicyName | undefined>(POLICY, context.getHandler());
    if (!policy) return true;
    const request = context.switchToHttp().getRequest<Request>();
    if (!allows(request.identity, policy)) throw Forbidden(policy);
    return true;
  }
}
