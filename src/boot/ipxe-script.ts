import type { Chap, Portal } from './boot-values';

/** One iSCSI volume a machine attaches, its values already checked (boot-values.ts). */
export interface IscsiVolume {
  /** The volume target's UUID, for the failure report. */
  uuid: string;
  targetIqn: string;
  portal: Portal;
  lun: number;
  chap: Chap | null;
}

/** What a node's boot script says: who the machine is, its volumes (the boot volume first), where to report a failure. */
export interface BootScriptPlan {
  initiatorIqn: string;
  volumes: readonly IscsiVolume[];
  /** Absolute URL the script reports a failed attach to, or null. */
  reportUrl: string | null;
}

/** SAN drive numbers as BIOS numbers hard disks: 0x80 for the boot volume, then 0x81, ... */
const drive = (index: number) => `0x${(0x80 + index).toString(16)}`;

/** iPXE's iscsi URI: iscsi:<server>:<protocol>:<port>:<LUN in hex>:<target name>. */
export const iscsiUri = (volume: IscsiVolume) =>
  `iscsi:${volume.portal.host}::${volume.portal.port}:${volume.lun.toString(16)}:${volume.targetIqn}`;

/**
 * A node's script, as Ironic's ipxe_config.template writes its :boot_iscsi
 * section: the initiator name, each volume hooked as a SAN drive (the boot
 * volume as 0x80) with its own CHAP credentials or none, then sanboot. An
 * attach that fails is retried every 10 seconds, as in Ironic, but first
 * reported (which volume, iPXE's error number), so that a machine that
 * cannot reach its volume is seen, not left looping in silence. Every value
 * was checked before it reached here (boot-values.ts).
 */
export function renderNodeScript(plan: BootScriptPlan): string {
  const lines = ['#!ipxe', '', `set initiator-iqn ${plan.initiatorIqn}`, '', ':boot_iscsi'];
  plan.volumes.forEach((volume, index) => {
    if (volume.chap) lines.push(`set username ${volume.chap.username}`, `set password ${volume.chap.password}`);
    else lines.push('clear username', 'clear password');
    lines.push(`set volume ${index}`, `sanhook --drive ${drive(index)} ${iscsiUri(volume)} || goto fail_iscsi_retry`);
  });
  lines.push('sanboot --no-describe || goto fail_iscsi_retry', '', ':fail_iscsi_retry');
  if (plan.reportUrl) lines.push(`imgfetch --name report ${plan.reportUrl}?volume=\${volume}&errno=\${errno} && imgfree report ||`);
  lines.push('echo Failed to attach iSCSI volume(s), retrying in 10 seconds.', 'sleep 10', 'goto boot_iscsi', '');
  return lines.join('\n');
}

/**
 * The script every machine fetches first (/boot.ipxe): it tries each of
 * its NICs in turn and chains that NIC's config, pxelinux.cfg/<mac with
 * hyphens>, relative to where it was fetched from, as Ironic's boot.ipxe.
 */
export const ROOT_SCRIPT = [
  '#!ipxe',
  '',
  'set netid:int32 -1',
  ':loop',
  'inc netid || chain pxelinux.cfg/${mac:hexhyp} || goto old_rom',
  'isset ${net${netid}/mac} || goto loop_done',
  'echo Attempting to boot from MAC ${net${netid}/mac:hexhyp}',
  'chain pxelinux.cfg/${net${netid}/mac:hexhyp} || goto loop',
  '',
  ':loop_done',
  'echo PXE boot failed! No configuration found for any of the present NICs.',
  'echo Press any key to reboot...',
  'prompt --timeout 180',
  'reboot',
  '',
  ':old_rom',
  'chain pxelinux.cfg/${mac:hexhyp}',
  '',
].join('\n');
