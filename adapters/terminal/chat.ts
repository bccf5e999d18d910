import { createInterface } from 'node:readline';
import type { Bot } from '../../src/bot/bot.js';
import type { FrontEnd } from '../../src/frontend/frontend.js';
import { renderTerminal } from '../../src/reply/terminal.js';
import { isCoreReply } from '../../src/bot/diagnostics.js';

export interface ChatIO {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  color: boolean;
  user: string;
}

const COMMANDS = new Set(['more', 'next', 'help', 'helpful', 'wrong']);

/**
 * The terminal bot: a paste ends at a blank line or end of input; one-word commands act at once. It is
 * the same `Bot` the chat platforms use, with the terminal as the only thread.
 */
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
    });
    return { stop: () => done, done };
  },
};

export async function runChat(bot: Bot, io: ChatIO): Promise<void> {
  const write = (s: string) => io.output.write(s + '\n');
  const interactive = 'isTTY' in io.input && Boolean((io.input as NodeJS.ReadStream).isTTY);
  if (interactive) {
    write(
      'faultline: paste an error, then an empty line (Ctrl-D to quit; "more" for the next match; "help").',
    );
  }
  const rl = createInterface({ input: io.input, terminal: false });
  let block: string[] = [];
  let n = 0;
  const send = async (text: string) => {
    n++;
    const replies = await bot.receive({
      platform: 'terminal',
      eventId: undefined,
      user: io.user,
      channel: 'terminal',
      thread: 'terminal',
      text,
      trigger: 'terminal',
    });
    for (const r of replies.filter(isCoreReply)) write(renderTerminal(r, { color: io.color }) + '\n');
  };
  const flush = async () => {
    const text = block.join('\n');
    block = [];
    if (text.trim()) await send(text);
  };
  for await (const line of rl) {
    const word = line.trim().toLowerCase();
    if (block.length === 0 && (word === 'quit' || word === 'exit')) break;
    // A number or "none" answers "which guide fits?" at once, like the one-word commands.
    if (block.length === 0 && (COMMANDS.has(word) || /^(?:\d{1,2}|none)$/.test(word))) {
      await send(word);
      continue;
    }
    if (!line.trim()) {
      await flush();
      continue;
    }
    block.push(line);
  }
  await flush();
  if (interactive && n === 0) write('bye');
}
