import { execFileSync } from 'node:child_process';
import path from 'node:path';

/**
 * End-to-end tests spawn the built CLI, so build it once, fresh, before any test runs: tsc's dist/ (which
 * some tests import) and the bundle users run (test/cli/run.ts BIN).
 */
export default function setup(): void {
  const root = path.resolve(__dirname, '..');
  execFileSync(
    process.execPath,
    [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
    { cwd: root, stdio: 'inherit' },
  );
  execFileSync(
    process.execPath,
    [path.join(root, 'node_modules/rolldown/bin/cli.mjs'), '-c', 'rolldown.config.js', '--logLevel', 'warn'],
    { cwd: root, stdio: 'inherit' },
  );
}
