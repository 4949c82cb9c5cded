import type { TestApp } from './test-app';

/** A notification as the outbox holds it, with the routing key it is sent under. */
export interface Outboxed {
  routing_key: string;
  event_type: string;
  priority: string;
  publisher_id: string;
  payload: { 'ironic_object.name': string; 'ironic_object.version': string; 'ironic_object.data': Record<string, any> };
}

/** Every notification in the outbox, in the order it is sent. */
export async function outbox(app: TestApp): Promise<Outboxed[]> {
  const rows = await app.rows('SELECT routing_key, message FROM notification_outbox ORDER BY id');
  return rows.map((row) => ({ routing_key: row.routing_key as string, ...(JSON.parse(row.message as string) as Omit<Outboxed, 'routing_key'>) }));
}

/** A node's provision_set events as "<status> <event>: <previous>/<previous target> -> <state>/<target>". */
export async function provisionEvents(app: TestApp, uuid: string): Promise<string[]> {
  return (await outbox(app))
    .filter((e) => e.event_type.startsWith('baremetal.node.provision_set.') && e.payload['ironic_object.data'].uuid === uuid)
    .map((e) => {
      const d = e.payload['ironic_object.data'];
      return `${e.event_type.split('.').pop()} ${d.event}: ${d.previous_provision_state}/${d.previous_target_provision_state} -> ${d.provision_state}/${d.target_provision_state}`;
    });
}

/**
 * The provision_set events of a node's whole life as Ironic's conductor
 * sends them, automated cleaning off: manage (verifying), provide
 * (cleaning), deploy, tear down (deleting, cleaning).
 */
export const LIFECYCLE_EVENTS = [
  'start manage: enroll/null -> verifying/manageable',
  'end done: verifying/manageable -> manageable/null',
  'start provide: manageable/null -> cleaning/available',
  'end done: cleaning/available -> available/null',
  'start deploy: available/null -> deploying/active',
  'end done: deploying/active -> active/null',
  'start delete: active/null -> deleting/available',
  'success clean: deleting/available -> cleaning/available',
  'end done: cleaning/available -> available/null',
];
