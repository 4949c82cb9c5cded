/**
 * The container's entry point: `serve` (default) runs the API, `migrate`
 * applies pending migrations once and exits (for a Kubernetes Job or init
 * container).
 */
const command = process.argv[2] ?? 'serve';

switch (command) {
  case 'serve':
    require('../main');
    break;
  case 'migrate':
    require('./migrate');
    break;
  default:
    process.stderr.write(`ironvol: unknown command "${command}" (use serve or migrate)\n`);
    process.exit(2);
}
