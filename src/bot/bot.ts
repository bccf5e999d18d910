import { createHash } from 'node:crypto';
import type { BotConfig } from '../config/schema.js';
import type { Guide } from '../knowledge/schema.js';
import type { MatchEngine, MatchResult } from '../match/engine.js';
import { guideView, type Reply, type ReplyAction } from '../reply/model.js';
import { StoreUnreachableError } from '../store/kv.js';
import type { Session } from '../store/sessions.js';
import type { Stores } from '../store/stores.js';
import { NO_OBSERVER, type BotObserver } from './observer.js';
import {
  trimOutput,
  type BotReply,
  type DiagnosticOutcome,
  type DiagnosticsPort,
  type Requester,
} from './diagnostics.js';

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
/** Longer than any approval lifetime a config would set. */
const APPROVAL_CONVERSATION_MS = 7 * 24 * 60 * 60 * 1000;

export const HELP_TEXT = [
  'Paste an error message, a log excerpt or a stack trace, and I will find the guide that explains it.',
  '`more` shows the next candidate guide; `helpful` / `wrong` rate the last answer; `help` shows this.',
].join('\n');

/**
 * What needs shared state (approvals, feedback) refuses while the shared store is unreachable, with one
 * clear line, rather than guess; answering does not get here, since dedupe and sessions fall back.
 */
async function refuseWhileStoreDown<T extends BotReply>(work: () => Promise<T[]>): Promise<T[] | Reply[]> {
  try {
    return await work();
  } catch (e) {
    if (e instanceof StoreUnreachableError) return [{ kind: 'error', text: e.message }];
    throw e;
  }
}

async function refuseDecisionWhileStoreDown(
  work: () => Promise<{ replies: BotReply[]; conversation?: PendingApproval }>,
): Promise<{ replies: BotReply[]; conversation?: PendingApproval }> {
  try {
    return await work();
  } catch (e) {
    if (e instanceof StoreUnreachableError) return { replies: [{ kind: 'error', text: e.message }] };
    throw e;
  }
}

