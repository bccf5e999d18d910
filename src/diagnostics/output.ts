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
  return out.replace(/[\p{Cc}\p{Cf}\u2028\u2029]/gu, (c) => (c === '\n' || c === '\t' ? c : ''));
}

export { redactSecrets } from '../redact/index.js';

export interface TrimmedText {
  /** What fits in a chat message, with a note saying what was left out. */
  text: string;
  /** Whether `text` is shorter than the full output. */
  trimmed: boolean;
}

/** Cuts at line boundaries, keeping the head or the tail, and says how much is elsewhere. */
export function trimForChat(full: string, maxChars: number, keep: 'head' | 'tail'): TrimmedText {
  if (full.length <= maxChars) return { text: full, trimmed: false };
  const lines = full.split('\n');
  const kept: string[] = [];
  let size = 0;
  const budget = Math.max(80, maxChars - 80);
  const order = keep === 'head' ? lines : [...lines].reverse();
  for (const line of order) {
    const l = line.length > budget ? `${line.slice(0, budget - 1)}…` : line;
    if (size + l.length + 1 > budget) break;
    kept.push(l);
    size += l.length + 1;
  }
  const omitted = lines.length - kept.length;
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
