import { BootValueError, chap, iscsiName, lun, mac, portal } from './boot-values';
import type { BootScriptPlan, IscsiVolume } from './ipxe-script';

/** A node's volume connector, as the boot plan reads it. */
export interface ConnectorRecord {
  type: string;
  connector_id: string;
}

/** A node's volume target, as the boot plan reads it. */
export interface TargetRecord {
  uuid: string;
  volume_type: string;
  boot_index: number;
  properties: Record<string, unknown>;
}

/** What a node boots from, checked: its script's plan and the MACs its firmware asks with. */
export interface BootPlan {
  script: BootScriptPlan;
  macs: string[];
}

/**
 * Ironic's external storage interface and iPXE boot from volume, checked
 * strictly: a boot target (boot_index 0) of type iscsi; for each iscsi
 * target a valid target_iqn, target_portal and target_lun, and CHAP
 * credentials both or neither (auth_method, when given, CHAP or None);
 * an iqn connector (the machine's initiator name: the first, by creation,
 * where Ironic's script takes the last) and a mac connector (the NIC the
 * firmware boots from: ironvol has no ports API, so the volume API records
 * it). Throws BootValueError naming the record and field; the same checks
 * run at validate, at deploy and each time a script is served.
 */
export function bootPlanOf(connectors: readonly ConnectorRecord[], targets: readonly TargetRecord[], reportUrl: string | null): BootPlan {
  const boot = targets.find((target) => target.boot_index === 0);
  if (!boot) throw new BootValueError('the node has no volume target with boot_index 0 to boot from');
  if (boot.volume_type !== 'iscsi') {
    throw new BootValueError(`volume target ${boot.uuid} (boot_index 0) has volume_type ${JSON.stringify(boot.volume_type)}; only iscsi volumes can be booted from`);
  }
  const iqn = connectors.find((connector) => connector.type === 'iqn');
  if (!iqn) throw new BootValueError('the node has no volume connector of type iqn (the initiator name the machine logs in with)');
  const macs = connectors.filter((connector) => connector.type === 'mac').map((connector) => mac('volume connector mac', connector.connector_id));
  if (!macs.length) throw new BootValueError('the node has no volume connector of type mac (the NIC its firmware boots from)');
  const iscsi = [boot, ...targets.filter((target) => target !== boot && target.volume_type === 'iscsi').sort((a, b) => a.boot_index - b.boot_index)];
  return {
    script: { initiatorIqn: iscsiName('volume connector iqn', iqn.connector_id), volumes: iscsi.map(iscsiVolume), reportUrl },
    macs,
  };
}

function iscsiVolume(target: TargetRecord): IscsiVolume {
  const field = (name: string) => `volume target ${target.uuid} properties.${name}`;
  const p = target.properties ?? {};
  const method = p.auth_method;
  if (method !== undefined && method !== null && method !== 'CHAP' && method !== 'None') {
    throw new BootValueError(`${field('auth_method')} must be CHAP or None, got ${JSON.stringify(method)}`);
  }
  const credentials = chap({ username: field('auth_username'), password: field('auth_password') }, p.auth_username, p.auth_password);
  if (method === 'CHAP' && !credentials) throw new BootValueError(`${field('auth_method')} is CHAP but no auth_username and auth_password are given`);
  return {
    uuid: target.uuid,
    targetIqn: iscsiName(field('target_iqn'), p.target_iqn),
    portal: portal(field('target_portal'), p.target_portal),
    lun: lun(field('target_lun'), p.target_lun),
    // auth_method None turns CHAP off even where credentials are stored.
    chap: method === 'None' ? null : credentials,
  };
}
