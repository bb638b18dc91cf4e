/**
 * The webhook endpoints once a request has passed the gates (faults, rate limits, token):
 * execute, and get/edit/delete of a message the webhook sent. Kept free of HTTP plumbing so
 * each rule reads like the documentation it follows.
 */
import type { ParsedBody } from './body.js';
import { FormErrors } from './form-errors.js';
import { isSnowflake } from './ids.js';
import type { RateLimits } from './ratelimit.js';
import {
  apiError,
  CHANNEL_WRITE_MESSAGE,
  errors,
  invalidForm,
  json,
  noContent,
  rateLimited,
  type Reply,
} from './replies.js';
import { apiMessage, apiWebhook, type Hook, type Store } from './store.js';
import type { StoredMessage } from './types.js';
import { specErrors } from './spec-check.js';
import { EDITABLE_FIELDS, forumViolation, isEmptyMessage, isObj, validateMessageBody } from './validate.js';
import { checkComponentsV2 } from './validate-components.js';

export interface Call {
  method: string;
  hook: Hook;
  messageId: string | undefined;
  query: URLSearchParams;
  body: ParsedBody;
  now: number;
  /** API v6 reply shapes */
  legacy: boolean;
}

function queryBool(e: FormErrors, q: URLSearchParams, name: string): boolean {
  const v = q.get(name);
  if (v === null) return false;
  if (/^(true|1)$/i.test(v)) return true;
  if (!/^(false|0)$/i.test(v)) e.add([name], 'BASE_TYPE_BOOLEAN', 'Must be either true or false.');
  return false;
}

function querySnowflake(e: FormErrors, q: URLSearchParams, name: string): string | undefined {
  const v = q.get(name);
  if (v === null) return undefined;
  if (!isSnowflake(v)) e.add([name], 'NUMBER_TYPE_COERCE', `Value "${v}" is not snowflake.`);
  return v;
}

/**
 * Without `with_components=true` Discord ignores the components a plain webhook sends, as if
 * the body had none (a message with nothing else is then empty: 50006).
 */
function componentsHeard(e: FormErrors, q: URLSearchParams, body: unknown): unknown {
  const heard = queryBool(e, q, 'with_components');
  if (heard || !isObj(body) || !('components' in body)) return body;
  const { components: _ignored, ...rest } = body;
  return rest;
}

/** Marks a refusal with what the spec found, so the request log can tell spec violations apart. */
function withSpec(reply: Reply, spec: FormErrors): Reply {
  if (spec.count > 0) reply.specErrors = spec.tree;
  return reply;
}

export class WebhookApi {
  constructor(
    private readonly store: Store,
    private readonly limits: RateLimits,
  ) {}

  handle(c: Call): Reply {
    if (c.messageId === undefined) {
      if (c.method === 'POST') return this.execute(c);
      if (c.method === 'GET') return json(200, apiWebhook(c.hook, this.store.guildId));
      this.store.deleteWebhook(c.hook.id);
      return noContent();
    }
    const e = new FormErrors();
    const threadId = querySnowflake(e, c.query, 'thread_id');
    if (e.count > 0) return invalidForm(e.tree, c.legacy);
    // Reading stays possible; changing what an archived thread shows does not.
    const changes = c.method === 'PATCH' || c.method === 'DELETE';
    if (changes && threadId !== undefined && this.store.threads.isArchived(threadId, c.now)) {
      return errors.threadArchived();
    }
    const m = isSnowflake(c.messageId) ? this.store.findMessage(c.hook.id, c.messageId, threadId) : undefined;
    if (!m) return errors.unknownMessage();
    if (c.method === 'GET') return json(200, apiMessage(m, c.hook));
    if (c.method === 'DELETE') {
      m.deletedAt = c.now;
      return noContent();
    }
    return this.edit(c, m);
  }

  private execute(c: Call): Reply {
    if (c.body.kind === 'invalid-json') return errors.invalidJson();
    const e = new FormErrors();
    const wait = queryBool(e, c.query, 'wait');
    const threadId = querySnowflake(e, c.query, 'thread_id');
    const sent = c.body.kind === 'json' ? c.body.value : {};
    validateMessageBody(sent, 'create', e);
    const spec = specErrors(sent, 'create');
    e.addNew(spec);
    const body = componentsHeard(e, c.query, sent);
    if (isObj(body)) checkComponentsV2(e, body);
    if (e.count > 0 || !isObj(body)) return withSpec(invalidForm(e.tree, c.legacy), spec);

    const newThread = typeof body.thread_name === 'string';
    const forum = forumViolation(c.hook.forum, newThread, threadId !== undefined);
    if (forum) return apiError(400, forum.message, forum.code);
    if (isEmptyMessage(body)) return errors.emptyMessage();

    const channelKey = threadId ?? c.hook.channelId;
    const blockedMs = this.limits.channelBlockedFor(channelKey, c.now);
    if (blockedMs !== undefined) {
      return rateLimited({
        retryMs: blockedMs,
        scope: 'shared',
        legacy: c.legacy,
        code: 20028,
        message: CHANNEL_WRITE_MESSAGE,
      });
    }
    this.limits.recordChannelWrite(channelKey, c.now);

    const id = this.store.ids.next(c.now);
    const message: StoredMessage = {
      id,
      webhookId: c.hook.id,
      channelId: c.hook.channelId,
      body: structuredClone(body),
      createdAt: c.now,
      edits: 0,
    };
    // A forum post's thread has the id of its starter message.
    const thread = newThread ? id : threadId;
    if (thread !== undefined) {
      message.threadId = thread;
      // Opens the post, or is activity in the thread: either way it is not archived now.
      const minutes = this.store.archiveMinutes(c.hook.channelId);
      this.store.threads.posted(thread, c.hook.channelId, minutes, c.now, newThread ? tagsOf(body) : []);
    }
    this.store.messages.push(message);
    return wait ? json(200, apiMessage(message, c.hook)) : noContent();
  }

  private edit(c: Call, m: StoredMessage): Reply {
    if (c.body.kind === 'invalid-json') return errors.invalidJson();
    const sent = c.body.kind === 'json' ? c.body.value : {};
    const e = validateMessageBody(sent, 'edit');
    const spec = specErrors(sent, 'edit');
    e.addNew(spec);
    const patch = componentsHeard(e, c.query, sent);
    if (isObj(patch)) checkComponentsV2(e, patch, m.body as Record<string, unknown>);
    if (e.count > 0 || !isObj(patch)) return withSpec(invalidForm(e.tree, c.legacy), spec);

    const next: Record<string, unknown> = { ...(m.body as Record<string, unknown>) };
    for (const key of EDITABLE_FIELDS) {
      if (!(key in patch)) continue;
      if (patch[key] === null) delete next[key];
      else next[key] = structuredClone(patch[key]);
    }
    // Without allowed_mentions, Discord re-parses the edited text with its defaults.
    if (!('allowed_mentions' in patch)) delete next.allowed_mentions;
    if (isEmptyMessage(next)) return errors.emptyMessage();

    m.body = next;
    m.edits++;
    m.editedAt = c.now;
    return json(200, apiMessage(m, c.hook));
  }
}

/** The post's tags as sent (their shape is the spec check's to judge). */
const tagsOf = (body: Record<string, unknown>): string[] =>
  Array.isArray(body.applied_tags) ? body.applied_tags.filter((t): t is string => typeof t === 'string') : [];
