import { HttpStatus } from '@nestjs/common';

/**
 * An error the API reports to the client. Names and message templates follow
 * ironic/common/exception.py so that clients and operators can grep for them.
 */
export class IronicError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** Extra response headers, e.g. Retry-After. */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/**
 * Errors answered the way Ironic's web framework (pecan/webob) answers them:
 * the inner JSON is {code, title, description} instead of the fault envelope.
 */
export class FrameworkError extends IronicError {
  constructor(
    status: number,
    readonly title: string,
    description: string,
  ) {
    super(status, description);
  }
}

/**
 * Refusals of the Keystone token check, answered as keystonemiddleware
 * answers them in front of Ironic, outside Ironic's error envelope:
 * {"error": {"code", "title", "message"}}.
 */
export class TokenCheckError extends IronicError {
  constructor(
    status: number,
    readonly title: string,
    message: string,
    headers: Record<string, string> = {},
  ) {
    super(status, message, headers);
  }
}

export const TokenRequired = (wwwAuthenticateUri: string) =>
  new TokenCheckError(HttpStatus.UNAUTHORIZED, 'Unauthorized', 'The request you have made requires authentication.', {
    'WWW-Authenticate': `Keystone uri="${wwwAuthenticateUri}"`,
  });

export const KeystoneUnavailable = () =>
  new TokenCheckError(HttpStatus.SERVICE_UNAVAILABLE, 'Service Unavailable', 'The Keystone service is temporarily unavailable.');

export const invalid = (message: string) => new IronicError(HttpStatus.BAD_REQUEST, message);

export const ResourceNotFound = () => new IronicError(HttpStatus.NOT_FOUND, 'Resource could not be found.');
export const FrameworkNotFound = () => new FrameworkError(HttpStatus.NOT_FOUND, 'Not Found', '');
export const FrameworkBadRequest = (description: string) => new FrameworkError(HttpStatus.BAD_REQUEST, 'Bad Request', description);
export const NotAcceptable = (description: string) =>
  new FrameworkError(HttpStatus.NOT_ACCEPTABLE, 'Not Acceptable', description);

export const ChassisNotFound = (uuid: string) => new IronicError(HttpStatus.NOT_FOUND, `Chassis ${uuid} could not be found.`);
export const NodeNotFound = (ident: string) => new IronicError(HttpStatus.NOT_FOUND, `Node ${ident} could not be found.`);
export const VolumeConnectorNotFound = (uuid: string) =>
  new IronicError(HttpStatus.NOT_FOUND, `Volume connector ${uuid} could not be found.`);
export const VolumeTargetNotFound = (uuid: string) =>
  new IronicError(HttpStatus.NOT_FOUND, `Volume target ${uuid} could not be found.`);

export const OperationNotPermitted = () => new IronicError(HttpStatus.FORBIDDEN, 'Operation not permitted.');

export const InvalidStateRequested = (action: string, node: string, state: string | null) =>
  invalid(
    `The requested action "${action}" can not be performed on node "${node}" while it is in state "${state ?? 'None'}".`,
  );

export const InvalidUuid = (field: string, value: unknown) => invalid(`Expected UUID for ${field}: ${String(value)}`);

export const InvalidInputForField = (field: string, value: string) =>
  invalid(`Invalid input for field/attribute ${field}. Value: '${value}'. `);

export const NodeLocked = (node: string, host: string) =>
  new IronicError(
    HttpStatus.CONFLICT,
    `Node ${node} is locked by host ${host}, please retry after the current operation is completed.`,
  );

export const NodeAssociated = (node: string, instance: string) =>
  new IronicError(HttpStatus.CONFLICT, `Node ${node} is associated with instance ${instance}.`);

export const Conflict = (message: string) => new IronicError(HttpStatus.CONFLICT, message);

export const PreconditionFailed = (etag: string) =>
  new IronicError(
    HttpStatus.PRECONDITION_FAILED,
    `The resource has changed: its current ETag is ${etag}, which does not match If-Match.`,
  );

export const DatabaseUnavailable = () =>
  new IronicError(HttpStatus.SERVICE_UNAVAILABLE, 'The database is unavailable; please retry later.', {
    'Retry-After': '1',
  });

/** A machine's BMC could not be asked or did not answer: Ironic's IPMIFailure message, as a 503 the caller may retry. */
export const BmcUnavailable = (message: string) => new IronicError(HttpStatus.SERVICE_UNAVAILABLE, message, { 'Retry-After': '5' });

export const PayloadTooLarge = (limit: string) =>
  new IronicError(HttpStatus.PAYLOAD_TOO_LARGE, `The request body is larger than the limit of ${limit}.`);

/** A method the resource does not take, answered as Ironic's web framework answers it. */
export const MethodNotAllowed = (allowed: string[]) => {
  const error = new FrameworkError(HttpStatus.METHOD_NOT_ALLOWED, 'Method Not Allowed', '');
  error.headers.Allow = allowed.join(', ');
  return error;
};

/** Ironic's answer to DELETE or PATCH on a collection: the item's identifier is missing. */
export const MissingParameter = (name: string) => invalid(`Missing mandatory parameter: ${name}`);

/** A caller whose role or project does not allow the action; names the policy as Ironic does. */
export const Forbidden = (policy: string) =>
  new IronicError(HttpStatus.FORBIDDEN, `Access was denied to the following resource: ${policy}`);

/** A request without valid credentials; the challenge says how to authenticate. */
export const Unauthorized = (message: string, challenge: string) =>
  new IronicError(HttpStatus.UNAUTHORIZED, message, { 'WWW-Authenticate': challenge });

export const TooManyRequests = (retryAfterSeconds: number) =>
  new IronicError(HttpStatus.TOO_MANY_REQUESTS, 'Too many requests from this client; please retry later.', {
    'Retry-After': String(retryAfterSeconds),
  });
