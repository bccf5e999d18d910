import { createHash } from 'node:crypto';
import type { BotConfig } from '../config/schema.js';
import type { Guide } from '../knowledge/schema.js';
import type { MatchEngine, MatchResult } from '../match/engine.js';
import { guideView, type Reply, type ReplyAction } from '../reply/model.js';
import type { Session, Store } from '../store/store.js';

export type Trigger = 'mention' | 'dm' | 'command' | 'action' | 'passive' | 'terminal';

/** A message as every front end hands it to the bot, with platform details already translated away. */
export interface InboundEvent {
  platform: string;
  /** The platform's delivery id; a repeat of it (a retried delivery) gets no second reply. */
  eventId?: string;
  user: string;
  channel: string;
  /** The conversation: replies go to this thread, and "more" continues it. */
  thread: string;
  text: string;
  trigger: Trigger;
  /** Messages from bots (this one included) are never answered. */
  fromBot?: boolean;
}

export interface ConversationRef {
  platform: string;
  thread: string;
  user: string;
}

const DEDUPE_TTL_MS = 60 * 60 * 1000;

export const HELP_TEXT = [
  'Paste an error message, a log excerpt or a stack trace, and I will find the guide that explains it.',
  '`more` shows the next candidate guide; `helpful` / `wrong` rate the last answer; `help` shows this.',
].join('\n');

