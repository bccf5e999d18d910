import { createHash } from 'node:crypto';
import type { BotConfig } from '../config/schema.js';
import type { Guide } from '../knowledge/schema.js';
import type { MatchEngine, MatchResult } from '../match/engine.js';
import { redactSecrets } from '../redact/index.js';
import { guideView, type Reply, type ReplyAction } from '../reply/model.js';
import { runLabel, WORDS } from '../reply/words.js';
import { StoreUnreachableError } from '../store/kv.js';
import type { Session } from '../store/sessions.js';
import type { Stores } from '../store/stores.js';
import { NO_OBSERVER, type BotObserver } from './observer.js';
import type {
  DiagnosticOutcome,
  DiagnosticsService,
  HostRunResult,
  RunContext,
} from '../diagnostics/service.js';
import type { Principal } from '../policy/policy.js';
import { looksLikeError } from '../match/errorish.js';
import { fillCommands, pasteNames } from '../reply/fill.js';
import type { Origin } from '../policy/approvals.js';
import { offerViews, type BotReply, type DiagnosticOffer } from './diagnostics.js';
import { LearnedSet, NO_LEARNED, pasteShape } from '../match/learned.js';

export type Trigger = 'mention' | 'dm' | 'command' | 'action' | 'passive' | 'terminal' | 'alert';

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
  /** Messages from bots are answered only from `bot.listenToBots`, only passively; never this bot's own. */
  fromBot?: boolean;
  /** The ids a bot author is known by (bot, app, webhook id), matched against `bot.listenToBots`. */
  botIds?: string[];
  /** This bot's own message. */
  fromSelf?: boolean;
  /** Roles or groups the platform reports for `user`, for the policy. */
  roles?: string[];
  /** The platform's role lookup failed: the policy denies (see `Principal.rolesError`). */
  rolesError?: string;
  /** A terminal's operating-system account, recorded in the audit log. */
  osUser?: string;
}

/** Where an action happened and who acted; the platform's delivery id, when given, dedupes repeats. */
export interface ActionContext {
  platform: string;
  eventId?: string;
  user: string;
  channel: string;
  /** The conversation the clicked message belongs to. */
  thread: string;
  roles?: string[];
  rolesError?: string;
}

/** What was pressed or submitted. */
export type ActionPayload =
  | { kind: 'next' }
  /** "Mute here" under a passive answer: no more unprompted answers in this thread for a while. */
  | { kind: 'mute' }
  | { kind: 'feedback'; guideId: string; verdict: 'helpful' | 'wrong' }
  /** "Pick the right guide" under "no guide fits": asks which guide fits the last paste. */
  | { kind: 'choose' }
  /** The answer to "which guide fits?": a guide id, or none of them (`guideId` absent). */
  | { kind: 'correct'; guideId?: string }
  /** A "Run" button under a guide: runs at once when ready, else asks for a form. */
  | { kind: 'run'; guideId: string; catalogId: string }
  | { kind: 'form-submit'; catalogId: string; host: string; params: Record<string, string> }
  | { kind: 'approve'; requestId: string }
  | { kind: 'reject'; requestId: string };

/** A button press or form submission, decoded by a front end. */
export type InboundAction = ActionContext & ActionPayload;

/** What a front end does with an action: every field optional, in this order. */
export interface ActionResult {
  /** Open this form (a run that needs a host or parameters); must happen at once on some platforms. */
  form?: DiagnosticOffer;
  /**
   * Acknowledge, then act on this (a run that is ready): the decision is quick, the run may be slow, and
   * platforms want an acknowledgement within seconds.
   */
  then?: InboundAction;
  /** Replace the message that carried the button (it loses its buttons). */
  update?: BotReply;
  /** Replies for a conversation: `to`, or the action's own thread when absent. */
  replies: BotReply[];
  to?: Origin;
  /** Shown only to the person who acted. */
  privately: string[];
}

export interface ConversationRef {
  platform: string;
  thread: string;
  user: string;
}

const DEDUPE_TTL_MS = 60 * 60 * 1000;

/** What asks for the next candidate guide, said to the bot or typed in an answer's thread. */
const MORE_WORDS: ReadonlySet<string> = new Set(['more', 'next', 'show more']);

export const HELP_TEXT = [
  'Paste an error message, a log excerpt or a stack trace, and I will find the guide that explains it.',
  'Commands:',
  '`more`: the next candidate guide for the last paste',
  '`full`: the last answer in full (what it means, how to diagnose and fix it, the FAQ)',
  '`show <guide-id>`: one guide in full',
  '`helpful` / `wrong`: rate the last answer (after `wrong`, say which guide fits: its number, its id, or `none`)',
  '`run <diagnostic> on <host> [name=value ...]`: run a diagnostic (policy decides who may)',
  '`mute here [for 2h]` / `unmute`: stop / resume unprompted answers in this thread',
  '`help`: this list',
].join('\n');

/** An answer to "which guide fits?" by its number or "none" (a guide id is checked against the guides). */
const PICKED_BY_NUMBER = /^(?:\d{1,2}|none(?: of these)?)$/;

