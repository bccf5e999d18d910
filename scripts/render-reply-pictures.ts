/**
 * `npm run pictures`: the Slack (Block Kit) and Discord (embed) forms of the reply the README shows in the
 * terminal, drawn from the real renderers' JSON. Writes `docs/img/{slack,discord}-reply.json` and, with
 * headless Chromium (`apt-get install -y chromium`), `docs/img/{slack,discord}-reply.png`.
 *
 * The HTML pages imitate each client's look (fonts, colours, code blocks, buttons) for a picture; they are
 * not a renderer of ours: the JSON is what the platforms get. A test (`test/cli/pictures.test.ts`) renders
 * the JSON again and fails when it differs from the committed files, so the pictures cannot drift unseen.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createApp } from '../src/app.js';
import { Bot } from '../src/bot/bot.js';
import { packageRoot } from '../src/knowledge/paths.js';
import { memoryStores } from '../src/store/stores.js';
import { renderSlack } from '../adapters/slack/blocks.js';
import { renderDiscord } from '../adapters/discord/render.js';

export const PICTURES_COMMAND = 'npm run pictures';
/** The conversation the pictures are drawn in: fixed, so the JSON (button values) is the same each run. */
const SLACK_THREAD = 'C0123456789/1733500000.000100';
const DISCORD_THREAD = '1300000000000000001';

/** The paste of the README's terminal reply (its `readme-reply` marker), so all three show one reply. */
export function readmePaste(root = packageRoot()): string {
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
  const m = /<!-- readme-reply: (.*?) -->/.exec(readme);
  if (!m?.[1]) throw new Error('README.md has no <!-- readme-reply: ... --> marker');
  return m[1];
}

export interface PictureJson {
  slack: unknown;
  discord: unknown;
}

/** The reply to the README's paste from the built-in guides (no config, no store), as each platform gets it. */
export async function pictureJson(): Promise<PictureJson> {
  const empty = mkdtempSync(path.join(os.tmpdir(), 'faultline-pictures-'));
  try {
    const ctx = createApp({ cwd: empty });
    const bot = new Bot(
      ctx.engine,
      ctx.knowledge.guides,
      memoryStores(),
      ctx.config.bot,
      undefined,
      ctx.config.learning,
    );
    const reply = await bot.explain({ platform: 'pictures', thread: 'pictures', user: 'U0' }, readmePaste());
    const slack = renderSlack(reply, { thread: SLACK_THREAD });
    const discord = renderDiscord(reply, DISCORD_THREAD);
    return {
      slack: { text: slack.text, blocks: slack.blocks, files: slack.files.map((f) => f.filename) },
      discord: {
        ...(discord.content !== undefined ? { content: discord.content } : {}),
        embeds: discord.embeds,
        components: discord.components,
        files: discord.files.map((f) => f.name),
      },
    };
  } finally {
    rmSync(empty, { recursive: true, force: true });
  }
}

