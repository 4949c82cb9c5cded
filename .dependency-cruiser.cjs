/**
 * The import rules of src/ (docs/architecture.md). Folders form layers, each
 * importing only those below it:
 *
 *   config < common < observability < auth < notifications < node < volume < boot
 *
 * with health/, root/, migrations/ and bin/ beside them and the
 * application's composition (src/*.ts: app.module, app.config, database,
 * main, openapi) on top. `npm run lint:deps` checks them; CI runs it.
 */
const FEATURES = ['auth', 'node', 'volume', 'boot', 'notifications', 'observability', 'health', 'root', 'migrations', 'bin'];
const below = (...allowed) => `^src/(?!(?:${allowed.join('|')})/)[^/]+/`;
const ROOT_FILES = '^src/[^/]+\\.ts$';

module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', comment: 'No import cycle between files.', from: {}, to: { circular: true } },
    {
      name: 'config-imports-nothing',
      severity: 'error',
      comment: 'config/ reads the environment and opens the database; it knows no other folder of src/.',
      from: { path: '^src/config/' },
      to: { path: [below('config'), ROOT_FILES] },
    },
    {
      name: 'common-imports-no-feature',
      severity: 'error',
      comment: 'common/ holds what every feature shares; it imports no feature.',
      from: { path: '^src/common/' },
      to: { path: [`^src/(${FEATURES.join('|')})/`, ROOT_FILES] },
    },
    {
      name: 'observability-layer',
      severity: 'error',
      from: { path: '^src/observability/' },
      to: { path: [below('config', 'common', 'observability'), ROOT_FILES] },
    },
    {
      name: 'auth-layer',
      severity: 'error',
      from: { path: '^src/auth/' },
      to: { path: [below('config', 'common', 'observability', 'auth'), ROOT_FILES] },
    },
    {
      name: 'notifications-imports-no-feature',
      severity: 'error',
      comment: 'notifications/ carries events; the features that send them own their payloads.',
      from: { path: '^src/notifications/' },
      to: { path: [below('config', 'common', 'observability', 'notifications'), ROOT_FILES] },
    },
    {
      name: 'node-knows-no-volume',
      severity: 'error',
      comment: 'Nodes know nothing of volumes; volumes build on nodes.',
      from: { path: '^src/node/' },
      to: { path: [below('config', 'common', 'observability', 'auth', 'notifications', 'node'), ROOT_FILES] },
    },
    {
      name: 'volume-layer',
      severity: 'error',
      from: { path: '^src/volume/' },
      to: { path: [below('config', 'common', 'observability', 'auth', 'notifications', 'node', 'volume'), ROOT_FILES] },
    },
    {
      name: 'boot-layer',
      severity: 'error',
      comment: 'boot/ reads nodes and their volumes to boot machines; nothing below it knows it.',
      from: { path: '^src/boot/' },
      to: { path: [below('config', 'common', 'observability', 'auth', 'notifications', 'node', 'volume', 'boot'), ROOT_FILES] },
    },
    {
      name: 'leaves-import-no-composition',
      severity: 'error',
      comment: 'health/, root/ and migrations/ are leaves; only bin/ and the composition files start the application.',
      from: { path: '^src/(health|root|migrations)/' },
      to: { path: [`^src/(node|volume|boot|notifications|bin)/`, ROOT_FILES] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.spec\\.ts$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