/** `show <guide-id>`: the id, or undefined when the text is not that command. */
function parseShow(word: string): string | undefined {
  const m = /^show\s+([a-z0-9]+(?:-[a-z0-9]+)*)$/.exec(word);
  return m && m[1] !== 'more' ? m[1] : undefined;
}

/**
 * Whether a line is one of the bot's commands rather than a paste: front ends that gather a paste from
 * several messages or lines (the terminal) ask this before starting a paste.
 */
export function isBotCommand(text: string): boolean {
  const t = text.trim();
  const word = t.toLowerCase().replace(/[.!?]+$/, '');
  return (
    ['help', 'full', 'helpful', 'wrong'].includes(word) ||
    MORE_WORDS.has(word) ||
    PICKED_BY_NUMBER.test(word) ||
    parseShow(word) !== undefined ||
    parseMute(word) !== undefined ||
    parseRunCommand(t) !== undefined
  );
}

/** What the bot learns from, beside the knowledge base. */
export interface LearningOptions {
  /** Keep pastes that no guide answered (redacted), for `faultline gaps`. */
  recordGaps: boolean;
}

/** How long a replica trusts its copy of the learned examples before reading the store again. */
const LEARNED_REFRESH_MS = 5000;
/** How many candidates "wrong" offers as choices. */
const CHOICES = 5;

/**
 * What needs shared state (approvals, feedback, run requests) refuses while the shared store is unreachable,
 * with one clear line, rather than guess. Answering a paste does not get here: dedupe and sessions fall back
 * to the process (see `redisStores`).
 */
async function refusedWhileStoreDown<T>(work: () => Promise<T>, refusal: (text: string) => T): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (e instanceof StoreUnreachableError) return refusal(e.message);
    throw e;
  }
}

/**
 * The conversation shared by every front end: when to answer, what to answer, "more", feedback. Front
 * ends translate platform events into `InboundEvent`s and render the `Reply`s.
 */
/** How a front end takes replies that are ready before the rest. */
export interface ReceiveOptions {
  /**
   * Posts one reply at once: each host's result of a run as that host finishes, so a slow host holds back
   * only itself. What `receive` returns is the rest. Without it, every host's result comes back together.
   */
  early?: (reply: BotReply) => Promise<void>;
}

export class Bot {
  private guides: Map<string, Guide>;
  private observer: BotObserver = NO_OBSERVER;

  private engine: MatchEngine;

  constructor(
    engine: MatchEngine,
    guides: readonly Guide[],
    private readonly store: Stores,
    private readonly config: BotConfig,
    /** The diagnostic flow; without it guides offer no runs. */
    private readonly diagnostics?: DiagnosticsService,
    private readonly learning: LearningOptions = { recordGaps: true },
  ) {
    this.engine = engine;
    this.guides = new Map(guides.map((g) => [g.id, g]));
  }

  /**
   * Serves another set of guides from the next paste on (a reload): the engine and the guides change
   * together, in one synchronous step, so no paste is matched by one set and answered from the other.
   */
  replaceKnowledge(engine: MatchEngine, guides: readonly Guide[]): void {
    this.engine = engine;
    this.guides = new Map(guides.map((g) => [g.id, g]));
  }

  /** Reports events, matches and outcomes to `observer` (metrics). */
  observe(observer: BotObserver): void {
    this.observer = observer;
  }

  /**
   * The one entry point for messages, from every front end: when to answer, what to answer, "more",
   * feedback, `run <id> on <host> [name=value ...]`, and after a guide the runs it offers on the hosts
   * this user may use. A repeated delivery (same `eventId`) gets nothing.
   */
  async receive(ev: InboundEvent, opts: ReceiveOptions = {}): Promise<BotReply[]> {
    this.observer.eventReceived(ev.platform, ev.trigger);
    const replies = await refusedWhileStoreDown(
      () => this.answer(ev, opts),
      (text): BotReply[] => [{ kind: 'error', text }],
    );
    this.observer.repliesReturned(ev.platform, replies.length);
    return replies;
  }

  private async answer(ev: InboundEvent, opts: ReceiveOptions): Promise<BotReply[]> {
    if (ev.fromSelf || (ev.fromBot && !this.listensTo(ev))) return [];
    if (!(await this.firstDelivery(ev.platform, ev.eventId))) return [];
    const who = principal(ev);
    const text = ev.text.trim();
    const ref = { platform: ev.platform, thread: ev.thread, user: ev.user };
    const word = text.toLowerCase().replace(/[.!?]+$/, '');
    if (ev.trigger === 'passive') {
      // "more" typed in the thread of an answer continues it, no mention needed; elsewhere it is chatter.
      if (!ev.fromBot && MORE_WORDS.has(word) && (await this.store.sessions.get(sessionKey(ref))))
        return [await this.next(ref)];
      return this.passive(ev, text);
    }
    if (ev.trigger === 'alert') return this.alert(ev, text);
    const run = parseRunCommand(text);
    if (run) {
      if ('error' in run) return [{ kind: 'error', text: run.error }];
      return this.requestDiagnostic(who, ev.thread, run.catalogId, run.host, run.params, opts.early);
    }
    const mute = parseMute(word);
    if (mute) return [await this.setMute(ev, mute)];
    if (!text || word === 'help') return [{ kind: 'text', text: HELP_TEXT }];
    if (MORE_WORDS.has(word)) return [await this.next(ref)];
    if (word === 'helpful' || word === 'wrong') return [await this.feedbackOnCurrent(ref, word)];
    const picked = await this.pickedInText(ref, word);
    if (picked) return [picked];
    if (word === 'full') return [await this.fullCurrent(ref)];
    const show = parseShow(word);
    if (show) return [this.page(show)];
    const reply = await this.explain(ref, text);
    const offers = reply.kind === 'guide' ? await this.offersFor(who, reply.guide.id, ref) : undefined;
    return offers ? [reply, offers] : [reply];
  }

