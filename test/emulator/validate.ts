/**
 * Discord's checks on a webhook message body, written from the API documentation rather than
 * derived from the app's own schema: if both were generated from one source, a wrong limit in
 * the app would be wrong here too and no test would notice.
 */
import { FormErrors, type ErrorPath } from './form-errors.js';
import { isSnowflake } from './ids.js';

export const DISCORD_LIMITS = {
  content: 2000,
  usernameMin: 1,
  usernameMax: 80,
  embeds: 10,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footerText: 2048,
  authorName: 256,
  embedTotal: 6000,
  threadNameMin: 1,
  threadNameMax: 100,
  appliedTags: 5,
  mentionIds: 100,
  maxColor: 0xffffff,
} as const;

/** SUPPRESS_EMBEDS, SUPPRESS_NOTIFICATIONS, IS_COMPONENTS_V2 */
const WEBHOOK_FLAGS = (1 << 2) | (1 << 12) | (1 << 15);
const MENTION_TYPES = ['roles', 'users', 'everyone'];
/** Fields an edit may change; anything else in a PATCH body is ignored, as Discord does. */
export const EDITABLE_FIELDS = ['content', 'embeds', 'flags', 'allowed_mentions', 'components', 'attachments'] as const;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const absent = (v: unknown): v is null | undefined => v === undefined || v === null;
const trimmedLength = (s: string | undefined): number => (s === undefined ? 0 : s.trim().length);
const show = (v: unknown): string => (typeof v === 'string' ? v : (JSON.stringify(v) ?? String(v)));

const REQUIRED = ['BASE_TYPE_REQUIRED', 'This field is required'] as const;
const maxLength = (max: number) => ['BASE_TYPE_MAX_LENGTH', `Must be ${max} or fewer in length.`] as const;
const badLength = (min: number, max: number) =>
  ['BASE_TYPE_BAD_LENGTH', `Must be between ${min} and ${max} in length.`] as const;

/** A UTF-16 string with half a surrogate pair: what a careless truncation leaves behind. */
const hasLoneSurrogate = (s: string): boolean =>
  /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);

interface StringRule {
  max: number;
  min?: number;
  required?: boolean;
}

/** Checks a string field; returns it when it is a string (so its length can be totalled). */
function checkString(e: FormErrors, path: ErrorPath, v: unknown, rule: StringRule): string | undefined {
  if (absent(v)) {
    if (rule.required) e.add(path, ...REQUIRED);
    return undefined;
  }
  if (typeof v !== 'string') {
    e.add(path, 'BASE_TYPE_STRING', `Could not interpret "${show(v)}" as string.`);
    return undefined;
  }
  if (hasLoneSurrogate(v)) e.add(path, 'STRING_TYPE_INVALID_UNICODE', 'String contains an unpaired surrogate.');
  const n = trimmedLength(v);
  if (rule.required && n === 0) e.add(path, ...REQUIRED);
  else if (rule.min !== undefined && (n < rule.min || n > rule.max)) e.add(path, ...badLength(rule.min, rule.max));
  else if (n > rule.max) e.add(path, ...maxLength(rule.max));
  return v;
}

function checkList(e: FormErrors, path: ErrorPath, v: unknown, max?: number): unknown[] | undefined {
  if (absent(v)) return undefined;
  if (!Array.isArray(v)) {
    e.add(path, 'LIST_TYPE_CONVERT', 'Only iterables may be used in a ListType');
    return undefined;
  }
  if (max !== undefined && v.length > max) e.add(path, ...maxLength(max));
  return v;
}

function checkObject(e: FormErrors, path: ErrorPath, v: unknown): Obj | undefined {
  if (absent(v)) return undefined;
  if (!isObj(v)) {
    e.add(path, 'MODEL_TYPE_CONVERT', 'Only dictionaries may be used in a ModelType');
    return undefined;
  }
  return v;
}

function checkBool(e: FormErrors, path: ErrorPath, v: unknown): void {
  if (!absent(v) && typeof v !== 'boolean') e.add(path, 'BASE_TYPE_BOOLEAN', 'Must be either true or false.');
}

function checkUrl(e: FormErrors, path: ErrorPath, v: unknown, required = false): void {
  const s = checkString(e, path, v, { max: Number.MAX_SAFE_INTEGER, required });
  if (s === undefined || (required && s.trim() === '')) return;
  let url: URL;
  try {
    url = new URL(s);
  } catch {
    e.add(path, 'URL_TYPE_INVALID_URL', 'Not a well formed URL.');
    return;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    const scheme = url.protocol.replace(/:$/, '');
    e.add(
      path,
      'URL_TYPE_INVALID_SCHEME',
      `Scheme "${scheme}" is not supported. Scheme must be one of ('http', 'https').`,
    );
  } else if (url.hostname === '') e.add(path, 'URL_TYPE_INVALID_URL', 'Not a well formed URL.');
}

const ISO_8601 =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-](\d{2}):?(\d{2}))?)?$/i;

