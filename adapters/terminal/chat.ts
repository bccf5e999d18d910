import { isBotCommand, type Bot, type InboundAction } from '../../src/bot/bot.js';
import type { BotReply } from '../../src/bot/diagnostics.js';
import type { FrontEnd } from '../../src/frontend/frontend.js';
import { renderTerminal, wrap } from '../../src/reply/terminal.js';
import { TERMINAL_WORDS } from '../../src/reply/words.js';

export interface ChatIO {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  color: boolean;
  user: string;
  /** The terminal user's roles, for the policy (`terminal.roles`). */
  roles?: string[];
  /** The operating-system account at this terminal, for the audit log. */
  osUser?: string;
  /** A paste with no end marker ends after this much quiet (ms). */
  idleMs?: number;
}

/** Long enough that a paste arriving in pieces (over SSH, a slow terminal) stays one paste. */
const IDLE_MS = 600;

// Bracketed paste mode: the terminal wraps a paste in these, so empty lines inside it end nothing.
const PASTE_ON = '\x1b[?2004h';
const PASTE_OFF = '\x1b[?2004l';
const PASTE_START = '\x1b[200~';
const PASTE_END = '\x1b[201~';

/** The terminal as a front end: `faultline start` runs it when no platform is enabled. */
export const terminalFrontEnd: FrontEnd = {
  name: 'terminal',
  enabled: () => false,
  async start({ app, bot }) {
    const done = runChat(bot, {
      input: process.stdin,
      output: process.stdout,
      color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
      user: app.config.terminal.user,
      roles: app.config.terminal.roles,
    });
    return { stop: () => done, done };
  },
};

type Key =
  | { kind: 'line'; text: string }
  | { kind: 'paste-start' | 'paste-end' | 'eof' | 'interrupt' | 'end' }
  | { kind: 'idle'; generation: number };

/**
 * Splits the input into lines and the keys that matter. On a terminal the input is raw (so that Ctrl-D
 * with a paste pending can end the paste instead of the input, and the bracketed-paste markers arrive):
 * typed characters are echoed here, Backspace and Ctrl-U edit the line. From a pipe it is plain lines.
 */
class KeyDecoder {
  private line = '';
  private pending = '';

  constructor(
    private readonly raw: boolean,
    private readonly echo: (s: string) => void,
    private readonly emit: (k: Key) => void,
  ) {}

