import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { useTestApp } from './support/test-app';
import { Exchange, replay, Step } from './parity/runner';

interface V2Step {
  name: string;
  method: string;
  path: string;
  version?: string | null;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
  capture?: Record<string, string>;
}
interface V2Exchange {
  name: string;
  status: number;
  error?: unknown;
}

/** Steps where ironvol answers differently on purpose (see the README's list of kept differences). */
const KEPT: Record<string, number> = {
  'empty connector list fields=bogus (no error while empty)': 400,
  'empty target list fields=bogus (no error while empty)': 400,
  'connector malformed JSON': 400,
  'node connectors by name (404 in Ironic)': 200,
  'PATCH connector with If-Match (ignored)': 412,
  'connectors at abc': 400,
  'GET unknown path below /v1/volume': 404,
};

/** Errors with the same status whose wording differs on purpose. */
const WORDED_DIFFERENTLY = [
  // ironvol lists the node fields it stores, a subset of Ironic's.
  'patch node /power_state (not allowed)',
  'patch node /uuid (not allowed)',
  // ironvol says what is wrong with a form body instead of echoing it.
  'connector form-urlencoded body',
];

const v2: V2Step[] = JSON.parse(readFileSync(join(__dirname, 'parity', 'session.v2.json'), 'utf8'));
const recorded: V2Exchange[] = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'ironic', 'session.v2.json'), 'utf8'));

/** The v2 session's steps in the runner's form. */
const steps: Step[] = v2.map((s) => {
  const headers = { ...s.headers };
  const contentType = headers['Content-Type'] ?? headers['content-type'];
  delete headers['Content-Type'];
  delete headers['content-type'];
  return {
    name: s.name,
    method: s.method,
    path: s.path,
    version: s.version === undefined ? '1.32' : s.version,
    body: s.rawBody === undefined ? s.body : undefined,
    raw: s.rawBody === undefined ? undefined : { text: s.rawBody, contentType: contentType ?? 'application/json' },
    headers,
    capture: Object.fromEntries(Object.entries(s.capture ?? {}).map(([k, v]) => [k, v.replace(/^body\./, '')])),
  };
});

describe('parity with real Ironic, second session (218 requests)', () => {
  const t = useTestApp('sqlite');
  let ours: Exchange[];

  beforeAll(async () => {
    await t.app.listen(0, '127.0.0.1');
    const { port } = t.app.getHttpServer().address() as AddressInfo;
    ours = await replay(steps, `http://127.0.0.1:${port}`);
  });

  it('answers every step with Ironic\'s status', () => {
    const diffs = ours
      .map((mine, i) => ({ step: i + 1, name: steps[i].name, expected: KEPT[steps[i].name] ?? recorded[i].status, ironvol: mine.status, error: mine.error }))
      .filter((d) => d.expected !== d.ironvol);
    expect(diffs).toEqual([]);
  });

  it("words every error as Ironic does", () => {
    const comparable = (value: unknown) =>
      JSON.parse(
        JSON.stringify(value ?? null)
          .replace(/http:\/\/<host>/g, '<base>')
          .replace(/<timestamp>/g, '<time>')
          .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<uuid>'),
      );
    const diffs = ours
      .map((mine, i) => ({ step: i + 1, name: steps[i].name, ironic: comparable(recorded[i].error), ironvol: comparable(mine.error) }))
      .filter((d) => !(d.name in KEPT) && !WORDED_DIFFERENTLY.includes(d.name) && JSON.stringify(d.ironic) !== JSON.stringify(d.ironvol));
    expect(diffs).toEqual([]);
  });
});