export function isIsoTimestamp(s: string): boolean {
  const m = ISO_8601.exec(s);
  if (!m) return false;
  const [y, mo, d, h = 0, mi = 0, sec = 0, oh = 0, om = 0] = m.slice(1).map((x) => (x === undefined ? 0 : Number(x)));
  const date = new Date(Date.UTC(y!, mo! - 1, d!));
  const dayOk = date.getUTCFullYear() === y && date.getUTCMonth() === mo! - 1 && date.getUTCDate() === d;
  return dayOk && h < 24 && mi < 60 && sec < 60 && oh < 24 && om < 60;
}

function checkTimestamp(e: FormErrors, path: ErrorPath, v: unknown): void {
  if (absent(v)) return;
  if (typeof v !== 'string' || !isIsoTimestamp(v)) {
    e.add(path, 'DATE_TIME_TYPE_PARSE', `Could not parse ${show(v)}. Should be ISO8601.`);
  }
}

function checkInt(e: FormErrors, path: ErrorPath, v: unknown, min: number, max: number): number | undefined {
  if (absent(v)) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v)) {
    e.add(path, 'NUMBER_TYPE_COERCE', `Value "${show(v)}" is not int.`);
    return undefined;
  }
  if (v < min) e.add(path, 'NUMBER_TYPE_MIN', `int value should be greater than or equal to ${min}.`);
  if (v > max) e.add(path, 'NUMBER_TYPE_MAX', `int value should be less than or equal to ${max}.`);
  return v;
}

function checkSnowflakes(e: FormErrors, path: ErrorPath, v: unknown, max: number): unknown[] | undefined {
  const list = checkList(e, path, v, max);
  list?.forEach((id, i) => {
    if (!isSnowflake(id)) e.add([...path, i], 'NUMBER_TYPE_COERCE', `Value "${show(id)}" is not snowflake.`);
  });
  return list;
}

function checkUsername(e: FormErrors, v: unknown): void {
  const s = checkString(e, ['username'], v, { min: DISCORD_LIMITS.usernameMin, max: DISCORD_LIMITS.usernameMax });
  if (s === undefined) return;
  for (const word of ['discord', 'clyde']) {
    if (s.toLowerCase().includes(word)) {
      e.add(['username'], 'USERNAME_INVALID_CONTAINS', `Username cannot contain "${word}"`);
    }
  }
  if (/^(everyone|here)$/i.test(s.trim()))
    e.add(['username'], 'USERNAME_INVALID', 'Username is not allowed: "everyone" and "here" are reserved.');
}

/** Returns the embed's contribution to the 6000-character total. */
function checkEmbed(e: FormErrors, p: ErrorPath, v: unknown): number {
  const embed = checkObject(e, p, v);
  if (!embed) {
    if (absent(v)) e.add(p, ...REQUIRED);
    return 0;
  }
  const L = DISCORD_LIMITS;
  const title = checkString(e, [...p, 'title'], embed.title, { max: L.title });
  const description = checkString(e, [...p, 'description'], embed.description, { max: L.description });
  let total = trimmedLength(title) + trimmedLength(description);
  checkUrl(e, [...p, 'url'], embed.url);
  checkTimestamp(e, [...p, 'timestamp'], embed.timestamp);
  checkInt(e, [...p, 'color'], embed.color, 0, L.maxColor);

  const footer = checkObject(e, [...p, 'footer'], embed.footer);
  if (footer) {
    total += trimmedLength(
      checkString(e, [...p, 'footer', 'text'], footer.text, { max: L.footerText, required: true }),
    );
    checkUrl(e, [...p, 'footer', 'icon_url'], footer.icon_url);
  }
  const author = checkObject(e, [...p, 'author'], embed.author);
  if (author) {
    total += trimmedLength(
      checkString(e, [...p, 'author', 'name'], author.name, { max: L.authorName, required: true }),
    );
    checkUrl(e, [...p, 'author', 'url'], author.url);
    checkUrl(e, [...p, 'author', 'icon_url'], author.icon_url);
  }
  for (const key of ['image', 'thumbnail'] as const) {
    const media = checkObject(e, [...p, key], embed[key]);
    if (media) checkUrl(e, [...p, key, 'url'], media.url, true);
  }
  const fields = checkList(e, [...p, 'fields'], embed.fields, L.fields) ?? [];
  fields.forEach((f, i) => {
    const fp = [...p, 'fields', i];
    const field = checkObject(e, fp, f);
    if (!field) {
      if (absent(f)) e.add(fp, ...REQUIRED);
      return;
    }
    total += trimmedLength(checkString(e, [...fp, 'name'], field.name, { max: L.fieldName, required: true }));
    total += trimmedLength(checkString(e, [...fp, 'value'], field.value, { max: L.fieldValue, required: true }));
    checkBool(e, [...fp, 'inline'], field.inline);
  });

  if (!embedHasContent(embed)) e.add([...p, 'description'], ...REQUIRED);
  return total;
}

