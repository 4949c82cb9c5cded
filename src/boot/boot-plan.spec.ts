import fc from 'fast-check';
import { bootPlanOf, ConnectorRecord, TargetRecord } from './boot-plan';
import { BootValueError } from './boot-values';
import { renderNodeScript } from './ipxe-script';

const IQN = { type: 'iqn', connector_id: 'iqn.2026-12.org.example:node-1' };
const MAC = { type: 'mac', connector_id: '52:54:00:12:34:56' };
const REPORT = 'http://10.0.2.100/report/1be26c0b-03f2-4d2e-ae87-c02d7f33c123';

function target(changes: Partial<TargetRecord> = {}, properties: Record<string, unknown> = {}): TargetRecord {
  return {
    uuid: '0b4d3a43-3ea5-4f6a-8a62-2b3b2e64a3a4',
    volume_type: 'iscsi',
    boot_index: 0,
    ...changes,
    properties: {
      target_iqn: 'iqn.2026-12.org.example:boot',
      target_portal: '10.0.2.101:3260',
      target_lun: 1,
      auth_username: 'node1',
      auth_password: 'Secret-p4ss',
      ...properties,
    },
  };
}

const script = (connectors: ConnectorRecord[], targets: TargetRecord[], report: string | null = REPORT) =>
  renderNodeScript(bootPlanOf(connectors, targets, report).script);

