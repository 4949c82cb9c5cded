#!/usr/bin/env bash
# The worked session of docs/api.md with the real `baremetal` CLI (python-ironicclient).
# Usage: baremetal-session.sh http://127.0.0.1:6385
# Prints each command as "$ baremetal ..." followed by its output and "[exit N]".
set -u
URL="${1:?usage: $0 URL}"
run() {
  echo "\$ baremetal $*"
  baremetal --os-endpoint "$URL" --os-auth-type none --max-retries 0 "$@" 2>&1
  echo "[exit $?]"
}
value() { baremetal --os-endpoint "$URL" --os-auth-type none "$@" -f value 2>/dev/null; }

run node create --driver fake-hardware --name n1 -c name -c power_state -c provision_state
run node list
run node power off n1
run node show n1 -c name -c power_state
NODE=$(value node show n1 -c uuid)
run volume connector create --node "$NODE" --type iqn --connector-id iqn.2017-06.org.example:n1
run volume connector create --node "$NODE" --type iqn --connector-id iqn.2017-06.org.example:n1
CONNECTOR=$(value volume connector list --node n1 -c UUID | head -n1)
run volume connector list --node n1 --long -c Type -c "Connector ID" -c Extra
run volume connector set "$CONNECTOR" --extra k=v
run volume connector show "$CONNECTOR" -c connector_id -c extra
run volume connector unset "$CONNECTOR" --extra k
run volume target create --node "$NODE" --type iscsi --boot-index 0 --volume-id vol-1 --property target_lun=0 -c boot_index -c properties -c volume_type
TARGET=$(value volume target list --node "$NODE" -c UUID | head -n1)
run volume target set "$TARGET" --property target_iqn=iqn.2010-10.org.openstack:vol-1
run volume target list --long -c "Boot Index" -c Properties -c "Volume ID"
run node power on n1
run volume connector delete "$CONNECTOR"
run volume target set "$TARGET" --extra a=b
run node power off n1
run volume connector delete "$CONNECTOR"
run volume target delete "$TARGET"
run node set n1 --extra rack=r4
run node unset n1 --extra rack
run node delete n1