/** An embed needs something visible; colour, url or timestamp alone is an empty embed. */
function embedHasContent(embed: Obj): boolean {
  const text = (v: unknown) => typeof v === 'string' && v.trim() !== '';
  const sub = (v: unknown, key: string) => isObj(v) && text(v[key]);
  return (
    text(embed.title) ||
    text(embed.description) ||
    (Array.isArray(embed.fields) && embed.fields.length > 0) ||
    sub(embed.author, 'name') ||
    sub(embed.footer, 'text') ||
    sub(embed.image, 'url') ||
    sub(embed.thumbnail, 'url')
  );
}

function checkEmbeds(e: FormErrors, v: unknown): void {
  const embeds = checkList(e, ['embeds'], v, DISCORD_LIMITS.embeds);
  if (!embeds) return;
  const total = embeds.reduce<number>((sum, embed, i) => sum + checkEmbed(e, ['embeds', i], embed), 0);
  if (total > DISCORD_LIMITS.embedTotal) {
    e.add(['embeds'], 'MAX_EMBED_SIZE_EXCEEDED', `Embed size exceeds maximum size of ${DISCORD_LIMITS.embedTotal}`);
  }
}

function checkAllowedMentions(e: FormErrors, v: unknown): void {
  const p = ['allowed_mentions'];
  const am = checkObject(e, p, v);
  if (!am) return;
  const parse = checkList(e, [...p, 'parse'], am.parse) ?? [];
  parse.forEach((t, i) => {
    if (typeof t !== 'string' || !MENTION_TYPES.includes(t)) {
      e.add([...p, 'parse', i], 'BASE_TYPE_CHOICES', "Value must be one of {'roles', 'users', 'everyone'}.");
    }
  });
  for (const type of ['roles', 'users'] as const) {
    const ids = checkSnowflakes(e, [...p, type], am[type], DISCORD_LIMITS.mentionIds);
    if (ids && parse.includes(type)) {
      e.add(
        p,
        'MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE',
        `parse:["${type}"] and ${type}: [ids...] are mutually exclusive.`,
      );
    }
  }
  checkBool(e, [...p, 'replied_user'], am.replied_user);
}

function checkFlags(e: FormErrors, v: unknown): void {
  const flags = checkInt(e, ['flags'], v, 0, Number.MAX_SAFE_INTEGER);
  if (flags !== undefined && (flags > WEBHOOK_FLAGS || (flags & ~WEBHOOK_FLAGS) !== 0)) {
    e.add(
      ['flags'],
      'MESSAGE_FLAGS_INVALID',
      'Only SUPPRESS_EMBEDS, SUPPRESS_NOTIFICATIONS and IS_COMPONENTS_V2 may be set.',
    );
  }
}

export type BodyMode = 'create' | 'edit';

/** Adds every violation of `body` to `e` (an execute body, or the editable part of a PATCH). */
export function validateMessageBody(body: unknown, mode: BodyMode, e: FormErrors = new FormErrors()): FormErrors {
  if (!isObj(body)) {
    e.add([], 'DICT_TYPE_CONVERT', 'Only dictionaries may be used in a DictType');
    return e;
  }
  checkString(e, ['content'], body.content, { max: DISCORD_LIMITS.content });
  checkEmbeds(e, body.embeds);
  checkAllowedMentions(e, body.allowed_mentions);
  checkFlags(e, body.flags);
  checkList(e, ['components'], body.components);
  checkList(e, ['attachments'], body.attachments);
  if (mode === 'create') {
    checkUsername(e, body.username);
    checkUrl(e, ['avatar_url'], body.avatar_url);
    checkBool(e, ['tts'], body.tts);
    checkString(e, ['thread_name'], body.thread_name, {
      min: DISCORD_LIMITS.threadNameMin,
      max: DISCORD_LIMITS.threadNameMax,
    });
    checkSnowflakes(e, ['applied_tags'], body.applied_tags, DISCORD_LIMITS.appliedTags);
  }
  return e;
}

/** Nothing to show: Discord answers 50006 rather than a form error. */
export function isEmptyMessage(body: Obj): boolean {
  const content = typeof body.content === 'string' ? body.content.trim() : '';
  const nonEmptyList = (v: unknown) => Array.isArray(v) && v.length > 0;
  return content === '' && !nonEmptyList(body.embeds) && !nonEmptyList(body.components) && absent(body.poll);
}

export interface ApiErrorBody {
  message: string;
  code: number;
}

/** Forum channels take a post (thread_name) or a reply (thread_id); other channels no new posts. */
export function forumViolation(forum: boolean, threadName: boolean, threadId: boolean): ApiErrorBody | undefined {
  if (forum && !threadName && !threadId) {
    return { code: 220001, message: 'Webhooks posted to forum channels must have a thread_name or thread_id' };
  }
  if (forum && threadName && threadId) {
    return { code: 220002, message: 'Webhooks posted to forum channels cannot have both a thread_name and thread_id' };
  }
  if (!forum && threadName) return { code: 220003, message: 'Webhooks can only create threads in forum channels' };
  return undefined;
}

export { isObj };
