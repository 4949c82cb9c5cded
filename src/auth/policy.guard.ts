import { applyDecorators, CanActivate, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiExtension, ApiSecurity } from '@nestjs/swagger';
import type { Request } from 'express';
import { ApiError } from '../common/openapi/api-docs.decorators';
import { authorizeRoute, PolicyName, POLICIES } from './policy';

export const POLICY = 'ironvol:policy';

/**
 * Names the policy a route needs. The guard checks the caller's role and
 * scope before anything else runs, as if on a node of the caller's project; which nodes a project-scoped caller may
 * touch is checked by the services, against the data.
 */
export const Policy = (name: PolicyName) =>
  applyDecorators(
    SetMetadata(POLICY, name),
    ApiExtension('x-openstack-policy', name),
    ApiSecurity('basic'),
    ApiSecurity('bearer'),
    ApiSecurity('token'),
    ApiError(401),
    ApiError(403, `Allowed to ${POLICIES[name].who}: ${POLICIES[name].description}`),
  );

@Injectable()
export class PolicyGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const policy = this.reflector.get<PolicyName | undefined>(POLICY, context.getHandler());
    if (!policy) return true;
    authorizeRoute(context.switchToHttp().getRequest<Request>().identity, policy);
    return true;
  }
}
