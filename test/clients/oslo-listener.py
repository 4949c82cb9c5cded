"""A real oslo.messaging notification consumer, as an OpenStack service reads Ironic's events.

python3 oslo-listener.py TRANSPORT_URL POOL  (Debian's /usr/bin/python3)
Prints one JSON line per notification whose event type starts with baremetal.volume or baremetal.node:
{"event_type", "priority", "publisher_id", "message_id", "payload"}. Prints "ready" once listening.
"""
import json
import sys
import time

from oslo_config import cfg
import oslo_messaging

url, pool = sys.argv[1], sys.argv[2]


class Endpoint:
    filter_rule = oslo_messaging.NotificationFilter(event_type=r'^baremetal\.(volume|node\.)')

    def _print(self, priority, publisher_id, event_type, payload, metadata):
        print(json.dumps({'event_type': event_type, 'priority': priority, 'publisher_id': publisher_id,
                          'message_id': metadata.get('message_id'), 'timestamp': metadata.get('timestamp'),
                          'payload': payload}), flush=True)
        return oslo_messaging.NotificationResult.HANDLED

    def info(self, ctxt, publisher_id, event_type, payload, metadata):
        return self._print('INFO', publisher_id, event_type, payload, metadata)

    def error(self, ctxt, publisher_id, event_type, payload, metadata):
        return self._print('ERROR', publisher_id, event_type, payload, metadata)


transport = oslo_messaging.get_notification_transport(cfg.CONF, url=url)
targets = [oslo_messaging.Target(topic='ironic_versioned_notifications', exchange='ironic')]
listener = oslo_messaging.get_notification_listener(transport, targets, [Endpoint()], executor='threading', pool=pool)
# One worker: messages are handled, and printed, in the order they arrive.
listener.start(override_pool_size=1)
print('ready', flush=True)
try:
    while True:
        time.sleep(1)
except KeyboardInterrupt:
    pass
finally:
    listener.stop()
    listener.wait()
