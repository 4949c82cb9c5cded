import { randomUUID } from 'node:crypto';
import type { Level } from './notification-config';

/** Ironic's notification statuses, and the priority each is sent at. */
export type Status = 'start' | 'end' | 'error' | 'success';
const PRIORITY: Record<Status, Level> = { start: 'info', end: 'info', success: 'info', error: 'error' };

/** A versioned object as oslo.versionedobjects writes it (Ironic's namespace). */
export interface VersionedPayload {
  'ironic_object.name': string;
  'ironic_object.namespace': 'ironic';
  'ironic_object.version': string;
  'ironic_object.data': Record<string, unknown>;
}

/** One notification, as oslo.messaging's notifier builds its message. */
export interface Notification {
  message_id: string;
  publisher_id: string;
  event_type: string;
  priority: string;
  payload: VersionedPayload;
  timestamp: string;
  /** oslo.messaging's de-duplication key: a consumer drops a message whose _unique_id it has seen. */
  _unique_id: string;
}

/** Ironic's services: the API reports volume changes, the conductor power actions and corrections. */
export type Publisher = 'ironic-api' | 'ironic-conductor';

/** What one event says, before it is addressed. */
export interface Event {
  publisher: Publisher;
  eventType: string;
  status: Status;
  payload: VersionedPayload;
}

export const priorityOf = (status: Status): Level => PRIORITY[status];

/** oslo.versionedobjects' DateTimeField: ISO 8601, seconds, "Z". */
export function isoTime(value: string | null): string | null {
  if (!value) return null;
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? null : `${at.toISOString().slice(0, 19)}Z`;
}

/** Python's str(datetime.utcnow()), as oslo.messaging stamps a message. */
function pythonUtcNow(): string {
  const iso = new Date().toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}000`;
}

/** The message of an event, addressed from its publisher on <host>. */
export function message(event: Event, host: string): Notification {
  const id = randomUUID();
  return {
    message_id: id,
    publisher_id: `${event.publisher}.${host}`,
    event_type: `${event.eventType}.${event.status}`,
    priority: PRIORITY[event.status].toUpperCase(),
    payload: event.payload,
    timestamp: pythonUtcNow(),
    _unique_id: id.replace(/-/g, ''),
  };
}