  feed(chunk: string): void {
    let s = this.pending + chunk;
    this.pending = '';
    for (let i = 0; i < s.length; i++) {
      const ch = s[i] as string;
      if (ch === '\x1b') {
        const rest = s.slice(i);
        if (rest.startsWith(PASTE_START) || rest.startsWith(PASTE_END)) {
          const start = rest.startsWith(PASTE_START);
          // Text pasted without a final newline still belongs to the paste.
          if (!start && this.line) this.endLine();
          this.emit({ kind: start ? 'paste-start' : 'paste-end' });
          i += PASTE_START.length - 1;
          continue;
        }
        // A marker split across reads: wait for the rest.
        if (PASTE_START.startsWith(rest) || PASTE_END.startsWith(rest)) {
          this.pending = rest;
          return;
        }
        // Other escape sequences (arrow keys, colours in a paste) are skipped whole.
        const m = /^\x1b(?:\[[0-?]*[ -/]*[@-~]|[@-Z\\-_])?/.exec(rest);
        i += (m?.[0].length ?? 1) - 1;
        continue;
      }
      if (ch === '\n' || ch === '\r') {
        // A CRLF from a pipe or a paste is one line end.
        if (ch === '\r' && s[i + 1] === '\n') i++;
        this.endLine();
      } else if (this.raw && ch === '\x04') this.emit({ kind: 'eof' });
      else if (this.raw && ch === '\x03') this.emit({ kind: 'interrupt' });
      else if (this.raw && (ch === '\x7f' || ch === '\b')) {
        if (this.line) {
          this.line = [...this.line].slice(0, -1).join('');
          this.echo('\b \b');
        }
      } else if (this.raw && ch === '\x15') {
        this.echo('\r\x1b[K');
        this.line = '';
      } else if (ch === '\t' || ch >= ' ') {
        this.line += ch;
        this.echo(ch);
      }
    }
    s = '';
  }

  /** End of input: a last line without a newline still counts. */
  close(): void {
    if (this.line) this.endLine();
    this.emit({ kind: 'end' });
  }

  private endLine(): void {
    this.echo('\n');
    this.emit({ kind: 'line', text: this.line });
    this.line = '';
  }
}

const QUIT = new Set(['quit', 'exit', 'bye']);

/**
 * The terminal bot. A paste is one paste: inside the terminal's bracketed-paste markers, or else until two
 * empty lines, a short quiet, Ctrl-D or the end of input; then one reply. A line on its own that is a
 * command (`more`, `show ID`, `run ID on HOST`, `approve ID`, `quit`, ...) acts at once. It is the same
 * `Bot` the chat platforms use, with the terminal as the only thread.
 */
export async function runChat(bot: Bot, io: ChatIO): Promise<void> {
  const tty = io.input as NodeJS.ReadStream;
  const interactive = Boolean(tty.isTTY) && typeof tty.setRawMode === 'function';
  const outTty = Boolean((io.output as NodeJS.WriteStream).isTTY);
  const write = (s: string) => io.output.write(s + '\n');
  const width = () => (outTty ? (io.output as NodeJS.WriteStream).columns : undefined);
  /** Prose of the terminal's own, wrapped like the replies. */
  const say = (s: string) =>
    write(
      s
        .split('\n')
        .flatMap((l) => wrap(l, width()))
        .join('\n'),
    );
  const idleMs = io.idleMs ?? IDLE_MS;
  const who = { platform: 'terminal', user: io.user, channel: 'terminal', thread: 'terminal' };
  const roles = {
    ...(io.roles?.length ? { roles: io.roles } : {}),
    ...(io.osUser !== undefined ? { osUser: io.osUser } : {}),
  };

  const show = (replies: BotReply[]) => {
    for (const r of replies) write(renderTerminal(r, { color: io.color, width: width() }) + '\n');
  };
  const send = async (text: string) => {
    // A fan-out's hosts are printed as each finishes.
    const early = async (r: BotReply) => show([r]);
    show(await bot.receive({ ...who, ...roles, eventId: undefined, text, trigger: 'terminal' }, { early }));
  };
  const decide = async (kind: 'approve' | 'reject', requestId: string) => {
    const action: InboundAction = { ...who, ...roles, kind, requestId };
    const r = await bot.act(action);
    for (const p of r.privately) say(p + '\n');
    show([...(r.update ? [r.update] : []), ...r.replies]);
  };

  // Events are handled one at a time, in order, while the input keeps arriving.
  const queue: Key[] = [];
  let wake: (() => void) | undefined;
  const push = (k: Key) => {
    queue.push(k);
    wake?.();
  };
  const decoder = new KeyDecoder(interactive, (s) => interactive && io.output.write(s), push);
  const onData = (d: Buffer | string) => decoder.feed(typeof d === 'string' ? d : d.toString('utf8'));
  const onEnd = () => decoder.close();
  io.input.on('data', onData);
  io.input.once('end', onEnd);
  if (interactive) {
    tty.setRawMode(true);
    if (outTty) io.output.write(PASTE_ON);
    say(TERMINAL_WORDS.greeting);
  }
  tty.resume?.();

  let lines: string[] = [];
  let bracketed = false;
  let empties = 0;
  let generation = 0;
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    clearTimeout(timer);
    const g = ++generation;
    timer = setTimeout(() => push({ kind: 'idle', generation: g }), idleMs);
  };
  const flush = async () => {
    clearTimeout(timer);
    generation++;
    const text = lines.join('\n');
    lines = [];
    empties = 0;
    bracketed = false;
    if (text.trim()) await send(text);
  };

  try {
    for (;;) {
      const k = queue.shift();
      if (!k) {
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
        continue;
      }
      if (k.kind === 'end' || k.kind === 'interrupt') break;
      if (k.kind === 'idle') {
        if (k.generation === generation && !bracketed && lines.length) await flush();
        continue;
      }
      if (k.kind === 'paste-start') {
        bracketed = true;
        clearTimeout(timer);
        continue;
      }
      if (k.kind === 'paste-end') {
        await flush();
        continue;
      }
      if (k.kind === 'eof') {
        if (!lines.length) break;
        await flush();
        continue;
      }
      if (k.kind !== 'line') continue;
      const line = k.text;
      if (bracketed) {
        lines.push(line);
        continue;
      }
      if (!lines.length) {
        const word = line.trim().toLowerCase();
        if (!word) continue;
        if (QUIT.has(word)) break;
        if (word === 'help') {
          await send('help');
          say(`${TERMINAL_WORDS.help}\n`);
          continue;
        }
        const decision = /^(approve|reject)\s+(\S+)$/i.exec(line.trim());
        if (decision) {
          await decide((decision[1] ?? '').toLowerCase() as 'approve' | 'reject', decision[2] ?? '');
          continue;
        }
        if (isBotCommand(line)) {
          await send(line.trim());
          continue;
        }
      }
      if (!line.trim()) {
        empties++;
        // Two empty lines end a paste; one is part of it (stack traces have them).
        if (empties >= 2) await flush();
        else {
          lines.push(line);
          arm();
        }
        continue;
      }
      empties = 0;
      lines.push(line);
      arm();
    }
    await flush();
  } finally {
    clearTimeout(timer);
    io.input.off('data', onData);
    io.input.off('end', onEnd);
    if (interactive) {
      if (outTty) io.output.write(PASTE_OFF);
      tty.setRawMode(false);
      tty.pause();
    }
  }
  if (interactive) write('bye');
}
