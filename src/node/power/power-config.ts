import { boolean, ConfigError, Env, integer } from '../../config/env';
import type { IpmiConfig } from './ipmi.driver';
import { InterfaceKind, loadEnabledInterfaces } from '../hardware/hardware-interfaces';

/** The hardware types ironvol has drivers for. */
export const HARDWARE_TYPES = ['fake-hardware', 'ipmi'] as const;

/** The power section, for injection. */
export const POWER_CONFIG = Symbol('POWER_CONFIG');

export interface PowerConfig {
  /** The hardware types nodes may use (Ironic's enabled_hardware_types); others are refused at create. */
  hardwareTypes: string[];
  ipmi: IpmiConfig;
  /** Seconds between power-state syncs of `ipmi` nodes (Ironic's sync_power_state_interval); 0 turns sync off. */
  syncIntervalMs: number;
  /** Put the machine back to the recorded state (true, Ironic's force_power_state_during_sync) or record the machine's. */
  syncForce: boolean;
  /** BMCs a sync asks at once. */
  syncConcurrency: number;
  /** Failed syncs in a row after which last_error says so (Ironic's power_state_sync_max_retries). */
  syncMaxRetries: number;
  /** Confirm with the BMC that an `ipmi` node is off before a guarded volume change commits. */
  liveCheck: boolean;
  /** The boot, deploy and storage interfaces nodes may use (Ironic's enabled_*_interfaces). */
  interfaces: Record<InterfaceKind, string[]>;
}

function hardwareTypes(env: Env): string[] {
  const names = (env.ENABLED_HARDWARE_TYPES?.trim() || 'fake-hardware').split(',').map((name) => name.trim()).filter(Boolean);
  const unknown = names.find((name) => !(HARDWARE_TYPES as readonly string[]).includes(name));
  if (unknown || names.length === 0) {
    throw new ConfigError('ENABLED_HARDWARE_TYPES', `must list some of ${HARDWARE_TYPES.join(', ')} (got "${env.ENABLED_HARDWARE_TYPES}")`);
  }
  return [...new Set(names)];
}

export function loadPowerConfig(env: Env): PowerConfig {
  return {
    hardwareTypes: hardwareTypes(env),
    ipmi: {
      ipmitool: env.IPMITOOL_PATH?.trim() || 'ipmitool',
      commandTimeoutMs: integer(env, 'IPMI_COMMAND_TIMEOUT_SECONDS', 10, 1, 600) * 1000,
      retryTimeoutMs: integer(env, 'IPMI_COMMAND_RETRY_TIMEOUT_SECONDS', 60, 0, 3600) * 1000,
      retryIntervalMs: integer(env, 'IPMI_MIN_COMMAND_INTERVAL_MS', 5000, 0, 60000),
      stateChangeTimeoutMs: integer(env, 'POWER_STATE_CHANGE_TIMEOUT_SECONDS', 30, 1, 3600) * 1000,
    },
    syncIntervalMs: integer(env, 'POWER_SYNC_INTERVAL_SECONDS', 60, 0, 86400) * 1000,
    syncForce: boolean(env, 'POWER_SYNC_FORCE', true),
    syncConcurrency: integer(env, 'POWER_SYNC_CONCURRENCY', 8, 1, 256),
    syncMaxRetries: integer(env, 'POWER_SYNC_MAX_RETRIES', 3, 1, 100),
    liveCheck: boolean(env, 'POWER_LIVE_CHECK', true),
    interfaces: loadEnabledInterfaces(env),
  };
}
