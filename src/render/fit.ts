import { distinctEmbedUrls } from '../discord/distinct-urls.js';
import { LIMITS } from '../discord/limits.js';
import {
  allowedMentionsSchema,
  discordLength,
  discordMessageSchema,
  embedLength,
  embedSchema,
  type AllowedMentions,
  type DiscordMessage,
  type Embed,
  type EmbedField,
} from '../discord/message.js';
import type { ComponentDraft } from './component-draft.js';
import { fitComponents } from './fit-components.js';
import { packLines } from './pack-lines.js';
import { hasLoneSurrogate, toWellFormed, truncate } from './truncate.js';

/** An embed as a template rendered it: nothing is checked yet. */
export interface EmbedDraft {
  title?: string;
  description?: string;
  url?: string;
  timestamp?: string;
  color?: number;
  footer?: { text?: string; icon_url?: string };
  author?: { name?: string; url?: string; icon_url?: string };
  thumbnail?: { url?: string };
  image?: { url?: string };
  fields?: readonly { name?: string; value?: string; inline?: boolean }[];
  /** A digest: lines packed into as many embeds as they need; `description` is then their header. */
  lines?: readonly string[];
}

export interface MessageDraft {
  /** Goes on the first message only. */
  content?: string;
  username?: string;
  avatar_url?: string;
  /** Any number, any sizes. */
  embeds: readonly EmbedDraft[];
  /** A Components V2 message instead of embeds: fitted by fit-components.ts. */
  componentDrafts?: readonly ComponentDraft[];
  /** Copied to every message. */
  allowed_mentions: AllowedMentions;
  flags?: number;
  /** First message only: later messages of a forum post go into the thread. */
  thread_name?: string;
  applied_tags?: readonly string[];
  /** Shown as a trailing embed, e.g. "3 more alerts not shown by Alertmanager". */
  notice?: string;
}

export interface FitCut {
  /** Where in the draft, e.g. "embeds[3].fields[2].value", or "messages" for a split. */
  path: string;
  /** Which rule forced the cut, e.g. "field.value 1024"; a fixed string per rule. */
  limit: string;
  action: 'truncated' | 'dropped' | 'replaced' | 'split';
  /** For 'split': how many messages; for the field cap: how many fields are not shown. */
  count?: number;
}

export interface FitResult {
  messages: DiscordMessage[];
  cuts: FitCut[];
}

export const EMPTY_NOTIFICATION = '(empty notification)';
export const EMPTY_EMBED = '(empty embed)';
/** Stands in for an empty field name or value: Discord requires both and rejects blanks. */
export const EMPTY_FIELD = '-';
export const MORE_FIELDS_NAME = '…';
export const moreFieldsText = (n: number): string => `${n} more ${n === 1 ? 'field' : 'fields'} not shown`;

const L = {
  title: `title ${LIMITS.title}`,
  description: `description ${LIMITS.description}`,
  fieldName: `field.name ${LIMITS.fieldName}`,
  fieldValue: `field.value ${LIMITS.fieldValue}`,
  footerText: `footer.text ${LIMITS.footerText}`,
  authorName: `author.name ${LIMITS.authorName}`,
  content: `content ${LIMITS.content}`,
  threadName: `thread_name ${LIMITS.threadName}`,
  fields: `fields ${LIMITS.fieldsPerEmbed}`,
  embedTotal: `embed total ${LIMITS.embedTotal}`,
  split: `embeds ${LIMITS.embedsPerMessage} / total ${LIMITS.embedTotal} per message`,
  appliedTags: `applied_tags ${LIMITS.appliedTags}`,
  url: 'http(s) url',
  distinctUrl: 'url distinct per message',
  timestamp: 'ISO 8601 timestamp',
  color: 'color 0..0xFFFFFF',
  username: `username 1-${LIMITS.username}, not discord/clyde/everyone/here`,
  flags: 'flags integer',
  allowedMentions: 'allowed_mentions',
  required: 'non-empty',
  embedNotEmpty: 'embed not empty',
  messageNotEmpty: 'message not empty',
  wellFormed: 'well-formed text',
} as const;