export function jsonText(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

// ---- drawing: a small HTML page per platform, shaped like its client ---------------------------------

function escapeHtml(t: string): string {
  return t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Inline code first, so that the marks inside it stay literal; then the platform's own inline marks. */
function inline(text: string, marks: (t: string) => string): string {
  return text
    .split(/(`[^`\n]+`)/)
    .map((part) =>
      /^`[^`\n]+`$/.test(part) ? `<code>${escapeHtml(part.slice(1, -1))}</code>` : marks(escapeHtml(part)),
    )
    .join('');
}

/** Fenced blocks become <pre>; the rest goes line by line through `line`. */
function blocks(text: string, line: (t: string) => string): string {
  return text
    .split(/```(?:[a-z]*\n)?([\s\S]*?)```/)
    .map((part, i) =>
      i % 2 === 1
        ? `<pre>${escapeHtml(part.replace(/\n$/, ''))}</pre>`
        : part.split('\n').map(line).join('<br>'),
    )
    .join('');
}

/** Slack's mrkdwn arrives escaped (&lt; &gt; &amp;): unescape once, then draw. */
function slackMrkdwn(text: string): string {
  const raw = text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  return blocks(raw, (l) =>
    inline(l, (t) =>
      t
        .replace(/&lt;(https?:[^|&]+)\|([^&]+)&gt;/g, '<a>$2</a>')
        .replace(/(^|\W)\*([^*\n]+)\*(?=\W|$)/g, '$1<b>$2</b>')
        .replace(/(^|\W)_([^_\n]+)_(?=\W|$)/g, '$1<i>$2</i>'),
    ),
  );
}

function discordMarkdown(text: string): string {
  return blocks(text, (l) =>
    inline(l, (t) =>
      t
        .replace(/\[([^\]]+)\]\((https?:[^)]+)\)/g, '<a>$1</a>')
        .replace(/\*\*([^*]+)\*\*/g, '<b>$1</b>')
        .replace(/(^|\W)\*([^*\n]+)\*(?=\W|$)/g, '$1<i>$2</i>')
        .replace(/^-# (.*)$/, '<small>$1</small>'),
    ),
  );
}

interface SlackBlock {
  type: string;
  text?: { type: string; text: string };
  elements?: Array<{ type: string; text: string | { text: string }; style?: string }>;
  fields?: Array<{ text: string }>;
}

function slackPage(msg: { blocks: SlackBlock[] }): string {
  const body = msg.blocks
    .map((b) => {
      switch (b.type) {
        case 'header':
          return `<h1>${escapeHtml(b.text?.text ?? '')}</h1>`;
        case 'section':
          return `<div class="section">${slackMrkdwn(b.text?.text ?? '')}${(b.fields ?? []).map((f) => `<div class="field">${slackMrkdwn(f.text)}</div>`).join('')}</div>`;
        case 'context':
          return `<div class="context">${(b.elements ?? []).map((e) => slackMrkdwn(typeof e.text === 'string' ? e.text : e.text.text)).join(' ')}</div>`;
        case 'divider':
          return '<hr>';
        case 'actions':
          return `<div class="actions">${(b.elements ?? [])
            .map(
              (e) =>
                `<span class="button ${e.style ?? ''}">${escapeHtml(typeof e.text === 'string' ? e.text : e.text.text)}</span>`,
            )
            .join('')}</div>`;
        default:
          return `<div class="section">(${escapeHtml(b.type)} block)</div>`;
      }
    })
    .join('\n');
  return `<!doctype html><meta charset="utf-8"><style>
body { margin: 0; background: #fff; font: 15px/1.47 "Lato", "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; color: #1d1c1d; }
.msg { display: flex; gap: 8px; padding: 16px 20px; width: 760px; }
.avatar { width: 36px; height: 36px; border-radius: 6px; background: #4a154b; color: #fff; font-weight: 900; display: flex; align-items: center; justify-content: center; flex: none; }
.who b { font-weight: 900; } .who .app { font-size: 10px; background: #e8e8e8; color: #616061; padding: 1px 3px; border-radius: 2px; margin: 0 4px; font-weight: 700; } .who .time { color: #616061; font-size: 12px; }
h1 { font-size: 18px; font-weight: 900; margin: 4px 0 8px; line-height: 1.33; }
.section { margin: 6px 0; } .field { margin: 4px 0; }
.context { color: #616061; font-size: 13px; margin: 6px 0; }
code { font: 12px "DejaVu Sans Mono", Monaco, Menlo, Consolas, monospace; color: #e01e5a; background: #f6f6f6; border: 1px solid #dddddd; border-radius: 3px; padding: 1px 3px; }
pre { font: 12px/1.5 "DejaVu Sans Mono", Monaco, Menlo, Consolas, monospace; background: #f8f8f8; border: 1px solid #dddddd; border-radius: 4px; padding: 8px; margin: 4px 0; white-space: pre-wrap; }
a { color: #1264a3; }
.actions { margin: 10px 0 4px; display: flex; gap: 8px; }
.button { border: 1px solid #bbbabb; border-radius: 4px; padding: 0 12px; height: 28px; display: inline-flex; align-items: center; font-weight: 700; font-size: 13px; }
.button.primary { background: #007a5a; border-color: #007a5a; color: #fff; } .button.danger { background: #e01e5a; border-color: #e01e5a; color: #fff; }
</style><body><div class="msg"><div class="avatar">f</div><div><div class="who"><b>faultline</b><span class="app">APP</span><span class="time">10:42 AM</span></div>
${body}
</div></div><script>document.title = String(Math.ceil(document.querySelector(".msg").getBoundingClientRect().bottom));</script></body>`;
}

interface DiscordEmbed {
  title?: string;
  description?: string;
  color?: number;
  fields?: Array<{ name: string; value: string; inline?: boolean }>;
  footer?: { text: string };
}

function discordPage(msg: {
  content?: string;
  embeds: DiscordEmbed[];
  components: Array<{ components: Array<{ style: number; label?: string }> }>;
}): string {
  const style = ['', 'primary', 'secondary', 'success', 'danger', 'link'];
  const embeds = msg.embeds
    .map(
      (
        e,
      ) => `<div class="embed" style="border-left-color: #${(e.color ?? 0x1e1f22).toString(16).padStart(6, '0')}">
${e.title ? `<div class="title">${escapeHtml(e.title)}</div>` : ''}
${e.description ? `<div class="desc">${discordMarkdown(e.description)}</div>` : ''}
${(e.fields ?? []).map((f) => `<div class="field"><div class="fname">${escapeHtml(f.name)}</div><div>${discordMarkdown(f.value)}</div></div>`).join('')}
${e.footer ? `<div class="footer">${escapeHtml(e.footer.text)}</div>` : ''}
</div>`,
    )
    .join('\n');
  const rows = msg.components
    .map(
      (r) =>
        `<div class="row">${r.components.map((c) => `<span class="button ${style[c.style] ?? ''}">${escapeHtml(c.label ?? '')}</span>`).join('')}</div>`,
    )
    .join('');
  return `<!doctype html><meta charset="utf-8"><style>
body { margin: 0; background: #313338; font: 16px/1.375 "gg sans", "Noto Sans", "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; color: #dbdee1; }
.msg { display: flex; gap: 16px; padding: 16px 20px; width: 760px; }
.avatar { width: 40px; height: 40px; border-radius: 50%; background: #5865f2; color: #fff; font-weight: 700; display: flex; align-items: center; justify-content: center; flex: none; }
.who b { color: #f2f3f5; font-weight: 600; } .who .app { font-size: 10px; background: #5865f2; color: #fff; padding: 1px 4px; border-radius: 3px; margin: 0 4px; font-weight: 600; } .who .time { color: #949ba4; font-size: 12px; }
.embed { background: #2b2d31; border-left: 4px solid; border-radius: 4px; padding: 8px 16px 16px 12px; margin-top: 4px; max-width: 520px; font-size: 14px; }
.title { color: #f2f3f5; font-weight: 600; font-size: 16px; margin-top: 8px; }
.desc, .field { margin-top: 8px; } .fname { color: #f2f3f5; font-weight: 600; margin-bottom: 2px; }
.footer { color: #b5bac1; font-size: 12px; margin-top: 8px; }
code { font: 13px "DejaVu Sans Mono", Consolas, "Andale Mono", monospace; background: #1e1f22; border-radius: 3px; padding: 0 2px; }
pre { font: 13px/1.4 "DejaVu Sans Mono", Consolas, "Andale Mono", monospace; background: #1e1f22; border: 1px solid #1e1f22; border-radius: 4px; padding: 7px; margin: 6px 0 0; white-space: pre-wrap; color: #dbdee1; }
a { color: #00a8fc; }
.row { display: flex; gap: 8px; margin-top: 8px; }
.button { border-radius: 3px; padding: 2px 16px; height: 32px; display: inline-flex; align-items: center; font-size: 14px; font-weight: 500; color: #fff; }
.primary { background: #5865f2; } .secondary { background: #4e5058; } .success { background: #248046; } .danger { background: #da373c; } .link { background: #4e5058; }
</style><body><div class="msg"><div class="avatar">f</div><div><div class="who"><b>faultline</b><span class="app">APP</span><span class="time">Today at 10:42</span></div>
${msg.content ? `<div>${discordMarkdown(msg.content)}</div>` : ''}
${embeds}
${rows}
</div></div><script>document.title = String(Math.ceil(document.querySelector(".msg").getBoundingClientRect().bottom));</script></body>`;
}

/** Two passes: the page reports its height in its title, then the screenshot is taken at that height. */
function screenshot(chromium: string, html: string, png: string): void {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'faultline-shot-'));
  try {
    const page = path.join(dir, 'page.html');
    writeFileSync(page, html);
    const flags = [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--hide-scrollbars',
      `--user-data-dir=${dir}`,
    ];
    const dom = execFileSync(
      chromium,
      [...flags, '--window-size=800,4000', '--dump-dom', pathToFileURL(page).href],
      {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      },
    );
    const height = Number(/<title>(\d+)<\/title>/.exec(dom)?.[1] ?? 2000);
    execFileSync(
      chromium,
      [...flags, `--window-size=800,${height}`, `--screenshot=${png}`, pathToFileURL(page).href],
      {
        stdio: 'ignore',
      },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const root = packageRoot();
  const out = path.join(root, 'docs', 'img');
  mkdirSync(out, { recursive: true });
  const json = await pictureJson();
  for (const platform of ['slack', 'discord'] as const) {
    writeFileSync(path.join(out, `${platform}-reply.json`), jsonText(json[platform]));
    process.stdout.write(`docs/img/${platform}-reply.json\n`);
  }
  const chromium = process.env.CHROMIUM ?? 'chromium';
  const pages = {
    slack: slackPage(json.slack as { blocks: SlackBlock[] }),
    discord: discordPage(json.discord as Parameters<typeof discordPage>[0]),
  };
  for (const platform of ['slack', 'discord'] as const) {
    screenshot(chromium, pages[platform], path.join(out, `${platform}-reply.png`));
    process.stdout.write(`docs/img/${platform}-reply.png\n`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((e: unknown) => {
    process.stderr.write(`render-reply-pictures: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  });
}