  /**
   * The one entry point for buttons and forms. The front end decodes the platform's payload into an
   * `InboundAction` and delivers the result; every rule (when a run is ready, who may decide, the wording)
   * is here.
   */
  async act(action: InboundAction): Promise<ActionResult> {
    return refusedWhileStoreDown(
      () => this.actNow(action),
      (text): ActionResult => ({ replies: [], privately: [text] }),
    );
  }

  private async actNow(action: InboundAction): Promise<ActionResult> {
    const none: ActionResult = { replies: [], privately: [] };
    if (!(await this.firstDelivery(action.platform, action.eventId))) return none;
    const who = principal(action);
    const ref = { platform: action.platform, thread: action.thread, user: action.user };
    switch (action.kind) {
      case 'next':
        return { replies: [await this.next(ref)], privately: [] };
      case 'mute':
        return {
          replies: [],
          privately: [textOf(await this.setMute(action, { scope: 'thread', ms: DEFAULT_MUTE_MS }))],
        };
      case 'feedback': {
        const reply = await this.feedback(ref, action.guideId, action.verdict);
        // The question "which guide fits?" goes to the thread: whoever knows the answer may give it.
        if (reply.kind === 'choose-guide') return { replies: [reply], privately: [] };
        return { replies: [], privately: [textOf(reply)] };
      }
      case 'choose': {
        const session = await this.store.sessions.get(sessionKey(ref));
        if (!session?.shape) return { replies: [], privately: [NO_PASTE] };
        return { replies: [await this.askWhichFits(ref, session)], privately: [] };
      }
      case 'correct':
        return { replies: [], privately: [textOf(await this.correct(ref, action.guideId))] };
      case 'run': {
        const offers = await this.offersFor(who, action.guideId, ref);
        const offer =
          offers?.kind === 'diagnostic-offers'
            ? offers.offers.find((o) => o.catalogId === action.catalogId)
            : undefined;
        if (!offer)
          return { replies: [], privately: [`You may not run \`${action.catalogId}\` on any host.`] };
        // Ready: one host to choose from and every parameter already given by the guide.
        const ready = offer.hosts.length === 1 && offer.params.every((p) => p.suggested !== undefined);
        if (!ready) return { form: offer, replies: [], privately: [] };
        const params = Object.fromEntries(offer.params.map((p) => [p.name, p.suggested ?? '']));
        const { eventId: _delivery, ...context } = action;
        return {
          then: {
            ...context,
            kind: 'form-submit',
            catalogId: offer.catalogId,
            host: offer.hosts[0] ?? '',
            params,
          },
          replies: [],
          privately: [],
        };
      }
      case 'form-submit':
        return {
          replies: await this.requestDiagnostic(
            who,
            action.thread,
            action.catalogId,
            action.host,
            action.params,
          ),
          privately: [],
        };
      case 'approve':
      case 'reject': {
        const { replies, conversation } =
          action.kind === 'approve'
            ? await this.approve(who, action.requestId)
            : await this.reject(who, action.requestId);
        if (!conversation) return { replies: [], privately: replies.map(textOf) };
        return {
          update: {
            kind: 'approval-decided',
            decision: action.kind === 'approve' ? 'approved' : 'rejected',
            by: action.user,
            requester: conversation.requester,
            catalogId: conversation.catalogId,
            host: conversation.host,
          },
          replies,
          to: { platform: conversation.platform, channel: conversation.channel, thread: conversation.thread },
          privately: [],
        };
      }
    }
  }

  /** A listed integration's message in an incident channel, heard like a person's paste there. */
  private listensTo(ev: InboundEvent): boolean {
    return ev.trigger === 'passive' && (ev.botIds ?? []).some((id) => this.config.listenToBots.includes(id));
  }

  /** Dedupe, once for messages and actions: a platform retrying a delivery gets one answer. */
  private async firstDelivery(platform: string, eventId: string | undefined): Promise<boolean> {
    return !eventId || this.store.dedupe.firstSeen(`event:${platform}:${eventId}`, DEDUPE_TTL_MS);
  }

