"""openstacksdk against ironvol: python3 sdk-session.py URL (Debian's /usr/bin/python3)."""
import sys

import openstack

conn = openstack.connect(auth_type="none", baremetal_endpoint_override=sys.argv[1])
node = conn.baremetal.create_node(driver="fake-hardware", name="sdk-node")
print("node", node.name, node.power_state)
connector = conn.baremetal.create_volume_connector(node_id=node.id, type="iqn", connector_id="iqn.sdk:1")
print("connector", connector.type, connector.connector_id, connector.node_id == node.id)
target = conn.baremetal.create_volume_target(node_id=node.id, volume_type="iscsi", boot_index=0, volume_id="vol-sdk")
print("target", target.volume_type, target.boot_index, target.volume_id)
print("connectors", [c.connector_id for c in conn.baremetal.volume_connectors(node=node.id)])
print("targets", [t.volume_id for t in conn.baremetal.volume_targets(details=True)])
conn.baremetal.set_node_power_state(node, "power off", wait=True)
conn.baremetal.update_volume_connector(connector, extra={"k": "v"})
print("updated", conn.baremetal.get_volume_connector(connector.id).extra)
conn.baremetal.delete_volume_target(target)
conn.baremetal.delete_volume_connector(connector)
conn.baremetal.delete_node(node)
print("cleaned up")