// The schema's own element checks, so what passes here passes there.
const urlSchema = embedSchema.shape.url.unwrap();
const timestampSchema = embedSchema.shape.timestamp.unwrap();
const usernameSchema = discordMessageSchema.shape.username.unwrap();
const SNOWFLAKE = /^\d{1,20}$/;
const MENTION_TYPES: ReadonlySet<string> = new Set(['roles', 'users', 'everyone']);

type Cuts = FitCut[];

const isBlank = (s: string | undefined): boolean => discordLength(s) === 0;

/** Strings as they enter: non-strings count as absent, unpaired surrogates are replaced. */
function clean(s: unknown, path: string, cuts: Cuts): string | undefined {
  if (typeof s !== 'string') return undefined;
  if (!hasLoneSurrogate(s)) return s;
  cuts.push({ path, limit: L.wellFormed, action: 'replaced' });
  return toWellFormed(s);
}

/**
 * An optional text: cut to `max`, otherwise kept as given (blank included: it is valid).
 * Cut before cleaning, so a huge text is scanned only as far as it is kept; cleaning keeps
 * the length.
 */
function optionalText(s: unknown, max: number, path: string, limit: string, cuts: Cuts): string | undefined {
  if (typeof s !== 'string') return undefined;
  const t = truncate(s, max);
  if (t !== s) cuts.push({ path, limit, action: 'truncated' });
  return clean(t, path, cuts);
}

/** A text Discord requires: blank becomes EMPTY_FIELD. */
function requiredText(s: unknown, max: number, path: string, limit: string, cuts: Cuts): string {
  if (typeof s !== 'string' || isBlank(s)) {
    cuts.push({ path, limit: L.required, action: 'replaced' });
    return EMPTY_FIELD;
  }
  return optionalText(s, max, path, limit, cuts) ?? EMPTY_FIELD;
}

/** A URL kept only when valid; `undefined` when absent or dropped. A missing `required` one is reported. */
function url(s: unknown, path: string, cuts: Cuts, required = false): string | undefined {
  if (s === undefined && !required) return undefined;
  const c = clean(s, path, cuts);
  if (c !== undefined && urlSchema.safeParse(c).success) return c;
  cuts.push({ path, limit: L.url, action: 'dropped' });
  return undefined;
}

function hasVisibleContent(e: Embed): boolean {
  return (
    !isBlank(e.title) ||
    !isBlank(e.description) ||
    (e.fields?.length ?? 0) > 0 ||
    e.author !== undefined ||
    e.footer !== undefined ||
    e.image !== undefined ||
    e.thumbnail !== undefined
  );
}

interface Fitted {
  embed: Embed;
  length: number;
  /** Where the embed came from in the draft, for cuts made after packing. */
  path: string;
}

