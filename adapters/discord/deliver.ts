import { ChannelType, type BaseMessageOptions, type Client, type SendableChannels } from 'discord.js';
import type { Logger } from 'pino';
import type { BotReply } from '../../src/bot/diagnostics.js';
import type { Destination, SendResult, Sender } from '../../src/delivery/outbox.js';
import { errorText } from '../../src/frontend/kit.js';
import { networkCause } from '../../src/frontend/frontend.js';
import type { DiscordConfig } from './config.js';
import { NO_PINGS, renderDiscord, type DiscordMessage } from './render.js';

export function toOptions(m: DiscordMessage): BaseMessageOptions {
  return {
    ...(m.content !== undefined ? { content: m.content } : {}),
    embeds: m.embeds,
    components: m.components,
    files: m.files.map((f) => ({ attachment: f.data, name: f.name })),
    allowedMentions: m.allowedMentions,
  };
}

/** "A thread has already been created for this message": a retry after the first attempt did create it. */
const THREAD_EXISTS = 160004;

/** Network failures that mean the request never reached Discord. */
const NOT_SENT = /\b(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|UND_ERR_CONNECT_TIMEOUT)\b/;

/**
 * What a failed REST call means for the outbox: refused for good (unknown channel, missing access or
 * permissions, a refused token: dropped), never arrived (connection refused, a rate limit: retried), or
 * may have been posted (a 5xx after discord.js's own retries, a timeout, a reset: sent again with the same
 * nonce, which Discord answers with the message it already has).
 */
export function discordFailure(err: unknown): Extract<SendResult, { ok: false }> {
  const e = err as { name?: string; status?: unknown; code?: unknown; retryAfter?: unknown };
  if (String(e?.name ?? '').startsWith('RateLimitError') || e?.status === 429) {
    const ms = typeof e.retryAfter === 'number' ? e.retryAfter : 1000;
    return {
      ok: false,
      failure: 'retry',
      reason: '429',
      detail: `rate limited for ${ms} ms`,
      retryAfterMs: ms,
    };
  }
  if (typeof e?.status === 'number') {
    const status = e.status;
    const code = typeof e.code === 'number' ? e.code : undefined;
    if (status >= 500 || status === 408)
      return {
        ok: false,
        failure: 'uncertain',
        reason: String(status),
        detail: `Discord answered ${status}`,
      };
    if (status === 401) return { ok: false, failure: 'drop', reason: '401', detail: 'the token was refused' };
    // Unknown channel (10003), missing access (50001) or permissions (50013), and the like.
    return {
      ok: false,
      failure: 'drop',
      reason: code !== undefined ? String(code) : String(status),
      detail: `Discord refused it: ${errorText(err)}`,
    };
  }
  const net = networkCause(err);
  if (net) {
    const code =
      /\b(E[A-Z_]+|UND_ERR_[A-Z_]+)\b/.exec(net)?.[1] ?? (net === 'timed out' ? 'timeout' : 'network');
    return NOT_SENT.test(net)
      ? { ok: false, failure: 'retry', reason: code, detail: net }
      : { ok: false, failure: 'uncertain', reason: code, detail: net };
  }
  return { ok: false, failure: 'uncertain', reason: 'error', detail: errorText(err) };
}

function apiCode(err: unknown): number | undefined {
  const c = (err as { code?: unknown } | undefined)?.code;
  return typeof c === 'number' ? c : undefined;
}

function apiStatus(err: unknown): number | undefined {
  const s = (err as { status?: unknown } | undefined)?.status;
  return typeof s === 'number' ? s : undefined;
}

/** A thread name from the answer: the guide's title, else the bot's name (plain text, 1 to 100 characters). */
export function threadNameOf(reply: BotReply | undefined, text = ''): string {
  const base =
    reply?.kind === 'guide'
      ? reply.guide.title
      : (text.split('\n').find((l) => l.trim()) ?? 'faultline').trim();
  return (
    `faultline: ${base}`
      .replace(/[\r\n]+/g, ' ')
      .slice(0, 100)
      .trim() || 'faultline'
  );
}

