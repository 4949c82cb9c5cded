import { Inject, Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { RATE_LIMIT_CONFIG, RateLimitConfig } from './auth-config';
import { TooManyRequests } from '../common/errors/ironic-errors';

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/** Probes and scrapes are never limited: a throttled kubelet would restart a healthy pod. */
const EXEMPT = new Set(['/healthz', '/readyz', '/metrics']);
const MAX_CLIENTS = 100_000;

/**
 * Optional per-client rate limiting (RATE_LIMIT_PER_SECOND): a token bucket
 * per source address, in this process. It runs before authentication, so a
 * client guessing passwords is throttled before it costs a bcrypt check.
 */
@Injectable()
export class RateLimitMiddleware implements NestMiddleware {
  private readonly buckets = new Map<string, Bucket>();

  constructor(@Inject(RATE_LIMIT_CONFIG) private readonly limit: RateLimitConfig | null) {}

  use(request: Request, _response: Response, next: NextFunction): void {
    const limit = this.limit;
    if (!limit || EXEMPT.has(request.path)) return next();
    const client = request.socket.remoteAddress ?? 'unknown';
    const now = Date.now();
    let bucket = this.buckets.get(client);
    if (bucket) {
      bucket.tokens = Math.min(limit.burst, bucket.tokens + ((now - bucket.updatedAt) / 1000) * limit.perSecond);
      bucket.updatedAt = now;
      // Re-inserting keeps the map in least-recently-seen order for eviction.
      this.buckets.delete(client);
    } else {
      bucket = { tokens: limit.burst, updatedAt: now };
      if (this.buckets.size >= MAX_CLIENTS) this.buckets.delete(this.buckets.keys().next().value!);
    }
    this.buckets.set(client, bucket);
    if (bucket.tokens < 1) {
      return next(TooManyRequests(Math.max(1, Math.ceil((1 - bucket.tokens) / limit.perSecond))));
    }
    bucket.tokens -= 1;
    next();
  }
}
