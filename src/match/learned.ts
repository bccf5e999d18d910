/**
 * Learned examples: corrections by the team, reduced to a template of the paste's error lines, and how
 * they weigh at match time. Pure and synchronous: the bot reads the examples from its store and passes
 * them in.
 */
import { redactSecrets } from '../redact/index.js';
import { cleanPaste, maskVolatile, tokens } from './clean.js';
import { looksLikeError } from './errorish.js';

/** What a correction said about a template: this guide fits, this guide is wrong, or none fits. */
export type Verdict = 'right' | 'wrong' | 'none';

export interface LearnedExample {
  id: string;
  /** The paste's error lines with numbers, ids, timestamps, paths and hosts masked: the key at match time. */
  template: string;
  /** The same lines, secrets redacted and hosts and addresses masked, for people to read. */
  sample: string;
  /** The guide the correction names; absent for "none of these". */
  guideId?: string;
  verdict: Verdict;
  platform: string;
  user: string;
  at: string;
}

/** The part of a paste a correction keeps: redacted error lines and their template. */
export interface PasteShape {
  template: string;
  sample: string;
}

/** At most this many error lines make a template: the first ones are the root symptom. */
const TEMPLATE_LINES = 6;
const MAX_SAMPLE_CHARS = 2000;

// Host names ending in a public or common private suffix, and IPv6 addresses; IPv4 is masked as well
// (maskVolatile drops it from templates, but the sample keeps its numbers).
const HOST =
  /\b(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:com|net|org|io|dev|app|cloud|co|us|eu|uk|de|fr|nl|info|biz|internal|local|localdomain|lan|corp|intra|svc|cluster|home|test|example|invalid|amazonaws|azure|gcp)\b/gi;
const IPV4 = /\b(?:\d{1,3}\.){3}\d{1,3}\b/g;
// Full eight-group IPv6, or a compressed one with `::`; not `10:00:01`, which is a time.
const IPV6 =
  /(?<![\w:])(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}(?![\w:])|(?<![\w:.])(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4}){0,6})?::(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4}){0,6})?(?![\w:])/gi;
const EMAIL = /\b[\w.+-]+@(?=<host>)/g;

/** Secrets redacted, host names and addresses masked: what may be kept and shown of a pasted line. */
export function redactLine(line: string): string {
  return redactSecrets(line)
    .replace(IPV6, '<address>')
    .replace(IPV4, '<address>')
    .replace(HOST, '<host>')
    .replace(EMAIL, '');
}

/**
 * The template of one redacted line: lowercased, volatile tokens (timestamps, ids, addresses, paths) and
 * every number masked, whitespace collapsed. Two pastes of one error with other numbers, hosts or times
 * have the same template.
 */
