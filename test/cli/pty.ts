import { spawn, type ChildProcess } from 'node:child_process';
import { waitFor } from '../fakes/wait.js';
import { BIN, ROOT } from './run.js';

/**
 * `faultline ARGS` on a real pseudo-terminal, through util-linux `script` (Debian's bsdutils): the bot sees
 * a TTY, sets raw mode and bracketed paste as it would for a person. Keys are written to the terminal;
 * `screen` is everything the terminal showed, with CRLF made LF.
 */
export class Pty {
  private readonly child: ChildProcess;
  private out = '';
  readonly exited: Promise<number | null>;

  constructor(args: string[], opts: { cwd?: string; columns?: number } = {}) {
    const cmd = [
      opts.columns ? `stty cols ${opts.columns};` : '',
      'exec',
      JSON.stringify(process.execPath),
      JSON.stringify(BIN),
      ...args.map((a) => JSON.stringify(a)),
    ].join(' ');
    this.child = spawn('script', ['-qfec', cmd, '/dev/null'], {
      cwd: opts.cwd ?? ROOT,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child.stdout?.on('data', (d: Buffer) => (this.out += d.toString('utf8')));
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
  }

  get screen(): string {
    return this.out.replace(/\r\n/g, '\n');
  }

  /** What appeared on the screen after position `from` (see `mark`). */
  since(from: number): string {
    return this.screen.slice(from);
  }

  mark(): number {
    return this.screen.length;
  }

  type(keys: string): void {
    this.child.stdin?.write(keys);
  }

  /** A paste as a terminal with bracketed paste mode sends it: newlines as CR, between the markers. */
  paste(text: string): void {
    this.type(`\x1b[200~${text.replace(/\n/g, '\r')}\x1b[201~`);
  }

  async waitFor(what: string, pred: (screen: string) => boolean, timeoutMs = 20_000): Promise<void> {
    await waitFor(what, () => pred(this.screen), timeoutMs);
  }

  kill(): void {
    this.child.kill('SIGKILL');
  }
}