/** Words that make a paste look like an error report; passive listening needs one of them. */
const LOOKS_LIKE_ERROR =
  /\b(?:err(?:or|no)?|fail(?:ed|ure)?|fatal|panic|exception|denied|refused|unable|cannot|can't|could not|timed out|timeout|killed|abort(?:ed)?|invalid|unreachable|reset|broken|traceback|crash(?:ed)?|not found|no such|too many|exceeded|unavailable|backoff|oom\w*|exit (?:code|status))\b/i;
/** Case matters here: errno names (`ECONNRESET`) and status lines (`502 Bad Gateway`), not "Every" or "else". */
const LOOKS_LIKE_ERROR_CODE = /\b(?:E[A-Z]{3,}|[1-5]\d\d [A-Z][a-z]+)\b/;

/**
 * The conversation shared by every front end: when to answer, what to answer, "more", feedback. Front
 * ends translate platform events into `InboundEvent`s and render the `Reply`s.
 */
export class Bot {
  private readonly guides: Map<string, Guide>;
  private readonly approving = new Set<string>();
  private observer: BotObserver = NO_OBSERVER;

  constructor(
    private readonly engine: MatchEngine,
    guides: readonly Guide[],
    private readonly store: Stores,
    private readonly config: BotConfig,
    /** The diagnostic flow; without it guides offer no runs. */
    private readonly diagnostics?: DiagnosticsPort,
  ) {
    this.guides = new Map(guides.map((g) => [g.id, g]));
  }

  /** Reports events, matches and outcomes to `observer` (metrics). */
  observe(observer: BotObserver): void {
    this.observer = observer;
  }

  async handle(ev: InboundEvent): Promise<Reply[]> {
    this.observer.eventReceived(ev.platform, ev.trigger);
    const replies = await refuseWhileStoreDown(() => this.handleEvent(ev));
    this.observer.repliesReturned(ev.platform, replies.length);
    return replies;
  }

  private async handleEvent(ev: InboundEvent): Promise<Reply[]> {
    if (ev.fromBot) return [];
    if (
      ev.eventId &&
      !(await this.store.dedupe.firstSeen(`event:${ev.platform}:${ev.eventId}`, DEDUPE_TTL_MS))
    )
      return [];
    const text = ev.text.trim();
    const ref = { platform: ev.platform, thread: ev.thread, user: ev.user };
    if (ev.trigger === 'passive') return this.passive(ev, text);
    const word = text.toLowerCase().replace(/[.!?]+$/, '');
    if (!text || word === 'help') return [{ kind: 'text', text: HELP_TEXT }];
    if (word === 'more' || word === 'next' || word === 'show more') return [await this.next(ref)];
    if (word === 'helpful' || word === 'wrong') return [await this.feedbackOnCurrent(ref, word)];
    return [await this.explain(ref, text)];
  }

  /**
   * `handle` plus the diagnostic flow, for chat front ends: a guide reply is followed by the runs its guide
   * offers on the hosts this user may use, and `run <id> on <host> [name=value ...]` requests a run.
   */
  async converse(ev: InboundEvent, roles?: string[]): Promise<BotReply[]> {
    const who: Requester = {
      platform: ev.platform,
      user: ev.user,
      channel: ev.channel,
      ...(roles ? { roles } : {}),
    };
    const run = ev.trigger !== 'passive' && !ev.fromBot ? parseRunCommand(ev.text) : undefined;
    if (run) return refuseWhileStoreDown(() => this.runCommand(ev, who, run));
    const out: BotReply[] = [];
    for (const reply of await this.handle(ev)) {
      out.push(reply);
      if (reply.kind === 'guide' && ev.trigger !== 'passive') {
        const offers = await this.offersFor(who, reply.guide.id);
        if (offers) out.push(offers);
      }
    }
    return out;
  }

  private async runCommand(
    ev: InboundEvent,
    who: Requester,
    run: NonNullable<ReturnType<typeof parseRunCommand>>,
  ): Promise<BotReply[]> {
    if (
      ev.eventId &&
      !(await this.store.dedupe.firstSeen(`event:${ev.platform}:${ev.eventId}`, DEDUPE_TTL_MS))
    )
      return [];
    if ('error' in run) return [{ kind: 'error', text: run.error }];
    return this.requestDiagnosticNow(who, ev.thread, run.catalogId, run.host, run.params);
  }

  /** The guide's catalog entries on the hosts `who` may use; undefined when there is nothing to offer. */
  async offersFor(who: Requester, guideId: string): Promise<BotReply | undefined> {
    const guide = this.guides.get(guideId);
    if (!this.diagnostics || !guide || guide.diagnostics.length === 0) return undefined;
    const wanted = guide.diagnostics.map((d) =>
      typeof d === 'string' ? { id: d, params: {} } : { id: d.id, params: d.params },
    );
    const offers = (await this.diagnostics.offers(who, wanted)).filter((o) => o.hosts.length > 0);
    return offers.length ? { kind: 'diagnostic-offers', guideId, offers } : undefined;
  }

  /** A run through policy: refused, waiting for a second person, or the (trimmed) result. */
  async requestDiagnostic(
    who: Requester,
    thread: string,
    catalogId: string,
    host: string,
    params: Record<string, string | number>,
  ): Promise<BotReply[]> {
    return refuseWhileStoreDown(() => this.requestDiagnosticNow(who, thread, catalogId, host, params));
  }

  private async requestDiagnosticNow(
    who: Requester,
    thread: string,
    catalogId: string,
    host: string,
    params: Record<string, string | number>,
  ): Promise<BotReply[]> {
    if (!this.diagnostics) return [{ kind: 'text', text: 'Diagnostics are not set up for this bot.' }];
    const outcome = await this.diagnostics.request(who, catalogId, host, params);
    this.observer.diagnosticOutcome(outcome.kind);
    if (outcome.kind === 'needs-approval') {
      const pending: PendingApproval = {
        platform: who.platform,
        channel: who.channel,
        thread,
        requester: who.user,
        catalogId,
        host,
      };
      await this.store.approvals.putConversation(outcome.requestId, pending, APPROVAL_CONVERSATION_MS);
      return [
        {
          kind: 'text',
          text: `\`${catalogId}\` on \`${host}\` needs approval by a second authorised person.`,
        },
        {
          kind: 'approval-request',
          requestId: outcome.requestId,
          requester: who.user,
          catalogId: outcome.catalogId,
          host: outcome.host,
          params: outcome.params,
          ...(outcome.command !== undefined ? { command: outcome.command } : {}),
        },
      ];
    }
    return [this.outcomeReply(outcome, who.user)];
  }

  /**
   * A second person approves a pending run. The requester can never approve their own request, whatever
   * the port says; the port checks that the approver is authorised. The result goes to the request's thread.
   */
  async approve(
    approver: Requester,
    requestId: string,
  ): Promise<{ replies: BotReply[]; conversation?: PendingApproval }> {
    return refuseDecisionWhileStoreDown(() => this.approveNow(approver, requestId));
  }

  private async approveNow(
    approver: Requester,
    requestId: string,
  ): Promise<{ replies: BotReply[]; conversation?: PendingApproval }> {
    const pending = await this.store.approvals.conversation<PendingApproval>(requestId);
    if (!pending || !this.diagnostics)
      return {
        replies: [{ kind: 'text', text: 'That request is no longer pending (already handled or expired).' }],
      };
    if (pending.requester === approver.user && pending.platform === approver.platform) {
      return {
        replies: [
          { kind: 'error', text: 'You cannot approve your own request; another authorised person has to.' },
        ],
      };
    }
    if (this.approving.has(requestId))
      return { replies: [{ kind: 'text', text: 'That request is already being approved.' }] };
    this.approving.add(requestId);
    try {
      const outcome = await this.diagnostics.approve(approver, requestId);
      if (outcome.kind === 'denied' || outcome.kind === 'invalid')
        return { replies: [{ kind: 'error', text: `Not approved: ${outcome.reason}` }] };
      if (outcome.kind === 'needs-approval')
        return {
          replies: [
            { kind: 'text', text: 'Approval recorded; the request still waits for another approver.' },
          ],
        };
      await this.store.approvals.forgetConversation(requestId);
      const reply = this.outcomeReply(outcome, pending.requester);
      if (reply.kind === 'diagnostic-result') reply.approvedBy = approver.user;
      return { replies: [reply], conversation: pending };
    } finally {
      this.approving.delete(requestId);
    }
  }

  async reject(
    approver: Requester,
    requestId: string,
  ): Promise<{ replies: BotReply[]; conversation?: PendingApproval }> {
    return refuseDecisionWhileStoreDown(() => this.rejectNow(approver, requestId));
  }

  private async rejectNow(
    approver: Requester,
    requestId: string,
  ): Promise<{ replies: BotReply[]; conversation?: PendingApproval }> {
    const pending = await this.store.approvals.conversation<PendingApproval>(requestId);
    if (!pending || !this.diagnostics)
      return {
        replies: [{ kind: 'text', text: 'That request is no longer pending (already handled or expired).' }],
      };
    const r = await this.diagnostics.reject(approver, requestId);
    if (!r.ok)
      return { replies: [{ kind: 'error', text: `Could not reject: ${r.reason ?? 'not allowed'}` }] };
    await this.store.approvals.forgetConversation(requestId);
    return {
      replies: [
        {
          kind: 'text',
          text: `Request for \`${pending.catalogId}\` on \`${pending.host}\` was rejected by ${approver.user}.`,
        },
      ],
      conversation: pending,
    };
  }

  private outcomeReply(
    outcome: Exclude<DiagnosticOutcome, { kind: 'needs-approval' }>,
    requester: string,
  ): BotReply {
    switch (outcome.kind) {
      case 'denied':
        return { kind: 'error', text: `Refused by policy: ${outcome.reason}` };
      case 'invalid':
        return { kind: 'error', text: `Cannot run that: ${outcome.reason}` };
      case 'error':
        return { kind: 'error', text: `The diagnostic failed: ${outcome.reason}` };
      case 'result': {
        const { shown, full } =
          outcome.shown !== undefined
            ? { shown: outcome.shown, full: outcome.trimmed ? outcome.output : undefined }
            : trimOutput(outcome.output, outcome.keep);
        return {
          kind: 'diagnostic-result',
          catalogId: outcome.catalogId,
          host: outcome.host,
          params: outcome.params,
          exitCode: outcome.exitCode,
          shown,
          ...(full !== undefined ? { full } : {}),
          truncatedAtSource: outcome.truncated,
          ...(outcome.summary !== undefined ? { summary: outcome.summary } : {}),
          requester,
          ...(outcome.approvedBy !== undefined ? { approvedBy: outcome.approvedBy } : {}),
        };
      }
    }
  }

  /** Matches a paste, remembers the ranking for "more", and returns the best guide or "no guide". */
  async explain(ref: ConversationRef, text: string): Promise<Reply> {
    const result = this.timedMatch(ref.platform, text);
    const session = this.sessionFrom(text, result);
    await this.store.sessions.set(sessionKey(ref), session);
    if (!session.matchIds.length) {
      return {
        kind: 'no-match',
        nearest: result.nearest.map(({ id, title, score }) => ({ id, title, score })),
        truncatedInput: result.truncated,
      };
    }
    return this.guideReply(session, 0);
  }

  /** The next match of the conversation's last paste ("Show more", "Not this one"). */
  async next(ref: ConversationRef): Promise<Reply> {
    const session = await this.store.sessions.get(sessionKey(ref));
    if (!session)
      return { kind: 'text', text: 'There is no earlier paste in this conversation. Paste an error first.' };
    if (session.shown + 1 >= session.matchIds.length) {
      return {
        kind: 'text',
        text: 'No more guides fit that paste. Try pasting more of the log around the error.',
      };
    }
    session.shown += 1;
    await this.store.sessions.set(sessionKey(ref), session);
    return this.guideReply(session, session.shown);
  }

  async feedback(ref: ConversationRef, guideId: string, verdict: 'helpful' | 'wrong'): Promise<Reply> {
    const [reply] = await refuseWhileStoreDown(async () => [await this.feedbackNow(ref, guideId, verdict)]);
    return reply!;
  }

  private async feedbackNow(
    ref: ConversationRef,
    guideId: string,
    verdict: 'helpful' | 'wrong',
  ): Promise<Reply> {
    const session = await this.store.sessions.get(sessionKey(ref));
    if (!this.guides.has(guideId)) return { kind: 'error', text: `unknown guide "${guideId}"` };
    await this.store.feedback.add({
      at: new Date().toISOString(),
      platform: ref.platform,
      user: ref.user,
      pasteHash: session?.pasteHash ?? '',
      guideId,
      verdict,
    });
    return {
      kind: 'text',
      text: verdict === 'helpful' ? 'Thanks, noted.' : 'Thanks, noted. Say `more` for the next candidate.',
    };
  }

  private async feedbackOnCurrent(ref: ConversationRef, verdict: 'helpful' | 'wrong'): Promise<Reply> {
    const session = await this.store.sessions.get(sessionKey(ref));
    const id = session?.matchIds[session.shown];
    if (!id) return { kind: 'text', text: 'There is no answer to rate yet.' };
    return this.feedbackNow(ref, id, verdict);
  }

  private async passive(ev: InboundEvent, text: string): Promise<Reply[]> {
    if (!this.config.incidentChannels.includes(ev.channel)) return [];
    if (!LOOKS_LIKE_ERROR.test(text) && !LOOKS_LIKE_ERROR_CODE.test(text)) return [];
    const result = this.timedMatch(ev.platform, text);
    const best = result.matches[0];
    if (!best || best.score < this.config.passiveThreshold) return [];
    // Once per guide per thread: a busy incident thread gets each explanation once.
    if (
      !(await this.store.dedupe.firstSeen(
        `passive:${ev.platform}:${ev.thread}:${best.id}`,
        7 * 24 * DEDUPE_TTL_MS,
      ))
    )
      return [];
    const ref = { platform: ev.platform, thread: ev.thread, user: ev.user };
    const session = this.sessionFrom(text, result);
    await this.store.sessions.set(sessionKey(ref), session);
    return [this.guideReply(session, 0)];
  }

  private timedMatch(platform: string, text: string): MatchResult {
    const t0 = process.hrtime.bigint();
    const result = this.engine.match(text);
    this.observer.matched(
      platform,
      result.matches[0]?.id ?? null,
      Number(process.hrtime.bigint() - t0) / 1e9,
    );
    return result;
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
        .map((mid, i) => ({
          id: mid,
          title: this.guides.get(mid)?.title ?? mid,
          score: session.scores[i] ?? 0,
        }))
        .filter((_, i) => i !== rank)
        .slice(0, 3),
      truncatedInput: session.truncatedInput,
      actions,
    };
  }
}

