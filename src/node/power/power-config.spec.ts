import { loadConfig } from '../../app.config';

describe('power configuration', () => {
  it('has Ironic\'s defaults', () => {
    expect(loadConfig({}).power).toEqual({
      hardwareTypes: ['fake-hardware'],
      ipmi: { ipmitool: 'ipmitool', commandTimeoutMs: 10000, retryTimeoutMs: 60000, retryIntervalMs: 5000, stateChangeTimeoutMs: 30000 },
      syncIntervalMs: 60000,
      syncForce: true,
      syncConcurrency: 8,
      syncMaxRetries: 3,
      liveCheck: true,
      interfaces: { boot: ['fake', 'ipxe'], deploy: ['fake', 'direct'], storage: ['noop', 'external'] },
    });
  });

  it('reads each variable', () => {
    const power = loadConfig({
      IPMITOOL_PATH: '/opt/ipmitool', IPMI_COMMAND_TIMEOUT_SECONDS: '3', IPMI_COMMAND_RETRY_TIMEOUT_SECONDS: '0', IPMI_MIN_COMMAND_INTERVAL_MS: '250',
      POWER_STATE_CHANGE_TIMEOUT_SECONDS: '5', POWER_SYNC_INTERVAL_SECONDS: '0', POWER_SYNC_FORCE: 'false', POWER_SYNC_CONCURRENCY: '2',
      POWER_SYNC_MAX_RETRIES: '5', POWER_LIVE_CHECK: 'false', ENABLED_HARDWARE_TYPES: 'ipmi, fake-hardware',
      ENABLED_BOOT_INTERFACES: 'ipxe', ENABLED_DEPLOY_INTERFACES: 'direct,fake', ENABLED_STORAGE_INTERFACES: 'external',
    }).power;
    expect(power).toEqual({
      hardwareTypes: ['ipmi', 'fake-hardware'],
      ipmi: { ipmitool: '/opt/ipmitool', commandTimeoutMs: 3000, retryTimeoutMs: 0, retryIntervalMs: 250, stateChangeTimeoutMs: 5000 },
      syncIntervalMs: 0, syncForce: false, syncConcurrency: 2, syncMaxRetries: 5, liveCheck: false,
      interfaces: { boot: ['ipxe'], deploy: ['direct', 'fake'], storage: ['external'] },
    });
  });

  it.each([
    [{ ENABLED_HARDWARE_TYPES: 'redfish' }, 'ENABLED_HARDWARE_TYPES must list some of fake-hardware, ipmi (got "redfish")'],
    [{ ENABLED_HARDWARE_TYPES: ',' }, 'ENABLED_HARDWARE_TYPES must list some of fake-hardware, ipmi'],
    [{ IPMI_COMMAND_TIMEOUT_SECONDS: '0' }, 'IPMI_COMMAND_TIMEOUT_SECONDS must be an integer'],
    [{ POWER_SYNC_INTERVAL_SECONDS: 'often' }, 'POWER_SYNC_INTERVAL_SECONDS must be an integer'],
    [{ POWER_SYNC_CONCURRENCY: '0' }, 'POWER_SYNC_CONCURRENCY must be an integer'],
    [{ POWER_SYNC_FORCE: 'maybe' }, 'POWER_SYNC_FORCE'],
    [{ POWER_LIVE_CHECK: 'sometimes' }, 'POWER_LIVE_CHECK'],
    [{ ENABLED_BOOT_INTERFACES: 'pxe' }, 'ENABLED_BOOT_INTERFACES must list some of fake, ipxe (got "pxe")'],
    [{ ENABLED_DEPLOY_INTERFACES: 'ansible' }, 'ENABLED_DEPLOY_INTERFACES must list some of fake, direct'],
    [{ ENABLED_STORAGE_INTERFACES: 'cinder' }, 'ENABLED_STORAGE_INTERFACES must list some of noop, external'],
  ])('refuses %j naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });
});
