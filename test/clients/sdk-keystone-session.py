"""openstacksdk logging in to Keystone with a password and finding ironvol in the catalog.

python3 sdk-keystone-session.py AUTH_URL USER PASSWORD PROJECT NODE_UUID  (Debian's /usr/bin/python3)
"""
import sys

import openstack

auth_url, user, password, project, node = sys.argv[1:6]
conn = openstack.connect(
    auth_url=auth_url, username=user, password=password, project_name=project,
    user_domain_name="Default", project_domain_name="Default", region_name="RegionOne",
)
print("endpoint", conn.baremetal.get_endpoint())
connector = conn.baremetal.create_volume_connector(node_id=node, type="iqn", connector_id="iqn.sdk-keystone:1")
print("connector", connector.type, connector.connector_id)
target = conn.baremetal.create_volume_target(
    node_id=node, volume_type="iscsi", boot_index=0, volume_id="vol-sdk-ks", properties={"auth_password": "s3cret"})
print("target", target.volume_type, target.properties)
conn.baremetal.update_volume_connector(connector, extra={"k": "v"})
print("updated", conn.baremetal.get_volume_connector(connector.id).extra)
print("connectors", [c.connector_id for c in conn.baremetal.volume_connectors(node=node)])
conn.baremetal.delete_volume_target(target)
conn.baremetal.delete_volume_connector(connector)
print("cleaned up")