  /** The guide's catalog entries on the hosts `who` may use; undefined when there is nothing to offer. */
  private async offersFor(
    who: Principal,
    guideId: string,
    ref: ConversationRef,
  ): Promise<BotReply | undefined> {
    const guide = this.guides.get(guideId);
    if (!this.diagnostics || !guide || guide.diagnostics.length === 0) return undefined;
    const wanted = guide.diagnostics.map((d) =>
      typeof d === 'string' ? { id: d, params: {} } : { id: d.id, params: d.params },
    );
    // A parameter the guide leaves open is pre-filled with what this conversation's paste names.
    const names = (await this.store.sessions.get(sessionKey(ref)))?.names;
    const offers = offerViews(this.diagnostics, who, wanted, names).filter((o) => o.hosts.length > 0);
    return offers.length ? { kind: 'diagnostic-offers', guideId, offers } : undefined;
  }

  /** A run through policy: refused, waiting for a second person, or the (trimmed) result. */
  private async requestDiagnostic(
    who: Principal,
    thread: string,
    catalogId: string,
    host: string,
    params: Record<string, string | number>,
    early?: (reply: BotReply) => Promise<void>,
  ): Promise<BotReply[]> {
    if (!this.diagnostics) return [{ kind: 'text', text: 'Diagnostics are not set up for this bot.' }];
    // `run ID on a,b,c` fans out over the named hosts, as a label does.
    const hosts = host
      .split(',')
      .map((h) => h.trim())
      .filter(Boolean);
    const outcome = await this.diagnostics.request(
      {
        ...who,
        catalogId,
        ...(hosts.length === 1 ? { host: hosts[0] } : { hosts }),
        params,
        origin: { platform: who.platform, channel: who.channel ?? '', thread },
      },
      early ? { onHost: (r, run) => early(hostReply(run, r)) } : {},
    );
    this.observer.diagnosticOutcome(outcomeKind(outcome));
    if (outcome.status === 'needs-approval') {
      const command = outcome.commands[outcome.hosts[0] ?? ''];
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
          host: outcome.hosts.join(', '),
          params: outcome.params,
          ...(command !== undefined ? { command } : {}),
        },
      ];
    }
    // Streamed: every host's result was posted as it finished.
    if (outcome.status === 'ran' && early) return [];
    return this.outcomeReplies(outcome);
  }

  /**
   * A second person approves a pending run; the service decides who may (one self-approval rule, the
   * policy's approval right). The result goes to the request's conversation.
   */
  private async approve(
    approver: Principal,
    requestId: string,
  ): Promise<{ replies: BotReply[]; conversation?: DecidedRequest }> {
    if (!this.diagnostics) return { replies: [{ kind: 'text', text: NOT_PENDING }] };
    const outcome = await this.diagnostics.approve(requestId, approver);
    if (outcome.status !== 'ran') return { replies: [this.refusalReply(outcome, 'approve')] };
    this.observer.diagnosticOutcome(outcomeKind(outcome));
    return { replies: this.outcomeReplies(outcome), conversation: decided(outcome) };
  }

  /** Rejects a pending run (an authorised approver, or the requester withdrawing it). */
  private async reject(
    decider: Principal,
    requestId: string,
  ): Promise<{ replies: BotReply[]; conversation?: DecidedRequest }> {
    if (!this.diagnostics) return { replies: [{ kind: 'text', text: NOT_PENDING }] };
    const outcome = await this.diagnostics.reject(requestId, decider);
    if (outcome.status !== 'rejected') return { replies: [this.refusalReply(outcome, 'reject')] };
    return {
      replies: [
        {
          kind: 'text',
          text: `Request for \`${outcome.catalogId}\` on \`${outcome.hosts.join(', ')}\` was rejected by ${decider.user}.`,
        },
      ],
      conversation: decided(outcome),
    };
  }

  private refusalReply(outcome: DiagnosticOutcome, verb: 'approve' | 'reject'): BotReply {
    if (outcome.status !== 'denied' && outcome.status !== 'invalid')
      return { kind: 'error', text: `Unexpected answer: ${outcome.status}` };
    if (outcome.refusal === 'unknown') return { kind: 'text', text: NOT_PENDING };
    if (outcome.refusal === 'self-approval')
      return {
        kind: 'error',
        text: 'You cannot approve your own request; another authorised person has to.',
      };
    return {
      kind: 'error',
      text: verb === 'approve' ? `Not approved: ${outcome.reason}` : `Could not reject: ${outcome.reason}`,
    };
  }

  private outcomeReply(outcome: DiagnosticOutcome): BotReply {
    switch (outcome.status) {
      case 'denied':
        return { kind: 'error', text: `Refused by policy: ${outcome.reason}` };
      case 'invalid':
        return { kind: 'error', text: `Cannot run that: ${outcome.reason}` };
      case 'needs-approval':
      case 'rejected':
        return { kind: 'error', text: `Unexpected answer: ${outcome.status}` };
      case 'ran': {
        // One reply per host: `outcomeReplies`; here only the first, for callers that show one line.
        const r = outcome.results[0];
        if (!r) return { kind: 'error', text: 'The diagnostic failed: no host ran the diagnostic' };
        return hostReply(outcome, r);
      }
    }
  }

  /** Every host's result of a run, in the hosts' order; any other outcome as its one reply. */
  private outcomeReplies(outcome: DiagnosticOutcome): BotReply[] {
    if (outcome.status !== 'ran' || outcome.results.length === 0) return [this.outcomeReply(outcome)];
    return outcome.results.map((r) => hostReply(outcome, r));
  }

  /** Matches a paste, remembers the ranking for "more", and returns the best guide or "no guide". */
  async explain(ref: ConversationRef, text: string): Promise<Reply> {
    const result = this.timedMatch(ref.platform, text, await this.learnedSet());
    const session = this.sessionFrom(text, result);
    await this.store.sessions.set(sessionKey(ref), session);
    if (!session.matchIds.length) {
      await this.recordGap(session);
      return {
        kind: 'no-match',
        nearest: result.nearest.map(({ id, title, score }) => ({ id, title, score })),
        truncatedInput: result.truncated,
        ...(result.skipped.length ? { skippedSignatures: result.skipped.length } : {}),
        ...(session.inputBytes ? { inputBytes: session.inputBytes } : {}),
        threshold: this.engine.options.threshold,
      };
    }
    return this.guideReply(session, 0);
  }

  /** The next match of the conversation's last paste ("Show more", "Not this one"). */
  private async next(ref: ConversationRef): Promise<Reply> {
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

  /** The conversation's current answer, in full. */
  private async fullCurrent(ref: ConversationRef): Promise<Reply> {
    const session = await this.store.sessions.get(sessionKey(ref));
    if (!session?.matchIds.length)
      return { kind: 'text', text: 'There is no answer to show in full yet. Paste an error first.' };
    const reply = this.guideReply(session, session.shown);
    return reply.kind === 'guide' ? { ...reply, view: 'full' } : reply;
  }

  /** One guide in full, by id (`show ID`). */
  page(id: string): Reply {
    const guide = this.guides.get(id);
    if (!guide) return { kind: 'error', text: `No guide with id "${id}".` };
    return {
      kind: 'guide',
      guide: guideView(guide, this.guides),
      score: 1,
      evidence: { line: 0, text: '', signature: undefined },
      rank: 0,
      alternatives: [],
      truncatedInput: false,
      actions: [],
      view: 'page',
    };
  }

  private async feedback(
    ref: ConversationRef,
    guideId: string,
    verdict: 'helpful' | 'wrong',
  ): Promise<Reply> {
    const session = await this.store.sessions.get(sessionKey(ref));
    if (!this.guides.has(guideId)) return { kind: 'error', text: `unknown guide "${guideId}"` };
    const at = new Date().toISOString();
    try {
      await this.store.feedback.add({
        at,
        platform: ref.platform,
        user: ref.user,
        pasteHash: session?.pasteHash ?? '',
        guideId,
        verdict,
      });
      if (verdict === 'helpful') return { kind: 'text', text: 'Thanks, noted.' };
      if (!session?.shape) return { kind: 'text', text: 'Thanks, noted. Say `more` for the next candidate.' };
      await this.store.learned.add({ ...learnedFrom(session.shape, ref, at), verdict: 'wrong', guideId });
    } catch (e) {
      return storeDown(e);
    }
    this.learnedAt = 0;
    return this.askWhichFits(ref, session, guideId);
  }

  /** "Which guide fits?": the nearest candidates other than the rejected one, best first. */
  private async askWhichFits(ref: ConversationRef, session: Session, wrong?: string): Promise<Reply> {
    const choices = [...session.matchIds, ...(session.nearest ?? []).map((n) => n.id)]
      .filter((id, i, all) => id !== wrong && all.indexOf(id) === i && this.guides.has(id))
      .slice(0, CHOICES);
    session.choosing = choices;
    await this.store.sessions.set(sessionKey(ref), session);
    return {
      kind: 'choose-guide',
      ...(wrong !== undefined ? { wrong } : {}),
      choices: choices.map((id) => ({ id, title: this.guides.get(id)?.title ?? id })),
    };
  }

  /**
   * Records which guide fits the conversation's last paste (none when `guideId` is absent): a learned
   * example for the matching, and for "none of these" a gap.
   */
  private async correct(ref: ConversationRef, guideId: string | undefined): Promise<Reply> {
    if (guideId !== undefined && !this.guides.has(guideId))
      return { kind: 'error', text: `unknown guide "${guideId}": nothing was recorded` };
    const session = await this.store.sessions.get(sessionKey(ref));
    if (!session?.shape) return { kind: 'text', text: NO_PASTE };
    try {
      await this.learn(session.shape.template ? session.shape : undefined, ref, guideId);
      if (guideId === undefined) await this.recordGap(session);
    } catch (e) {
      return storeDown(e);
    }
    delete session.choosing;
    await this.store.sessions.set(sessionKey(ref), session);
    if (guideId === undefined)
      return {
        kind: 'text',
        text: 'Thanks. I will stay quiet on pastes like this one until a guide is written for it.',
      };
    return {
      kind: 'text',
      text: `Thanks. Pastes like this one will get \`${guideId}\` first.`,
    };
  }

  /**
   * Records a correction for a paste given directly (`faultline learn`), as `who`. Unknown guide ids are
   * refused with a message; an empty template (a paste without text) is refused too.
   */
  async learnFrom(
    who: { platform: string; user: string },
    text: string,
    guideId: string | undefined,
  ): Promise<{ ok: true; template: string; id: string } | { ok: false; error: string }> {
    if (guideId !== undefined && !this.guides.has(guideId))
      return { ok: false, error: `unknown guide "${guideId}": nothing was recorded` };
    const shape = pasteShape(text, this.engine.options.maxPasteBytes);
    if (!shape.template) return { ok: false, error: 'the text has nothing to learn from' };
    const example = await this.learn(shape, { ...who, thread: 'cli' }, guideId);
    if (guideId === undefined) {
      const result = this.engine.match(text);
      await this.store.gaps.record(
        shape.template,
        shape.sample,
        result.nearest.map(({ id, score }) => ({ id, score })),
        example.at,
      );
    }
    return { ok: true, template: shape.template, id: example.id };
  }

  private async learn(
    shape: { template: string; sample: string } | undefined,
    ref: ConversationRef,
    guideId: string | undefined,
  ) {
    if (!shape) throw new Error('the paste has nothing to learn from');
    const at = new Date().toISOString();
    const example = await this.store.learned.add({
      ...learnedFrom(shape, ref, at),
      ...(guideId === undefined ? { verdict: 'none' as const } : { verdict: 'right' as const, guideId }),
    });
    this.learnedAt = 0;
    return example;
  }

  /** After "wrong" in text: a number from the list, a guide id, or "none" answers the question. */
  private async pickedInText(ref: ConversationRef, word: string): Promise<Reply | undefined> {
    if (!PICKED_BY_NUMBER.test(word) && !/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(word)) return undefined;
    const session = await this.store.sessions.get(sessionKey(ref));
    if (!session?.choosing) return undefined;
    if (word.startsWith('none')) return this.correct(ref, undefined);
    if (/^\d+$/.test(word)) {
      const id = session.choosing[Number(word) - 1];
      if (!id) return { kind: 'error', text: `choose 1 to ${session.choosing.length}, a guide id, or none` };
      return this.correct(ref, id);
    }
    return this.guides.has(word) ? this.correct(ref, word) : undefined;
  }

  /** Guides whose id or title contain every word of `query`, for a search over all guides. */
  searchGuides(query: string, limit = 25): { id: string; title: string }[] {
    const words = query.toLowerCase().split(/\s+/).filter(Boolean);
    const out: { id: string; title: string }[] = [];
    for (const g of this.guides.values()) {
      const hay = `${g.id} ${g.title}`.toLowerCase();
      if (words.every((w) => hay.includes(w))) out.push({ id: g.id, title: g.title });
      if (out.length >= limit) break;
    }
    return out;
  }

  private async recordGap(session: Session): Promise<void> {
    if (!this.learning.recordGaps || !session.shape?.template) return;
    try {
      await this.store.gaps.record(
        session.shape.template,
        session.shape.sample,
        session.nearest ?? [],
        new Date().toISOString(),
      );
    } catch {
      // A store that is down costs the record of a gap, never the answer.
    }
  }

  private learnedCache: LearnedSet = NO_LEARNED;
  private learnedAt = 0;

  /**
   * The team's corrections, read again after a few seconds so that every replica soon sees another's.
   * A store that is down leaves the last copy in use: answers come from the knowledge base as before.
   */
  private async learnedSet(): Promise<LearnedSet> {
    if (Date.now() - this.learnedAt < LEARNED_REFRESH_MS) return this.learnedCache;
    try {
      this.learnedCache = new LearnedSet(await this.store.learned.list());
    } catch {
      // Keep the previous set; the next paste tries again.
    }
    this.learnedAt = Date.now();
    return this.learnedCache;
  }

  private async feedbackOnCurrent(ref: ConversationRef, verdict: 'helpful' | 'wrong'): Promise<Reply> {
    const session = await this.store.sessions.get(sessionKey(ref));
    const id = session?.matchIds[session.shown];
    // "wrong" after "no guide fits": the user knows which guide it is.
    if (!id && session?.shape && verdict === 'wrong') return this.askWhichFits(ref, session);
    if (!id) return { kind: 'text', text: 'There is no answer to rate yet.' };
    return this.feedback(ref, id, verdict);
  }

  /** `mute here|channel [for] <duration>` and `unmute`, said to the bot or pressed under a passive answer. */
  private async setMute(
    where: { platform: string; channel: string; thread: string; user: string },
    m: MuteCommand,
  ): Promise<Reply> {
    const scopes = muteScopes(where);
    if ('error' in m) return { kind: 'error', text: m.error };
    if (m.scope === 'unmute') {
      const was = await this.store.incidents.unmute([scopes.thread, scopes.channel]);
      return {
        kind: 'text',
        text: was ? 'Unmuted: I will answer error pastes here again.' : 'I was not muted here.',
      };
    }
    const until = new Date(Date.now() + m.ms);
    await this.store.incidents.mute(m.scope === 'thread' ? scopes.thread : scopes.channel, until);
    return {
      kind: 'text',
      text: `Muted in this ${m.scope} until ${until.toISOString().slice(0, 16).replace('T', ' ')} UTC (set by ${where.user}): I will not answer pastes here unless asked. Say \`unmute\` to undo.`,
    };
  }

  private async passive(ev: InboundEvent, text: string): Promise<Reply[]> {
    if (!this.config.incidentChannels.includes(ev.channel)) return [];
    const scopes = muteScopes(ev);
    if (await this.store.incidents.mutedUntil([scopes.thread, scopes.channel])) return [];
    const result = this.timedMatch(ev.platform, text, await this.learnedSet());
    const best = result.matches[0];
    if (!best || best.score < this.config.passiveThreshold) return [];
    // A guide's own signature is the engine's confident notion of an error; word overlap alone needs the
    // paste to read like an error as well, so that chatter stays unanswered.
    if (best.evidence.signature === undefined && !looksLikeError(text)) return [];
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
    const reply = this.guideReply(session, 0);
    if (reply.kind === 'guide') reply.actions.push({ kind: 'mute', label: 'Mute here' });
    return [reply];
  }

  /**
   * A firing alert's text, in its group's thread: the best guide that fits, once per guide per group (a
   * group re-sent every repeat interval, or several alerts of one cause, get each explanation once).
   */
  private async alert(ev: InboundEvent, text: string): Promise<Reply[]> {
    const result = this.timedMatch(ev.platform, text, await this.learnedSet());
    const best = result.matches[0];
    if (!best) return [];
    if (
      !(await this.store.dedupe.firstSeen(
        `alert:${ev.platform}:${ev.thread}:${best.id}`,
        7 * 24 * DEDUPE_TTL_MS,
      ))
    )
      return [];
    const session = this.sessionFrom(text, result);
    await this.store.sessions.set(
      sessionKey({ platform: ev.platform, thread: ev.thread, user: ev.user }),
      session,
    );
    return [this.guideReply(session, 0)];
  }

  private timedMatch(platform: string, text: string, learned: LearnedSet): MatchResult {
    const t0 = process.hrtime.bigint();
    const result = this.engine.match(text, {}, learned);
    this.observer.matched(
      platform,
      result.matches[0]?.id ?? null,
      Number(process.hrtime.bigint() - t0) / 1e9,
      result.skipped.length,
    );
    return result;
  }

  private sessionFrom(text: string, result: MatchResult): Session {
    return {
      pasteHash: createHash('sha256').update(text).digest('hex'),
      matchIds: result.matches.map((m) => m.id),
      scores: result.matches.map((m) => m.score),
      // The evidence is a line of the paste: it is kept in the store and echoed in every reply and
      // overflow file, so it enters the session redacted.
      evidence: result.matches.map((m) => ({ ...m.evidence, text: redactSecrets(m.evidence.text) })),
      shown: 0,
      truncatedInput: result.truncated,
      ...(result.skipped.length ? { skippedSignatures: result.skipped.length } : {}),
      shape: pasteShape(text, this.engine.options.maxPasteBytes),
      nearest: result.nearest.map(({ id, score }) => ({ id, score })),
      ...(result.truncated ? { inputBytes: { read: result.readBytes, total: result.bytes } } : {}),
      // Only the names: the paste itself is not kept.
      names: pasteNames(text),
    };
  }

  private guideReply(session: Session, rank: number): Reply {
    const id = session.matchIds[rank] as string;
    const guide = this.guides.get(id);
    if (!guide) return { kind: 'error', text: `guide "${id}" is no longer loaded` };
    const actions: ReplyAction[] = [];
    if (rank + 1 < session.matchIds.length) actions.push({ kind: 'next-match', label: WORDS.nextMatch });
    actions.push({ kind: 'feedback', verdict: 'helpful', guideId: id, label: WORDS.helpful });
    actions.push({ kind: 'feedback', verdict: 'wrong', guideId: id, label: WORDS.wrong });
    for (const d of guide.diagnostics) {
      const ref = typeof d === 'string' ? { id: d, params: {} } : d;
      actions.push({
        kind: 'run-diagnostic',
        catalogId: ref.id,
        params: ref.params,
        label: runLabel(ref.id),
      });
    }
    const view = guideView(guide, this.guides);
    const filled = fillCommands(
      view.commands.map((c) => c.text),
      session.names ?? {},
    );
    const score = session.scores[rank] ?? 0;
    return {
      kind: 'guide',
      guide: {
        ...view,
        commands: view.commands.map((c, i) => {
          const text = filled[i] ?? c.text;
          return text === c.text ? c : { ...c, text, filled: true as const };
        }),
      },
      score,
      evidence: session.evidence[rank] ?? { line: 1, text: '', signature: undefined },
      rank,
      // Only candidates close to this one are worth a look; a distant second is noise.
      alternatives: session.matchIds
        .map((mid, i) => ({
          id: mid,
          title: this.guides.get(mid)?.title ?? mid,
          score: session.scores[i] ?? 0,
        }))
        .filter((a, i) => i !== rank && a.score >= score - CLOSE_CANDIDATE)
        .slice(0, 3),
      truncatedInput: session.truncatedInput,
      ...(session.skippedSignatures ? { skippedSignatures: session.skippedSignatures } : {}),
      ...(session.inputBytes ? { inputBytes: session.inputBytes } : {}),
      actions,
    };
  }
}

