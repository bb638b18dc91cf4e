/**
 * What the emulated Discord remembers: webhooks, the messages they sent, and a log of every
 * request. Tests assert on this state instead of on what the app believes it sent.
 */
import { Snowflakes, newToken } from './ids.js';
import { Threads, type AutoArchiveMinutes } from './threads.js';
import type { Counts, CreateWebhookOptions, ReceivedRequest, StoredMessage, WebhookHandle } from './types.js';

export interface Hook {
  id: string;
  token: string;
  channelId: string;
  forum: boolean;
  name: string;
  deleted: boolean;
}

export class Store {
  readonly hooks = new Map<string, Hook>();
  readonly requests: ReceivedRequest[] = [];
  readonly messages: StoredMessage[] = [];
  readonly ids = new Snowflakes();
  readonly guildId = this.ids.next();
  readonly threads = new Threads();
  /** Channels whose threads archive after other than the default duration. */
  readonly #archiveMinutes = new Map<string, AutoArchiveMinutes>();

  constructor(private readonly defaultArchiveMinutes: AutoArchiveMinutes) {}

  createWebhook(opts: CreateWebhookOptions = {}): WebhookHandle {
    const hook: Hook = {
      id: this.ids.next(),
      token: newToken(),
      channelId: opts.channelId ?? this.ids.next(),
      forum: opts.forum ?? false,
      name: 'Captain Hook',
      deleted: false,
    };
    this.hooks.set(hook.id, hook);
    if (opts.autoArchiveMinutes !== undefined) this.#archiveMinutes.set(hook.channelId, opts.autoArchiveMinutes);
    const url = `https://discord.com/api/webhooks/${hook.id}/${hook.token}`;
    return { id: hook.id, token: hook.token, channelId: hook.channelId, url };
  }

  deleteWebhook(id: string): void {
    const hook = this.hooks.get(id);
    if (hook) hook.deleted = true;
  }

  /** A live message sent by this webhook; thread messages are only found with their thread_id. */
  findMessage(webhookId: string, messageId: string, threadId: string | undefined): StoredMessage | undefined {
    return this.messages.find(
      (m) => m.id === messageId && m.webhookId === webhookId && m.deletedAt === undefined && m.threadId === threadId,
    );
  }

  /** The auto-archive duration of new threads in this channel. */
  archiveMinutes(channelId: string): AutoArchiveMinutes {
    return this.#archiveMinutes.get(channelId) ?? this.defaultArchiveMinutes;
  }

  messagesFor(webhookId: string): StoredMessage[] {
    return this.messages.filter((m) => m.webhookId === webhookId);
  }

  counts(): Counts {
    const byStatus: Record<number, number> = {};
    const status429ByScope: Record<string, number> = {};
    for (const r of this.requests) {
      byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
      if (r.status === 429 && r.scope) status429ByScope[r.scope] = (status429ByScope[r.scope] ?? 0) + 1;
    }
    return { total: this.requests.length, byStatus, status429ByScope, status400: byStatus[400] ?? 0 };
  }

  /** Clears in place, so arrays handed out earlier stay live. */
  clear(): void {
    this.requests.length = 0;
    this.messages.length = 0;
    this.threads.clear();
  }
}

/** Discord renders timestamps with microseconds and an explicit offset. */
const discordTime = (ms: number): string => new Date(ms).toISOString().replace('Z', '000+00:00');

/** The message object Discord returns for ?wait=true, GET and PATCH. */
export function apiMessage(m: StoredMessage, hook: Hook): Record<string, unknown> {
  const body = m.body as Record<string, unknown>;
  const embeds = Array.isArray(body.embeds) ? body.embeds : [];
  return {
    id: m.id,
    type: 0,
    content: typeof body.content === 'string' ? body.content : '',
    channel_id: m.threadId ?? m.channelId,
    author: {
      id: hook.id,
      username: typeof body.username === 'string' ? body.username : hook.name,
      avatar: null,
      discriminator: '0000',
      public_flags: 0,
      flags: 0,
      bot: true,
      global_name: null,
    },
    attachments: [],
    embeds: embeds.map((e: Record<string, unknown>) => ({ ...e, type: 'rich' })),
    mentions: [],
    mention_roles: [],
    pinned: false,
    mention_everyone: false,
    tts: body.tts === true,
    timestamp: discordTime(m.createdAt),
    edited_timestamp: m.editedAt === undefined ? null : discordTime(m.editedAt),
    flags: typeof body.flags === 'number' ? body.flags : 0,
    components: [],
    webhook_id: hook.id,
  };
}

export function apiWebhook(hook: Hook, guildId: string): Record<string, unknown> {
  return {
    application_id: null,
    avatar: null,
    channel_id: hook.channelId,
    guild_id: guildId,
    id: hook.id,
    name: hook.name,
    type: 1,
    token: hook.token,
  };
}
