"""Reads notification payloads with Ironic's own versioned-object classes, as a consumer that knows them would.

python3 ironic-objects.py < payloads (one JSON payload per line; Debian's /usr/bin/python3 with python3-ironic)
Prints one line per payload: "ok", or what Ironic's classes refuse (unknown object, another version,
fields missing or unknown, a value its field does not take).
"""
import json
import sys

from ironic import objects
from ironic.objects import base

objects.register_all()


def problem(payload):
    if payload.get('ironic_object.namespace') != 'ironic':
        return 'namespace %r' % payload.get('ironic_object.namespace')
    classes = base.IronicObjectRegistry.obj_classes().get(payload['ironic_object.name'])
    if not classes:
        return 'unknown object %s' % payload['ironic_object.name']
    cls = classes[0]
    if payload['ironic_object.version'] != cls.VERSION:
        return 'version %s where Ironic has %s' % (payload['ironic_object.version'], cls.VERSION)
    data = payload['ironic_object.data']
    unknown, missing = sorted(set(data) - set(cls.fields)), sorted(set(cls.fields) - set(data))
    if unknown or missing:
        return 'fields unknown to Ironic %s, missing %s' % (unknown, missing)
    # The payload classes take constructor arguments; each field is read on a bare instance.
    obj = cls.__new__(cls)
    for name, field in cls.fields.items():
        try:
            field.coerce(obj, name, field.from_primitive(obj, name, data[name]))
        except Exception as e:  # noqa: BLE001 - the field's own refusal is the answer
            return '%s: %s' % (name, e)
    return None


for line in sys.stdin:
    if line.strip():
        print(problem(json.loads(line)) or 'ok', flush=True)