/** How far below the shown guide's score another candidate may be and still be listed. */
const CLOSE_CANDIDATE = 0.15;

/** How long "mute here" lasts when no duration is given: about a shift. */
const DEFAULT_MUTE_MS = 4 * 60 * 60 * 1000;
const MAX_MUTE_MS = 7 * 24 * 60 * 60 * 1000;

type MuteCommand = { scope: 'thread' | 'channel'; ms: number } | { scope: 'unmute' } | { error: string };

/** `mute here`, `mute channel for 2h`, `mute here 30m`, `unmute`; undefined for anything else. */
export function parseMute(word: string): MuteCommand | undefined {
  if (word === 'unmute') return { scope: 'unmute' };
  const m =
    /^mute(?:\s+(here|thread|channel))?(?:\s+(?:for\s+)?(\d+)\s*(m|min|mins|minutes?|h|hours?|d|days?))?$/.exec(
      word,
    );
  if (!m) return undefined;
  const scope = m[1] === 'channel' ? 'channel' : 'thread';
  if (!m[2]) return { scope, ms: DEFAULT_MUTE_MS };
  const unit = (m[3] ?? 'h')[0];
  const ms = Number(m[2]) * (unit === 'm' ? 60_000 : unit === 'h' ? 3_600_000 : 86_400_000);
  if (ms < 60_000 || ms > MAX_MUTE_MS)
    return { error: 'Mute for between a minute and 7 days, e.g. `mute here for 2h`.' };
  return { scope, ms };
}