function templateLine(redacted: string): string {
  return maskVolatile(redacted.toLowerCase())
    .replace(/<address>/g, '<host>')
    .replace(/\d+/g, '#')
    .replace(/[^\p{L}\p{N}#<>_\s]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * A paste reduced to what a correction keeps: its error lines (the lines that read like errors; the first
 * lines when none do), without repeats, redacted, and their template.
 */
export function pasteShape(text: string, maxBytes = 64 * 1024): PasteShape {
  // Redacted whole first: a secret that spans lines (a private key block) is only seen whole.
  const paste = cleanPaste(redactSecrets(text), maxBytes);
  const candidates = paste.lines
    .map((l, i) => ({ line: l.trim(), command: paste.command[i] }))
    .filter((l) => l.line && !l.command)
    .map((l) => l.line);
  const errors = candidates.filter((l) => looksLikeError(l));
  const chosen = errors.length ? errors : candidates.slice(0, 3);
  const sample: string[] = [];
  const template: string[] = [];
  for (const line of chosen) {
    const redacted = redactLine(line);
    const t = templateLine(redacted);
    if (!t || template.includes(t)) continue;
    template.push(t);
    sample.push(redacted);
    if (template.length >= TEMPLATE_LINES) break;
  }
  return { template: template.join('\n'), sample: sample.join('\n').slice(0, MAX_SAMPLE_CHARS) };
}

/** How learned examples weigh; kept together so docs/matching.md can refer to one place. */
export const LEARNED_TUNING = {
  /** One person's correction on the same template scores this... */
  exactBase: 0.9,
  /** ...plus this per further person who agreed, up to `agreeingMax` of them. */
  agreeing: 0.03,
  agreeingMax: 3,
  /** Templates at least this similar (Jaccard over their words) are "close". */
  closeSimilarity: 0.6,
  /** A close template's correction adds at most this to a guide already in the running. */
  closeNudge: 0.08,
  /** "Wrong" from this many people on a template pushes that guide below the threshold for it. */
  wrongToDemote: 2,
  /** One "wrong" costs this share of the score. */
  wrongOnce: 0.1,
};

interface TemplateStats {
  /** guide -> people who said it fits. */
  right: Map<string, Set<string>>;
  /** guide -> people who said it is wrong. */
  wrong: Map<string, Set<string>>;
  /** People who said none of the guides fits. */
  none: Set<string>;
  words: Set<string>;
}

/** How a guide's score changed because of learned examples, for one paste. */
export interface LearnedAdjustment {
  /** The guide's score at least this (a correction on the same template). */
  floor?: number;
  /** Added to the guide's score (a correction on a close template). */
  nudge?: number;
  /** The guide's score multiplied by this ("wrong"). */
  factor?: number;
  /** The guide's score kept below the threshold (repeated "wrong"). */
  demoted?: boolean;
}

export interface LearnedVerdict {
  /** Per guide id. */
  guides: Map<string, LearnedAdjustment>;
  /** "None of these" outweighs every correction naming a guide: stay quiet on this template. */
  quiet: boolean;
  /** The example that decided, when one template matched exactly. */
  exact: boolean;
}

/**
 * The learned examples, grouped by template once, so that a paste costs one map lookup and a pass over
 * the distinct templates for close ones.
 */
export class LearnedSet {
  private readonly byTemplate = new Map<string, TemplateStats>();

  constructor(readonly examples: readonly LearnedExample[]) {
    const byTime = [...examples].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
    for (const e of byTime) {
      let s = this.byTemplate.get(e.template);
      if (!s) {
        s = { right: new Map(), wrong: new Map(), none: new Set(), words: wordSet(e.template) };
        this.byTemplate.set(e.template, s);
      }
      const who = `${e.platform}:${e.user}`;
      // Examples come oldest first: a person's later answer to "which guide fits?" replaces the earlier.
      if (e.verdict === 'none') {
        s.none.add(who);
        for (const people of s.right.values()) people.delete(who);
      } else if (e.guideId) {
        if (e.verdict === 'right') {
          s.none.delete(who);
          s.wrong.get(e.guideId)?.delete(who);
        }
        const m = e.verdict === 'right' ? s.right : s.wrong;
        let set = m.get(e.guideId);
        if (!set) m.set(e.guideId, (set = new Set()));
        set.add(who);
      }
    }
  }

  get size(): number {
    return this.examples.length;
  }

  /** What the examples say about a paste with this template. */
  verdictFor(template: string): LearnedVerdict {
    const out: LearnedVerdict = { guides: new Map(), quiet: false, exact: false };
    if (!template) return out;
    const T = LEARNED_TUNING;
    const same = this.byTemplate.get(template);
    if (same) {
      out.exact = true;
      let bestRight = 0;
      for (const [guide, people] of same.right) {
        bestRight = Math.max(bestRight, people.size);
        const floor = T.exactBase + T.agreeing * Math.min(T.agreeingMax, people.size - 1);
        out.guides.set(guide, { floor });
      }
      for (const [guide, people] of same.wrong) {
        const agree = same.right.get(guide)?.size ?? 0;
        // A guide some people confirmed and others rejected: the larger group decides.
        if (agree >= people.size) continue;
        const adj = out.guides.get(guide) ?? {};
        delete adj.floor;
        if (people.size >= T.wrongToDemote) adj.demoted = true;
        else adj.factor = 1 - T.wrongOnce;
        out.guides.set(guide, adj);
      }
      out.quiet = same.none.size > bestRight;
      return out;
    }
    const words = wordSet(template);
    for (const [, s] of this.byTemplate) {
      const sim = jaccard(words, s.words);
      if (sim < T.closeSimilarity) continue;
      for (const [guide, people] of s.right) {
        const nudge = T.closeNudge * sim * Math.min(1, people.size / 2 + 0.5);
        const adj = out.guides.get(guide) ?? {};
        adj.nudge = Math.max(adj.nudge ?? 0, nudge);
        out.guides.set(guide, adj);
      }
    }
    return out;
  }
}

export const NO_LEARNED = new LearnedSet([]);

function wordSet(template: string): Set<string> {
  return new Set(tokens(template).filter((t) => t.length > 1));
}

function jaccard(a: Set<string>, b: Set<string>): number {
  if (!a.size || !b.size) return 0;
  let inter = 0;
  for (const w of a) if (b.has(w)) inter++;
  return inter / (a.size + b.size - inter);
}