/** One embed made valid on its own, its total within LIMITS.embedTotal. */
function fitEmbed(d: EmbedDraft, p: string, cuts: Cuts): Fitted {
  const e: Embed = {};

  const title = optionalText(d.title, LIMITS.title, `${p}.title`, L.title, cuts);
  if (title !== undefined) e.title = title;
  const description = optionalText(d.description, LIMITS.description, `${p}.description`, L.description, cuts);
  if (description !== undefined) e.description = description;

  const embedUrl = url(d.url, `${p}.url`, cuts);
  if (embedUrl !== undefined) e.url = embedUrl;

  if (d.timestamp !== undefined) {
    const ts = clean(d.timestamp, `${p}.timestamp`, cuts);
    if (ts !== undefined && timestampSchema.safeParse(ts).success) e.timestamp = ts;
    else cuts.push({ path: `${p}.timestamp`, limit: L.timestamp, action: 'dropped' });
  }

  if (d.color !== undefined) {
    const c = d.color;
    if (Number.isInteger(c) && c >= 0 && c <= LIMITS.maxColor) e.color = c;
    else cuts.push({ path: `${p}.color`, limit: L.color, action: 'dropped' });
  }

  if (d.footer !== undefined) {
    const text = d.footer.text;
    if (typeof text !== 'string' || isBlank(text)) {
      // A footer without text is invalid, and an icon alone says nothing.
      cuts.push({ path: `${p}.footer`, limit: L.required, action: 'dropped' });
    } else {
      const footer: NonNullable<Embed['footer']> = {
        text: optionalText(text, LIMITS.footerText, `${p}.footer.text`, L.footerText, cuts) ?? text,
      };
      const icon = url(d.footer.icon_url, `${p}.footer.icon_url`, cuts);
      if (icon !== undefined) footer.icon_url = icon;
      e.footer = footer;
    }
  }

  if (d.author !== undefined) {
    const name = d.author.name;
    if (typeof name !== 'string' || isBlank(name)) {
      cuts.push({ path: `${p}.author`, limit: L.required, action: 'dropped' });
    } else {
      const author: NonNullable<Embed['author']> = {
        name: optionalText(name, LIMITS.authorName, `${p}.author.name`, L.authorName, cuts) ?? name,
      };
      const authorUrl = url(d.author.url, `${p}.author.url`, cuts);
      if (authorUrl !== undefined) author.url = authorUrl;
      const icon = url(d.author.icon_url, `${p}.author.icon_url`, cuts);
      if (icon !== undefined) author.icon_url = icon;
      e.author = author;
    }
  }

  for (const key of ['thumbnail', 'image'] as const) {
    const media = d[key];
    if (media === undefined) continue;
    const mediaUrl = url(media.url, `${p}.${key}.url`, cuts, true);
    if (mediaUrl !== undefined) e[key] = { url: mediaUrl };
  }

  // Fields: beyond the cap, the last slot tells how many are hidden.
  const fields: EmbedField[] = [];
  let hidden = 0;
  if (d.fields !== undefined) {
    const all = d.fields;
    const keep = all.length > LIMITS.fieldsPerEmbed ? LIMITS.fieldsPerEmbed - 1 : all.length;
    hidden = all.length - keep;
    if (hidden > 0) cuts.push({ path: `${p}.fields`, limit: L.fields, action: 'dropped', count: hidden });
    for (let j = 0; j < keep; j++) {
      const f = all[j];
      const fp = `${p}.fields[${j}]`;
      const field: EmbedField = {
        name: requiredText(f?.name, LIMITS.fieldName, `${fp}.name`, L.fieldName, cuts),
        value: requiredText(f?.value, LIMITS.fieldValue, `${fp}.value`, L.fieldValue, cuts),
      };
      if (typeof f?.inline === 'boolean') field.inline = f.inline;
      fields.push(field);
    }
  }

  hidden = shrinkToTotal(e, fields, hidden, p, cuts);

  if (d.fields !== undefined) {
    if (hidden > 0) fields.push({ name: MORE_FIELDS_NAME, value: moreFieldsText(hidden) });
    e.fields = fields;
  }

  if (!hasVisibleContent(e)) {
    // Discord answers 400 to an embed with nothing to show; a placeholder keeps the count.
    cuts.push({ path: p, limit: L.embedNotEmpty, action: 'replaced' });
    e.description = EMPTY_EMBED;
  }

  return { embed: e, length: embedLength(e), path: p };
}

const markerLength = (hidden: number): number =>
  hidden > 0 ? MORE_FIELDS_NAME.length + moreFieldsText(hidden).length : 0;

/**
 * Brings one embed (its `fields` still apart, plus the marker for `hidden` fields) within the
 * per-message total: description first, then field values from the last, then whole fields
 * from the last, then the title. Returns the new number of hidden fields.
 */