function muteScopes(w: { platform: string; channel: string; thread: string }): {
  thread: string;
  channel: string;
} {
  return { thread: `${w.platform}:thread:${w.thread}`, channel: `${w.platform}:channel:${w.channel}` };
}

const NOT_PENDING = 'That request is no longer pending (already handled or expired).';

/** A decided request and the conversation it was asked in, for the front end to post the result there. */
export interface DecidedRequest {
  platform: string;
  channel: string;
  thread: string;
  requester: string;
  catalogId: string;
  host: string;
}

function decided(
  outcome: Extract<DiagnosticOutcome, { status: 'ran' | 'rejected' }>,
): DecidedRequest | undefined {
  if (!outcome.origin) return undefined;
  const hosts = outcome.status === 'ran' ? outcome.results.map((r) => r.host) : outcome.hosts;
  return {
    ...outcome.origin,
    requester: outcome.requester.user,
    catalogId: outcome.catalogId,
    host: hosts.join(', '),
  };
}

/** The metric's names for outcomes, as they were before the service's outcome became the only one. */
function outcomeKind(o: DiagnosticOutcome): string {
  if (o.status !== 'ran') return o.status;
  const r = o.results[0];
  return !r ? 'error' : r.status === 'denied' ? 'denied' : r.status === 'error' ? 'error' : 'result';
}