/**
 * Discord for the outbox. Every message carries its idempotency key as `nonce` with `enforce_nonce`, so a
 * retry of a message Discord already created returns that message instead of posting it again.
 *
 * Conversations are keyed as inbound events key them: a DM or thread channel by its id, a conversation
 * started on a guild message by the message's id (a thread started on a message has the message's id). So
 * the sender sends into the channel `to.thread` names when it exists, else starts the thread on that
 * message, else (threads off, or a channel that has none) replies to the message.
 */
export class DiscordSender implements Sender {
  readonly platform = 'discord';
  /** Where the first text of a conversation came from, for the thread's name. */
  private readonly names = new Map<string, string>();

  constructor(
    private readonly client: Client,
    private readonly settings: DiscordConfig,
    private readonly log: Pick<Logger, 'warn'>,
  ) {}

  /** The text a conversation started with, so that a thread started later is named after it. */
  nameFrom(thread: string, text: string): void {
    this.names.set(thread, text);
    if (this.names.size > 1000) this.names.delete(this.names.keys().next().value as string);
  }

  async send(to: Destination, reply: BotReply, key: string): Promise<SendResult> {
    try {
      const msg = renderDiscord(reply, to.conversation ?? to.thread ?? '');
      const opts = { ...toOptions(msg), nonce: key, enforceNonce: true };
      if (!to.thread) {
        const ch = await this.sendable(to.channel);
        if (!ch)
          return {
            ok: false,
            failure: 'drop',
            reason: 'not_sendable',
            detail: `channel ${to.channel} takes no messages`,
          };
        const sent = await ch.send(opts);
        return { ok: true, to: { channel: to.channel, thread: sent.id } };
      }
      const here = await this.existing(to.thread);
      if (here) {
        await here.send(
          here.isDMBased() && to.replyTo
            ? { ...opts, reply: { messageReference: to.replyTo, failIfNotExists: false } }
            : opts,
        );
        return { ok: true, to };
      }
      const parent = await this.sendable(to.channel);
      if (!parent)
        return {
          ok: false,
          failure: 'drop',
          reason: 'not_sendable',
          detail: `channel ${to.channel} takes no messages`,
        };
      const thread = await this.startThread(parent, to.thread, reply);
      if (thread) await thread.send(opts);
      else
        await parent.send({
          ...opts,
          reply: { messageReference: to.thread, failIfNotExists: false },
          allowedMentions: NO_PINGS,
        });
      return { ok: true, to };
    } catch (err) {
      return discordFailure(err);
    }
  }

  /** A channel (thread, DM, text channel) by id, or undefined when Discord has none with that id. */
  private async existing(id: string): Promise<SendableChannels | undefined> {
    const cached = this.client.channels.cache.get(id);
    if (cached) return cached.isSendable() ? cached : undefined;
    try {
      const ch = await this.client.channels.fetch(id);
      return ch?.isSendable() ? ch : undefined;
    } catch (err) {
      if (apiStatus(err) === 404) return undefined;
      throw err;
    }
  }

  private async sendable(id: string): Promise<SendableChannels | undefined> {
    return this.existing(id);
  }

  /** The thread on message `messageId`, started now if need be; undefined where the answer is a reply instead. */
  private async startThread(
    parent: SendableChannels,
    messageId: string,
    reply: BotReply,
  ): Promise<SendableChannels | undefined> {
    if (!this.settings.threads) return undefined;
    if (parent.type !== ChannelType.GuildText && parent.type !== ChannelType.GuildAnnouncement)
      return undefined;
    try {
      const thread = await parent.threads.create({
        startMessage: messageId,
        name: threadNameOf(reply, this.names.get(messageId)),
        autoArchiveDuration: this.settings.threadArchiveMinutes,
      });
      return thread;
    } catch (err) {
      if (apiCode(err) === THREAD_EXISTS) return this.existing(messageId);
      const status = apiStatus(err);
      // Permissions or a message that cannot have a thread: answer with a reply. Anything else is an outage.
      if (status !== undefined && status >= 400 && status < 500 && status !== 429) {
        this.log.warn(
          { channel: parent.id, message: messageId, error: errorText(err) },
          'could not start a thread; replying to the message instead',
        );
        return undefined;
      }
      throw err;
    }
  }
}
