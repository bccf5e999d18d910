import { X509Certificate } from 'node:crypto';

/*
 * What the bot does to command output before anyone sees it: strip terminal escapes and control characters
 * (a remote command must not be able to repaint a terminal or spoof text direction in chat), redact
 * secrets, and cut to what a chat message holds while keeping the full text for a file upload.
 */

const ANSI = [
  /\x1b\[[0-?]*[ -/]*[@-~]/g, // CSI: colours, cursor movement
  /\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?/g, // OSC: titles, hyperlinks
  /\x1b[PX^_][^\x1b]*(?:\x1b\\)?/g, // DCS, SOS, PM, APC
  /\x1b[@-Z\\-_]/g, // two-character escapes
  /\x9b[0-?]*[ -/]*[@-~]/g, // 8-bit CSI
];

export function stripControl(text: string): string {
  let out = text;
  for (const re of ANSI) out = out.replace(re, '');
  out = out.replace(/\r\n/g, '\n').replace(/\r/g, '\n');
  // Keep newline and tab; drop other C0/C1 controls, DEL, and invisible format characters (bidi overrides).
  // One regex that never matches a newline: a per-match callback on every line of a 16 MiB output cost
  // several times the output in memory.
  return out.replace(/[^\P{Cc}\n\t]|[\p{Cf}\u2028\u2029]/gu, '');
}

export { redactSecrets } from '../redact/index.js';

export interface TrimmedText {
  /** What fits in a chat message, with a note saying what was left out. */
  text: string;
  /** Whether `text` is shorter than the full output. */
  trimmed: boolean;
}

/**
 * Cuts at line boundaries, keeping the head or the tail, and says how much is elsewhere. Walks only the
 * lines it keeps: splitting a 16 MiB output into a million line strings cost more than the output.
 */
export function trimForChat(full: string, maxChars: number, keep: 'head' | 'tail'): TrimmedText {
  if (full.length <= maxChars) return { text: full, trimmed: false };
  let total = 1;
  for (let i = full.indexOf('\n'); i >= 0; i = full.indexOf('\n', i + 1)) total++;
  const kept: string[] = [];
  let size = 0;
  const budget = Math.max(80, maxChars - 80);
  // `pos` is where the next line starts (head) or ends (tail).
  let pos = keep === 'head' ? 0 : full.length;
  while (kept.length < total) {
    let line: string;
    if (keep === 'head') {
      const end = full.indexOf('\n', pos);
      line = full.slice(pos, end < 0 ? full.length : end);
      pos = end + 1;
    } else {
      const start = full.lastIndexOf('\n', pos - 1);
      line = full.slice(start + 1, pos);
      pos = start;
    }
    const l = line.length > budget ? `${line.slice(0, budget - 1)}…` : line;
    if (size + l.length + 1 > budget) break;
    kept.push(l);
    size += l.length + 1;
  }
  const omitted = total - kept.length;
  const note = `… ${omitted} more line${omitted === 1 ? '' : 's'} in the full output`;
  const text = keep === 'head' ? [...kept, note].join('\n') : [note, ...kept.reverse()].join('\n');
  return { text, trimmed: true };
}

/**
 * `openssl s_client -showcerts` prints the chain as PEM; a pipeline to `openssl x509` is not allowed, so
 * the bot reads the dates itself.
 */
export function summarizeTlsCerts(output: string, now = new Date()): string {
  const pems = output.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
  const lines: string[] = [];
  pems.forEach((pem, i) => {
    try {
      const c = new X509Certificate(pem);
      const to = new Date(c.validTo);
      const diff = to.getTime() - now.getTime();
      const days = Math.floor(Math.abs(diff) / 86_400_000);
      const state = diff < 0 ? `EXPIRED ${days} days ago` : `expires in ${days} days`;
      lines.push(
        `#${i} subject: ${c.subject.replace(/\n/g, ', ')}`,
        `   issuer: ${c.issuer.replace(/\n/g, ', ')}`,
        `   valid: ${c.validFrom} → ${c.validTo} (${state})`,
      );
    } catch {
      lines.push(`#${i} (unreadable certificate)`);
    }
  });
  const verify = output.match(/^\s*Verify return code: .*$/m)?.[0]?.trim();
  const proto = output.match(/^\s*Protocol\s*:.*$/m)?.[0]?.trim() ?? output.match(/^New, .*$/m)?.[0]?.trim();
  if (!pems.length) lines.push('no certificate received');
  if (proto) lines.push(proto);
  if (verify) lines.push(verify);
  return lines.join('\n');
}
