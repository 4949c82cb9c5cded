import { HttpStatus } from '@nestjs/common';
import { ConfigError, Env } from '../../config/env';
import { invalid, IronicError } from '../../common/errors/ironic-errors';
import { pyRepr } from '../../common/validation/py-repr';

/** The hardware interfaces ironvol models besides power, each a node field. */
export const INTERFACE_KINDS = ['boot', 'deploy', 'storage'] as const;
export type InterfaceKind = (typeof INTERFACE_KINDS)[number];
export type InterfaceField = `${InterfaceKind}_interface`;
export const interfaceField = (kind: InterfaceKind): InterfaceField => `${kind}_interface`;

/**
 * The implementations ironvol has of each interface: fake (nothing happens,
 * at once), ipxe (the machine chains an iPXE script from the boot listener),
 * direct (no image is written: the machine boots from its volume), noop (the
 * volume targets are not used) and external (the operator gives each
 * target's properties; ironvol checks them and boots from them).
 */
const IMPLEMENTATIONS: Record<InterfaceKind, readonly string[]> = {
  boot: ['fake', 'ipxe'],
  deploy: ['fake', 'direct'],
  storage: ['noop', 'external'],
};

/** What each hardware type supports, in the order Ironic picks a default from. */
const SUPPORTED: Record<string, Record<InterfaceKind, readonly string[]>> = {
  'fake-hardware': { boot: ['fake'], deploy: ['fake'], storage: ['noop', 'external'] },
  ipmi: { boot: ['ipxe'], deploy: ['direct'], storage: ['noop', 'external'] },
};

const DEFAULT_ENABLED: Record<InterfaceKind, string> = { boot: 'fake,ipxe', deploy: 'fake,direct', storage: 'noop,external' };

/** ENABLED_BOOT_INTERFACES, ENABLED_DEPLOY_INTERFACES, ENABLED_STORAGE_INTERFACES (Ironic's enabled_*_interfaces). */
export function loadEnabledInterfaces(env: Env): Record<InterfaceKind, string[]> {
  const enabled = {} as Record<InterfaceKind, string[]>;
  for (const kind of INTERFACE_KINDS) {
    const variable = `ENABLED_${kind.toUpperCase()}_INTERFACES`;
    const names = [...new Set((env[variable]?.trim() || DEFAULT_ENABLED[kind]).split(',').map((n) => n.trim()).filter(Boolean))];
    if (!names.length || names.some((name) => !IMPLEMENTATIONS[kind].includes(name))) {
      throw new ConfigError(variable, `must list some of ${IMPLEMENTATIONS[kind].join(', ')} (got "${env[variable]}")`);
    }
    enabled[kind] = names;
  }
  return enabled;
}

/** Where a node's interfaces come from and what they may be, with Ironic's refusals. */
export class HardwareInterfaces {
  constructor(private readonly enabled: Record<InterfaceKind, readonly string[]>) {}

  /** The interface a node of this hardware type gets when none is named: the first it supports that is enabled. */
  defaultFor(driver: string, kind: InterfaceKind): string {
    const found = SUPPORTED[driver]?.[kind].find((name) => this.enabled[kind].includes(name));
    if (!found) throw invalid(`No default value found for ${kind} interface for node with driver ${driver}.`);
    return found;
  }

  /** A named interface, refused as Ironic refuses one that is not enabled (400) or not supported by the hardware type (400). */
  check(driver: string, kind: InterfaceKind, name: string): string {
    if (!this.enabled[kind].includes(name)) {
      throw invalid(
        `Could not find the following interface in the 'ironic.hardware.interfaces.${kind}' entrypoint: ${name}. Valid interfaces are ${pyRepr([...this.enabled[kind]])}.`,
      );
    }
    if (!SUPPORTED[driver]?.[kind].includes(name)) {
      throw invalid(`${kind} interface implementation '${name}' is not supported by hardware type ${driver}.`);
    }
    return name;
  }
}

/** Provision states in which a node's interfaces may change (else only in maintenance), as in Ironic's update_node. */
const INTERFACE_UPDATE_STATES = ['enroll', 'inspecting', 'inspect wait', 'manageable', 'available'];

/** Ironic's InvalidState (409) for an interface changed in a state that does not allow it. */
export function assertInterfaceChangeAllowed(node: { uuid: string; provision_state: string; maintenance: boolean | number }, field: string): void {
  if (INTERFACE_UPDATE_STATES.includes(node.provision_state) || node.maintenance) return;
  throw new IronicError(
    HttpStatus.CONFLICT,
    `Node ${node.uuid} can not have ${field} updated unless it is in one of allowed (${INTERFACE_UPDATE_STATES.join(', ')}) states or in maintenance mode.`,
  );
}
