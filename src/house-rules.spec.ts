import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * The rules of the source tree (docs/architecture.md), checked on the code
 * itself so that they hold for every later change too.
 */
const ROOT = join(__dirname, '..');
const SRC = join(ROOT, 'src');

function sources(dir = SRC): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [relative(ROOT, path)] : [];
  });
}

const FILES = sources().map((path) => ({ path, text: readFileSync(join(ROOT, path), 'utf8') }));

/** Lines of a file that match, as "path:line: text". */
function matches(pattern: RegExp, files = FILES): string[] {
  return files.flatMap(({ path, text }) =>
    text.split('\n').flatMap((line, i) => (pattern.test(line) ? [`${path}:${i + 1}: ${line.trim()}`] : [])),
  );
}

const TABLES = ['nodes', 'volume_connectors', 'volume_targets', 'notification_outbox', 'notification_relay'];

describe('the source tree', () => {
  it('keeps every file under 300 lines', () => {
    const long = FILES.filter(({ text }) => text.split('\n').length > 300).map(({ path }) => path);
    expect(long).toEqual([]);
  });

  it('writes SQL naming a table only in repositories and migrations', () => {
    const sql = new RegExp(`\\b(FROM|INTO|UPDATE|JOIN)\\s+(${TABLES.join('|')})\\b`);
    const elsewhere = FILES.filter(({ path }) => !path.endsWith('.repository.ts') && !path.startsWith('src/migrations/'));
    expect(matches(sql, elsewhere)).toEqual([]);
  });

  it('bumps a row version in one place per table', () => {
    expect(matches(/version = version \+ 1/).map((hit) => hit.split(':')[0])).toEqual([
      'src/node/node.repository.ts',
      'src/volume/shared/volume.repository.ts',
    ]);
  });

  it("builds Ironic's NodeLocked in one place", () => {
    const calls = matches(/\bNodeLocked\(/).filter((hit) => !hit.startsWith('src/common/errors/ironic-errors.ts'));
    expect(calls.map((hit) => hit.split(':')[0])).toEqual(['src/node/node.repository.ts']);
  });

  it('reads the request line only in middleware, the exception filter, the HTTP adapter and listeners of their own (the boot listener)', () => {
    const doors = ['.middleware.ts', 'exception.filter.ts', '.adapter.ts', '-listener.ts'];
    const outside = FILES.filter(({ path }) => !doors.some((door) => path.endsWith(door)));
    expect(matches(/\b(request|req)\.(method|path)\b/, outside)).toEqual([]);
  });

  it('compares microversions with numbers only in common/microversion/', () => {
    const outside = FILES.filter(({ path }) => !path.startsWith('src/common/microversion/'));
    expect(matches(/\bminor\s*[<>]=?\s*\d|\d\s*[<>]=?\s*minor\b|atLeast\([^,]+,\s*\d/, outside)).toEqual([]);
  });

  it('follows the import rules (dependency-cruiser)', () => {
    const cli = join(ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');
    const run = () => execFileSync(process.execPath, [cli, 'src', '--config', '.dependency-cruiser.cjs', '--output-type', 'err'], { cwd: ROOT, stdio: 'pipe' });
    expect(run).not.toThrow();
  }, 60_000);
});
