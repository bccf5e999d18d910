import { spawnSync } from 'node:child_process';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '../..');
/** The bundle that `bin` and `npm start` run (`npm run build`; the global setup builds it). */
export const BIN = path.join(ROOT, 'dist/cli/faultline.cjs');

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built `faultline` bin as a user would, with NO_COLOR so output is plain. */
export function faultline(
  args: string[],
  opts: { input?: string; cwd?: string; env?: Record<string, string> } = {},
): Run {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: opts.cwd ?? ROOT,
    input: opts.input ?? '',
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ...opts.env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
