/*
 * The one redaction every piece of text that the bot keeps or echoes goes through: command output,
 * pastes, logs. It errs towards redacting: a false positive costs a readable token, a miss leaks a secret.
 */

import { GITLEAKS_ALLOWLISTS, GITLEAKS_RULES } from './gitleaks-rules.js';
import { ImportedRules } from './imported.js';

/** The marker every redaction leaves. */
export const REDACTED = '[REDACTED]';
const R = REDACTED;

type Replacement = string | ((...m: string[]) => string);

/** Token shapes with a fixed prefix, each named so its test can say which one missed. */
export const TOKEN_RULES: ReadonlyArray<{ id: string; re: RegExp }> = [
  { id: 'slack-token', re: /\bxox[abposre]-[A-Za-z0-9-]{10,}/g },
  { id: 'slack-app-token', re: /\bxapp-[A-Za-z0-9-]{10,}/g },
  {
    id: 'slack-webhook',
    re: /\bhttps:\/\/hooks\.slack(?:-gov)?\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9/_+-]{20,}/g,
  },
  {
    id: 'discord-webhook',
    re: /\bhttps:\/\/(?:(?:canary|ptb)\.)?discord(?:app)?\.com\/api\/(?:v\d+\/)?webhooks\/\d{15,25}\/[A-Za-z0-9_-]{30,}/g,
  },
  // Discord bot tokens: base64 of the bot's snowflake id, a timestamp, an HMAC.
  { id: 'discord-bot-token', re: /\b[MNO][A-Za-z0-9_-]{23,27}\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{27,40}\b/g },
  { id: 'github-token', re: /\bgh[pousr]_[A-Za-z0-9]{30,}/g },
  { id: 'github-fine-grained-pat', re: /\bgithub_pat_[A-Za-z0-9_]{30,}/g },
  { id: 'gitlab-pat', re: /\bglpat-[A-Za-z0-9_-]{20,}/g },
  { id: 'aws-access-key-id', re: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g },
  { id: 'openai-style-key', re: /\bsk-[A-Za-z0-9_-]{20,}/g },
  { id: 'stripe-key', re: /\b(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{16,}/g },
  { id: 'npm-token', re: /\bnpm_[A-Za-z0-9]{36}\b/g },
  { id: 'sendgrid-key', re: /\bSG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}\b/g },
  { id: 'google-api-key', re: /\bAIza[0-9A-Za-z_-]{35}\b/g },
  { id: 'vault-token', re: /\bhv[sbr]\.[A-Za-z0-9_-]{24,}/g },
  { id: 'shopify-token', re: /\bshp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}\b/g },
  { id: 'huggingface-token', re: /\bhf_[A-Za-z0-9]{34,}\b/g },
  { id: 'digitalocean-token', re: /\bdo[opr]_v1_[a-f0-9]{64}\b/g },
  { id: 'jwt', re: /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g },
];

const REDACTIONS: Array<[RegExp, Replacement]> = [
  // Whole private key blocks, including one cut off by truncation.
  [
    /-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----|$)/g,
    '[REDACTED PRIVATE KEY]',
  ],
  // user:password@host in URLs; the password may itself hold `@` or `/`, so the host is the part after the
  // last `@` that is followed by a host name and the end of the authority.
  [/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@:]*:\S*@(?=[\w.-]+(?::\d+)?(?:[/?#\s"'<>]|$))/gi, `$1${R}@`],
  // Authorization headers.
  [
    /\b(authorization|proxy-authorization)(\s*[:=]\s*)(?:(bearer|basic|token|digest)\s+)?\S+/gi,
    (_m, k: string, sep: string, scheme?: string) => `${k}${sep}${scheme ? `${scheme} ` : ''}${R}`,
  ],
  // A bare `Bearer <token>` (curl -v, logged headers without their name).
  [/\b(bearer\s+)[A-Za-z0-9._~+/=-]{16,}/gi, `$1${R}`],
  ...TOKEN_RULES.map((r): [RegExp, Replacement] => [r.re, R]),
  // KEY=value and key: value where the key names a secret (env dumps, config files, query strings).
  [
    /\b([A-Za-z0-9_.-]*(?:passw(?:or)?d|passphrase|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|credentials?|auth[_-]?key|session[_-]?key|client[_-]?secret|pwd)[A-Za-z0-9_.-]*)(["']?\s*[=:]\s*["']?)([^\s"'&;,]+)/gi,
    (_m, k: string, sep: string) => `${k}${sep}${R}`,
  ],
];

/** Our own rules only (the shapes above); `redactSecrets` adds the imported ones. */
export function redactOwn(text: string): string {
  let out = text;
  for (const [re, rep] of REDACTIONS)
    out = typeof rep === 'string' ? out.replace(re, rep) : out.replace(re, rep);
  return out;
}

let imported: ImportedRules | undefined;

/** gitleaks' rules, compiled on first use: a process that never redacts pays nothing for them. */
export function importedRules(): ImportedRules {
  return (imported ??= new ImportedRules(GITLEAKS_RULES, GITLEAKS_ALLOWLISTS));
}

/**
 * Replaces every secret this module recognises in `text` with a `[REDACTED…]` marker: our own shapes
 * first (they span lines, as a private key block does), then gitleaks' rules line by line.
 */
export function redactSecrets(text: string): string {
  return importedRules().redact(redactOwn(text), R);
}

/**
 * `faultline redact [FILE]`: the same redaction as a filter, so a log can be cleaned before it is pasted
 * anywhere. Reads all of FILE (standard input when none): a private key block spans lines.
 */
export async function redactToStdout(file: string | undefined): Promise<void> {
  const { readFile } = await import('node:fs/promises');
  let text: string;
  if (file) text = await readFile(file, 'utf8');
  else {
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    text = Buffer.concat(chunks).toString('utf8');
  }
  process.stdout.write(redactSecrets(text));
}