/** Where an approval request came from, so its result goes back to that thread. */
export interface PendingApproval {
  platform: string;
  channel: string;
  thread: string;
  requester: string;
  catalogId: string;
  host: string;
}

/** `run <catalog-id> on <host> [name=value ...]`; undefined when the text is not a run command. */
export function parseRunCommand(
  text: string,
): { catalogId: string; host: string; params: Record<string, string> } | { error: string } | undefined {
  const t = text.trim();
  if (/^run$/i.test(t)) return { error: 'Usage: `run <diagnostic> on <host> [name=value ...]`' };
  // Only the exact shape counts: a paste such as "Run failed: exit code 1" is a paste, not a command.
  const m = /^run\s+([a-z0-9]+(?:-[a-z0-9]+)*)\s+on\s+(\S+)((?:\s+\S+)*)$/i.exec(t);
  if (!m) return undefined;
  const catalogId = (m[1] ?? '').toLowerCase();
  const host = m[2] ?? '';
  const rest = (m[3] ?? '').trim().split(/\s+/).filter(Boolean);
  const params: Record<string, string> = {};
  for (const w of rest) {
    const eq = w.indexOf('=');
    if (eq <= 0) return { error: `"${w.slice(0, 64)}" is not name=value` };
    params[w.slice(0, eq)] = w.slice(eq + 1);
  }
  return { catalogId, host, params };
}

export function sessionKey(ref: ConversationRef): string {
  return `${ref.platform}:${ref.thread}`;
}
