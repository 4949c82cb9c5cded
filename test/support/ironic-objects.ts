import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/** Ironic's Python package is importable (the reference Ironic's install brings it). */
export const hasIronicObjects = spawnSync('/usr/bin/python3', ['-c', 'import ironic.objects']).status === 0;

/**
 * What Ironic's own versioned-object classes say of each payload
 * (test/clients/ironic-objects.py): 'ok', or why they would not read it.
 */
export function readWithIronicClasses(payloads: readonly unknown[]): string[] {
  const run = spawnSync('/usr/bin/python3', [join(__dirname, '..', 'clients', 'ironic-objects.py')], {
    input: payloads.map((p) => JSON.stringify(p)).join('\n'),
    encoding: 'utf8',
    timeout: 60000,
  });
  if (run.status !== 0) throw new Error(`ironic-objects.py failed: ${run.stderr}`);
  return run.stdout.trim().split('\n');
}