function shrinkToTotal(e: Embed, fields: EmbedField[], hidden: number, p: string, cuts: Cuts): number {
  let total = embedLength(e) + markerLength(hidden);
  for (const f of fields) total += discordLength(f.name) + discordLength(f.value);
  let excess = total - LIMITS.embedTotal;
  if (excess <= 0) return hidden;

  // Cuts an optional text to what fits, or drops it when nothing would.
  const shrinkOptional = (key: 'description' | 'title'): void => {
    const s = e[key];
    const len = discordLength(s);
    if (excess <= 0 || s === undefined || len === 0) return;
    const path = `${p}.${key}`;
    if (len - excess >= 1) {
      const t = truncate(s, len - excess);
      e[key] = t;
      excess -= len - discordLength(t);
      cuts.push({ path, limit: L.embedTotal, action: 'truncated' });
    } else {
      delete e[key];
      excess -= len;
      cuts.push({ path, limit: L.embedTotal, action: 'dropped' });
    }
  };

  shrinkOptional('description');

  for (let j = fields.length - 1; j >= 0 && excess > 0; j--) {
    const f = fields[j];
    const len = discordLength(f?.value);
    if (f === undefined || len <= 1) continue;
    // A value is required: the shortest is the ellipsis alone.
    const v = truncate(f.value, Math.max(1, len - excess));
    excess -= len - discordLength(v);
    f.value = v;
    cuts.push({ path: `${p}.fields[${j}].value`, limit: L.embedTotal, action: 'truncated' });
  }

  while (excess > 0 && fields.length > 0) {
    const f = fields.pop();
    if (f === undefined) break;
    const before = markerLength(hidden);
    hidden += 1;
    excess -= discordLength(f.name) + discordLength(f.value) - (markerLength(hidden) - before);
    cuts.push({ path: `${p}.fields[${fields.length}]`, limit: L.embedTotal, action: 'dropped' });
  }

  // Without description and fields, title + footer + author stay far below the total, so the
  // steps below do not run for any input within the per-field limits; they keep the bound total.
  shrinkOptional('title');
  if (excess > 0 && e.footer !== undefined) {
    excess -= discordLength(e.footer.text);
    delete e.footer;
    cuts.push({ path: `${p}.footer`, limit: L.embedTotal, action: 'dropped' });
  }
  if (excess > 0 && e.author !== undefined) {
    delete e.author;
    cuts.push({ path: `${p}.author`, limit: L.embedTotal, action: 'dropped' });
  }
  return hidden;
}

function fitAllowedMentions(am: AllowedMentions, cuts: Cuts): AllowedMentions {
  if (allowedMentionsSchema.safeParse(am).success) return am;
  cuts.push({ path: 'allowed_mentions', limit: L.allowedMentions, action: 'replaced' });
  // Every repair narrows who can be pinged, never widens it: alert text is untrusted.
  const isId = (id: unknown): id is string => typeof id === 'string' && SNOWFLAKE.test(id);
  const ids = (list: unknown): string[] | undefined =>
    Array.isArray(list) ? list.filter(isId).slice(0, LIMITS.allowedMentionIds) : undefined;
  const raw = am as Partial<Record<keyof AllowedMentions, unknown>> | null | undefined;
  const roles = ids(raw?.roles);
  const users = ids(raw?.users);
  const parse = [
    ...new Set(Array.isArray(raw?.parse) ? raw.parse.filter((t): t is string => MENTION_TYPES.has(t as string)) : []),
  ].filter((t) => !(t === 'roles' && roles !== undefined) && !(t === 'users' && users !== undefined));
  const out: AllowedMentions = { parse: parse as AllowedMentions['parse'] };
  if (roles !== undefined) out.roles = roles;
  if (users !== undefined) out.users = users;
  return out;
}

/** A fresh copy per message, so no two messages share mutable state. */
function copyMentions(am: AllowedMentions): AllowedMentions {
  const out: AllowedMentions = { ...am, parse: [...am.parse] };
  if (am.roles !== undefined) out.roles = [...am.roles];
  if (am.users !== undefined) out.users = [...am.users];
  return out;
}

/**
 * Turns a rendered draft into messages Discord accepts: every text within its limit, invalid
 * values dropped or replaced, embeds packed in order into as many messages as needed. Every
 * change is listed in `cuts`; a draft that is already a valid message comes back unchanged.
 */
