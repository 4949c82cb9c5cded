import 'express';
import type { Identity } from './identity';

declare module 'express-serve-static-core' {
  interface Request {
    /** Negotiated minor API version of a /v1 request (1.N). */
    apiVersion: number;
    /** "req-<uuid>", echoed in Openstack-Request-Id and the logs. */
    requestId: string;
    /** The URL clients reach the service at, for links. */
    publicBase: string;
    /** The authenticated caller (an administrator under AUTH_STRATEGY=noauth). */
    identity: Identity;
    /** When the request arrived (process.hrtime.bigint()), for its log line. */
    startedAt: bigint;
  }
}