describe(bootPlanOf.name, () => {
  it("writes Ironic's :boot_iscsi section for a boot volume with CHAP", () => {
    expect(script([IQN, MAC], [target()]).split('\n')).toEqual([
      '#!ipxe',
      '',
      'set initiator-iqn iqn.2026-12.org.example:node-1',
      '',
      ':boot_iscsi',
      'set username node1',
      'set password Secret-p4ss',
      'set volume 0',
      'sanhook --drive 0x80 iscsi:10.0.2.101::3260:1:iqn.2026-12.org.example:boot || goto fail_iscsi_retry',
      'sanboot --no-describe || goto fail_iscsi_retry',
      '',
      ':fail_iscsi_retry',
      `imgfetch --name report ${REPORT}?volume=\${volume}&errno=\${errno} && imgfree report ||`,
      'echo Failed to attach iSCSI volume(s), retrying in 10 seconds.',
      'sleep 10',
      'goto boot_iscsi',
      '',
    ]);
  });

  it('hooks further iscsi volumes as 0x81, ... in boot_index order, each with its own CHAP or none', () => {
    const extra = (uuid: string, index: number, props: Record<string, unknown>) =>
      target({ uuid, boot_index: index }, { target_iqn: `iqn.2026-12.org.example:data${index}`, ...props });
    const text = script([IQN, MAC], [
      extra('c', 5, { auth_username: undefined, auth_password: undefined }),
      target(),
      extra('b', 2, { target_lun: 255, target_portal: '[fd00::1]:3261' }),
      target({ uuid: 'fc', boot_index: 1, volume_type: 'fibre_channel' }),
    ]);
    expect(text).toContain('sanhook --drive 0x80 iscsi:10.0.2.101::3260:1:iqn.2026-12.org.example:boot ||');
    expect(text).toContain('sanhook --drive 0x81 iscsi:[fd00::1]::3261:ff:iqn.2026-12.org.example:data2 ||');
    expect(text).toContain('clear username\nclear password\nset volume 2\nsanhook --drive 0x82 iscsi:10.0.2.101::3260:1:iqn.2026-12.org.example:data5 ||');
    expect(text).not.toContain('fibre');
  });

  it.each([
    [{ target_lun: 10 }, ':a:'],
    [{ target_lun: '16383' }, ':3fff:'],
    [{ target_portal: '10.0.2.101' }, 'iscsi:10.0.2.101::3260:'],
    [{ target_portal: 'FD00::2' }, 'iscsi:[fd00::2]::3260:'],
    [{ target_portal: 'san-1.example.org:860' }, 'iscsi:san-1.example.org::860:'],
    [{ target_iqn: 'eui.02004567A425678D' }, ':eui.02004567A425678D ||'],
    [{ auth_method: 'None' }, 'clear username\nclear password'],
  ])('reads %j', (properties, expected) => {
    expect(script([IQN, MAC], [target({}, properties)])).toContain(expected);
  });

  it('takes the first iqn connector as the initiator name', () => {
    expect(script([IQN, MAC, { type: 'iqn', connector_id: 'iqn.2026-12.org.example:other' }], [target()])).toContain('set initiator-iqn iqn.2026-12.org.example:node-1');
  });

  it.each([
    ['no volume target with boot_index 0', [IQN, MAC], []],
    ['only iscsi volumes can be booted from', [IQN, MAC], [target({ volume_type: 'fibre_channel' })]],
    ['no volume connector of type iqn', [MAC], [target()]],
    ['no volume connector of type mac', [IQN], [target()]],
    ['volume connector mac must be a MAC address', [IQN, { type: 'mac', connector_id: 'not-a-mac' }], [target()]],
    ['volume connector iqn must be an iSCSI name', [{ type: 'iqn', connector_id: 'iqn.2026-12.org.example:a b' }, MAC], [target()]],
    ['properties.target_iqn must be an iSCSI name', [IQN, MAC], [target({}, { target_iqn: 'iqn.2026-12.org.example:boot\nchain http://elsewhere/' })]],
    ['properties.target_iqn', [IQN, MAC], [target({}, { target_iqn: 'iqn.2026-13.org.example:x' })]],
    ['properties.target_iqn must be an iSCSI name (iqn.yyyy-mm.reversed.domain[:id], eui. or naa. and hex digits), got nothing', [IQN, MAC], [target({}, { target_iqn: undefined })]],
    ['properties.target_portal', [IQN, MAC], [target({}, { target_portal: '10.0.2.101:0' })]],
    ['properties.target_portal', [IQN, MAC], [target({}, { target_portal: '10.0.2.101:65536' })]],
    ['properties.target_portal', [IQN, MAC], [target({}, { target_portal: '300.1.1.1' })]],
    ['properties.target_portal', [IQN, MAC], [target({}, { target_portal: 'host ${x}' })]],
    ['properties.target_portal', [IQN, MAC], [target({}, { target_portal: ['10.0.2.101:3260'] })]],
    ['properties.target_lun must be an integer from 0 to 16383', [IQN, MAC], [target({}, { target_lun: '1a' })]],
    ['properties.target_lun', [IQN, MAC], [target({}, { target_lun: 16384 })]],
    ['properties.target_lun', [IQN, MAC], [target({}, { target_lun: -1 })]],
    ['properties.target_lun', [IQN, MAC], [target({}, { target_lun: 1.5 })]],
    ['must be given together (CHAP), or neither', [IQN, MAC], [target({}, { auth_password: undefined })]],
    ['properties.auth_username must be 1 to 255 printable characters', [IQN, MAC], [target({}, { auth_username: 'a b' })]],
    ['properties.auth_password must be 1 to 255 printable characters without blanks, quotes or any of $ { } | & ; # \\ (not shown)', [IQN, MAC], [target({}, { auth_password: 'x${y}' })]],
    ['properties.auth_method must be CHAP or None', [IQN, MAC], [target({}, { auth_method: 'kerberos' })]],
    ['auth_method is CHAP but no auth_username', [IQN, MAC], [target({}, { auth_method: 'CHAP', auth_username: undefined, auth_password: undefined })]],
  ])('refuses: %s', (message, connectors, targets) => {
    expect(() => bootPlanOf(connectors, targets, REPORT)).toThrow(BootValueError);
    expect(() => bootPlanOf(connectors, targets, REPORT)).toThrow(message);
  });

  it('never shows a refused CHAP secret', () => {
    expect(() => bootPlanOf([IQN, MAC], [target({}, { auth_password: 'hunter2 leaked' })], REPORT)).not.toThrow(/hunter2/);
  });

  /**
   * Whatever the records hold, a script is either refused or has exactly
   * the lines of its plan: no value adds a line, a command, an argument, an
   * expansion or an operator.
   */
  it('writes no value into a script that could change what the script does', () => {
    const hostile = fc.oneof(
      fc.string(),
      fc.string({ unit: fc.constantFrom(...'iqn.2026-12:exampl0${}|&; \n\r\t#"\'\\:[]/'.split('')) }),
      fc.constantFrom('iqn.2026-12.org.example:a', '10.0.2.101:3260', '[fd00::1]', 'u', 'p4ss'),
      fc.integer({ min: -2, max: 20000 }),
      fc.constant(undefined),
    );
    fc.assert(
      fc.property(hostile, hostile, hostile, hostile, hostile, hostile, (iqn, portal, lunValue, user, password, initiator) => {
        let text: string;
        try {
          text = script(
            [{ type: 'iqn', connector_id: String(initiator) }, MAC],
            [target({}, { target_iqn: iqn, target_portal: portal, target_lun: lunValue, auth_username: user, auth_password: password })],
          );
        } catch (error) {
          if (error instanceof BootValueError) return;
          throw error;
        }
        const lines = text.split('\n');
        expect(lines).toHaveLength(17);
        for (const line of lines.filter((l) => l.startsWith('set ') || l.startsWith('sanhook'))) {
          expect(line).not.toMatch(/[$"'\\#;]|\|\|.*\|\||&&/);
          expect(line.split(' ').length).toBeLessThanOrEqual(line.startsWith('sanhook') ? 6 : 3);
        }
      }),
      { numRuns: Number(process.env.BOOT_PROPERTY_RUNS ?? 2000) },
    );
  }, 60_000);
});
