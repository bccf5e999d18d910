import { execFileSync } from 'node:child_process';
import path from 'node:path';

/**
 * End-to-end tests spawn the built CLI, so build it once, fresh, before any test runs: tsc's dist/ (which
 * some tests import) and the bundle users run (test/cli/run.ts BIN).
 */
export default function setup(): void {
  execFileSync('npm', ['run', '--silent', 'build'], {
    cwd: path.resolve(__dirname, '..'),
    stdio: 'inherit',
  });
}