/** One host's result of a run, as the thread shows it. */
function hostReply(run: RunContext, r: HostRunResult): BotReply {
  if (r.status === 'denied')
    return { kind: 'error', text: `Refused by policy on ${r.host}: ${r.error ?? 'denied'}` };
  if (r.status === 'error')
    return {
      kind: 'error',
      text: `The diagnostic failed on ${r.host}: ${r.error ?? 'the diagnostic did not run'}`,
    };
  return {
    kind: 'diagnostic-result',
    catalogId: run.catalogId,
    host: r.host,
    params: run.params,
    exitCode: r.exitCode,
    shown: r.text,
    ...(r.trimmed ? { full: r.full } : {}),
    truncatedAtSource: r.truncated,
    ...(r.timedOut ? { summary: 'The command timed out and was stopped.' } : {}),
    requester: run.requester.user,
    ...(run.approvedBy !== undefined ? { approvedBy: run.approvedBy } : {}),
  };
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

function principal(p: {
  platform: string;
  user: string;
  channel: string;
  roles?: string[];
  rolesError?: string;
  osUser?: string;
}): Principal {
  return {
    platform: p.platform,
    user: p.user,
    channel: p.channel,
    ...(p.osUser !== undefined ? { osUser: p.osUser } : {}),
    ...(p.roles ? { roles: p.roles } : {}),
    ...(p.rolesError !== undefined ? { rolesError: p.rolesError } : {}),
  };
}

function learnedFrom(shape: { template: string; sample: string }, ref: ConversationRef, at: string) {
  return { template: shape.template, sample: shape.sample, platform: ref.platform, user: ref.user, at };
}

const NO_PASTE = 'There is no earlier paste in this conversation. Paste an error first.';

function storeDown(e: unknown): Reply {
  // An unreachable shared store gets the one refusal every action gets (`refusedWhileStoreDown`).
  if (e instanceof StoreUnreachableError) throw e;
  return {
    kind: 'error',
    text: `The correction was not recorded: the store is unavailable (${e instanceof Error ? e.message : String(e)}).`,
  };
}

/** A reply as one line of text, for what is shown privately. */
function textOf(r: BotReply): string {
  return r.kind === 'text' || r.kind === 'error' ? r.text : 'Done.';
}

export function sessionKey(ref: ConversationRef): string {
  return `${ref.platform}:${ref.thread}`;
}