/** Words that make a paste look like an error report; passive listening needs one of them. */
const LOOKS_LIKE_ERROR =
  /\b(?:err(?:or|no)?|fail(?:ed|ure)?|fatal|panic|exception|denied|refused|unable|cannot|can't|could not|timed out|timeout|killed|abort(?:ed)?|invalid|unreachable|reset|broken|traceback|crash(?:ed)?|not found|no such|too many|exceeded|unavailable|backoff|oom\w*|exit (?:code|status)|E[A-Z]{3,}|\d{3} [A-Z][a-z]+)\b/;

/**
 * The conversation shared by every front end: when to answer, what to answer, "more", feedback. Front
 * ends translate platform events into `InboundEvent`s and render the `Reply`s.
 */
export class Bot {
  private readonly guides: Map<string, Guide>;

  constructor(
    private readonly engine: MatchEngine,
    guides: readonly Guide[],
    private readonly store: Store,
    private readonly config: BotConfig,
  ) {
    this.guides = new Map(guides.map((g) => [g.id, g]));
  }

  async handle(ev: InboundEvent): Promise<Reply[]> {
    if (ev.fromBot) return [];
    if (ev.eventId && !(await this.store.firstSeen(`event:${ev.platform}:${ev.eventId}`, DEDUPE_TTL_MS))) return [];
    const text = ev.text.trim();
    const ref = { platform: ev.platform, thread: ev.thread, user: ev.user };
    if (ev.trigger === 'passive') return this.passive(ev, text);
    const word = text.toLowerCase().replace(/[.!?]+$/, '');
    if (!text || word === 'help') return [{ kind: 'text', text: HELP_TEXT }];
    if (word === 'more' || word === 'next' || word === 'show more') return [await this.next(ref)];
    if (word === 'helpful' || word === 'wrong') return [await this.feedbackOnCurrent(ref, word)];
    return [await this.explain(ref, text)];
  }

  /** Matches a paste, remembers the ranking for "more", and returns the best guide or "no guide". */
  async explain(ref: ConversationRef, text: string): Promise<Reply> {
    const result = this.engine.match(text);
    const session = this.sessionFrom(text, result);
    await this.store.setSession(sessionKey(ref), session);
    if (!session.matchIds.length) {
      return { kind: 'no-match', nearest: result.nearest.map(({ id, title, score }) => ({ id, title, score })), truncatedInput: result.truncated };
    }
    return this.guideReply(session, 0);
  }

  /** The next match of the conversation's last paste ("Show more", "Not this one"). */
  async next(ref: ConversationRef): Promise<Reply> {
    const session = await this.store.getSession(sessionKey(ref));
    if (!session) return { kind: 'text', text: 'There is no earlier paste in this conversation. Paste an error first.' };
    if (session.shown + 1 >= session.matchIds.length) {
      return { kind: 'text', text: 'No more guides fit that paste. Try pasting more of the log around the error.' };
    }
    session.shown += 1;
    await this.store.setSession(sessionKey(ref), session);
    return this.guideReply(session, session.shown);
  }

  async feedback(ref: ConversationRef, guideId: string, verdict: 'helpful' | 'wrong'): Promise<Reply> {
    const session = await this.store.getSession(sessionKey(ref));
    if (!this.guides.has(guideId)) return { kind: 'error', text: `unknown guide "${guideId}"` };
    await this.store.addFeedback({
      at: new Date().toISOString(),
      platform: ref.platform,
      user: ref.user,
      pasteHash: session?.pasteHash ?? '',
      guideId,
      verdict,
    });
    return { kind: 'text', text: verdict === 'helpful' ? 'Thanks, noted.' : 'Thanks, noted. Say `more` for the next candidate.' };
  }

  private async feedbackOnCurrent(ref: ConversationRef, verdict: 'helpful' | 'wrong'): Promise<Reply> {
    const session = await this.store.getSession(sessionKey(ref));
    const id = session?.matchIds[session.shown];
    if (!id) return { kind: 'text', text: 'There is no answer to rate yet.' };
    return this.feedback(ref, id, verdict);
  }

  private async passive(ev: InboundEvent, text: string): Promise<Reply[]> {
    if (!this.config.incidentChannels.includes(ev.channel)) return [];
    if (!LOOKS_LIKE_ERROR.test(text)) return [];
    const result = this.engine.match(text);
    const best = result.matches[0];
    if (!best || best.score < this.config.passiveThreshold) return [];
    // Once per guide per thread: a busy incident thread gets each explanation once.
    if (!(await this.store.firstSeen(`passive:${ev.platform}:${ev.thread}:${best.id}`, 7 * 24 * DEDUPE_TTL_MS))) return [];
    const ref = { platform: ev.platform, thread: ev.thread, user: ev.user };
    const session = this.sessionFrom(text, result);
    await this.store.setSession(sessionKey(ref), session);
    return [this.guideReply(session, 0)];
  }

  private sessionFrom(text: string, result: MatchResult): Session {
    return {
      pasteHash: createHash('sha256').update(text).digest('hex'),
      matchIds: result.matches.map((m) => m.id),
      scores: result.matches.map((m) => m.score),
      evidence: result.matches.map((m) => m.evidence),
      shown: 0,
      truncatedInput: result.truncated,
    };
  }

  private guideReply(session: Session, rank: number): Reply {
    const id = session.matchIds[rank] as string;
    const guide = this.guides.get(id);
    if (!guide) return { kind: 'error', text: `guide "${id}" is no longer loaded` };
    const actions: ReplyAction[] = [];
    if (rank + 1 < session.matchIds.length) actions.push({ kind: 'next-match', label: 'Not this one' });
    actions.push({ kind: 'feedback', verdict: 'helpful', guideId: id, label: 'Helpful' });
    actions.push({ kind: 'feedback', verdict: 'wrong', guideId: id, label: 'Wrong guide' });
    for (const d of guide.diagnostics) {
      const ref = typeof d === 'string' ? { id: d, params: {} } : d;
      actions.push({ kind: 'run-diagnostic', catalogId: ref.id, params: ref.params, label: `Run ${ref.id}` });
    }
    return {
      kind: 'guide',
      guide: guideView(guide, this.guides),
      score: session.scores[rank] ?? 0,
      evidence: session.evidence[rank] ?? { line: 1, text: '', signature: undefined },
      rank,
      alternatives: session.matchIds
        .map((mid, i) => ({ id: mid, title: this.guides.get(mid)?.title ?? mid, score: session.scores[i] ?? 0 }))
        .filter((_, i) => i !== rank)
        .slice(0, 3),
      truncatedInput: session.truncatedInput,
      actions,
    };
  }
}

function sessionKey(ref: ConversationRef): string {
  return `${ref.platform}:${ref.thread}`;
}