export function fitMessage(draft: MessageDraft): FitResult {
  if (draft.componentDrafts !== undefined) return fitComponents(draft);
  const cuts: Cuts = [];

  const fitted = draft.embeds.flatMap((d, i) => {
    const path = `embeds[${i}]`;
    const pages = packLines(d ?? {}, path, cuts);
    return pages.map((page, k) => fitEmbed(page, pages.length > 1 ? `${path}.pages[${k}]` : path, cuts));
  });

  if (draft.notice !== undefined) {
    const notice = optionalText(draft.notice, LIMITS.description, 'notice', L.description, cuts);
    if (notice === undefined || isBlank(notice)) {
      cuts.push({ path: 'notice', limit: L.required, action: 'dropped' });
    } else {
      fitted.push({ embed: { description: notice }, length: discordLength(notice), path: 'notice' });
    }
  }

  let content = optionalText(draft.content, LIMITS.content, 'content', L.content, cuts);
  if (fitted.length === 0 && isBlank(content)) {
    cuts.push({ path: 'content', limit: L.messageNotEmpty, action: 'replaced' });
    content = EMPTY_NOTIFICATION;
  }

  // Greedy packing keeps the order; each embed is within the total on its own, so it always fits
  // an empty message.
  const groups: Fitted[][] = [[]];
  let groupLength = 0;
  for (const f of fitted) {
    const { length } = f;
    let group = groups[groups.length - 1] ?? [];
    if (group.length >= LIMITS.embedsPerMessage || (group.length > 0 && groupLength + length > LIMITS.embedTotal)) {
      group = [];
      groups.push(group);
      groupLength = 0;
    }
    group.push(f);
    groupLength += length;
  }
  if (groups.length > 1) cuts.push({ path: 'messages', limit: L.split, action: 'split', count: groups.length });
  // Urls are distinct per message, so only once the messages are known.
  const embedsOf = groups.map((group) => {
    const { embeds, changes } = distinctEmbedUrls(group.map((f) => f.embed));
    for (const c of changes)
      cuts.push({ path: `${group[c.index]?.path ?? 'embeds'}.url`, limit: L.distinctUrl, action: c.action });
    return embeds;
  });

  let username: string | undefined;
  if (draft.username !== undefined) {
    username = clean(draft.username, 'username', cuts);
    if (username === undefined || !usernameSchema.safeParse(username).success) {
      // Discord then shows the webhook's own name.
      cuts.push({ path: 'username', limit: L.username, action: 'dropped' });
      username = undefined;
    }
  }
  const avatarUrl = url(draft.avatar_url, 'avatar_url', cuts);

  let flags: number | undefined;
  if (draft.flags !== undefined) {
    if (Number.isSafeInteger(draft.flags)) flags = draft.flags;
    else cuts.push({ path: 'flags', limit: L.flags, action: 'dropped' });
  }

  let threadName: string | undefined;
  if (draft.thread_name !== undefined) {
    // A forum post needs a name: replacing keeps the post deliverable.
    threadName = requiredText(draft.thread_name, LIMITS.threadName, 'thread_name', L.threadName, cuts);
  }

  let appliedTags: string[] | undefined;
  if (draft.applied_tags !== undefined) {
    const tags = draft.applied_tags;
    if (tags.length > LIMITS.appliedTags) {
      cuts.push({ path: 'applied_tags', limit: L.appliedTags, action: 'truncated' });
    }
    appliedTags = tags.slice(0, LIMITS.appliedTags).flatMap((t, i) => clean(t, `applied_tags[${i}]`, cuts) ?? []);
  }

  const mentions = fitAllowedMentions(draft.allowed_mentions, cuts);

  const messages = embedsOf.map((embeds, k): DiscordMessage => {
    const m: DiscordMessage = { allowed_mentions: copyMentions(mentions) };
    if (k === 0 && content !== undefined) m.content = content;
    if (username !== undefined) m.username = username;
    if (avatarUrl !== undefined) m.avatar_url = avatarUrl;
    m.embeds = embeds;
    if (flags !== undefined) m.flags = flags;
    if (k === 0 && threadName !== undefined) m.thread_name = threadName;
    if (k === 0 && appliedTags !== undefined) m.applied_tags = appliedTags;
    return m;
  });

  return { messages, cuts };
}
