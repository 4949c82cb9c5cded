import { CanActivate, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { FrameworkNotFound, ResourceNotFound } from '../errors/ironic-errors';

export const MIN_VERSION = 'ironvol:min-version';

export interface MinVersionRule {
  minor: number;
  /**
   * How Ironic answers an older request: "resource" is its usual fault body,
   * "framework" the bare {code, title, description} body its web framework
   * gives for /v1/volume/connectors and /v1/volume/targets.
   */
  notFound: 'resource' | 'framework';
}

/** Hides a route from requests with an older API version, as Ironic does (404). */
export const MinVersion = (minor: number, notFound: MinVersionRule['notFound'] = 'resource') =>
  SetMetadata(MIN_VERSION, { minor, notFound } satisfies MinVersionRule);

@Injectable()
export class MinVersionGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const rule = this.reflector.getAllAndOverride<MinVersionRule | undefined>(MIN_VERSION, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!rule) return true;
    const request = context.switchToHttp().getRequest<Request>();
    if (request.apiVersion >= rule.minor) return true;
    throw rule.notFound === 'framework' ? FrameworkNotFound() : ResourceNotFound();
  }
}
