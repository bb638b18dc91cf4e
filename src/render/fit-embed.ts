import { LIMITS } from '../discord/limits.js';
import { embedLength, embedSchema, showsSomething, type Embed, type EmbedField } from '../discord/message.js';
import type { EmbedDraft } from './message-draft.js';
import type { FitCut } from './fit-result.js';
import { EMPTY_EMBED, MORE_FIELDS_NAME, moreFieldsText } from './fit-placeholders.js';
import { RULES } from './fit-rules.js';
import { clean, isBlank, optionalText, requiredText, url } from './fit-text.js';
import { shrinkToTotal } from './shrink-to-total.js';

// The schema's own check, so what passes here passes there.
const timestampSchema = embedSchema.shape.timestamp.unwrap();

/** An embed made valid on its own, ready to be packed into a message. */
export interface FittedEmbed {
  embed: Embed;
  length: number;
  /** Where the embed came from in the draft, for cuts made after packing. */
  path: string;
}

/** One embed made valid on its own, its total within LIMITS.embedTotal. */
export function fitEmbed(d: EmbedDraft, p: string, cuts: FitCut[]): FittedEmbed {
  const e: Embed = {};

  const title = optionalText(d.title, LIMITS.title, `${p}.title`, RULES.title, cuts);
  if (title !== undefined) e.title = title;
  const description = optionalText(d.description, LIMITS.description, `${p}.description`, RULES.description, cuts);
  if (description !== undefined) e.description = description;

  const embedUrl = url(d.url, `${p}.url`, cuts);
  if (embedUrl !== undefined) e.url = embedUrl;

  if (d.timestamp !== undefined) {
    const ts = clean(d.timestamp, `${p}.timestamp`, cuts);
    if (ts !== undefined && timestampSchema.safeParse(ts).success) e.timestamp = ts;
    else cuts.push({ path: `${p}.timestamp`, limit: RULES.timestamp, action: 'dropped' });
  }

  if (d.color !== undefined) {
    const c = d.color;
    if (Number.isInteger(c) && c >= 0 && c <= LIMITS.maxColor) e.color = c;
    else cuts.push({ path: `${p}.color`, limit: RULES.color, action: 'dropped' });
  }

  const footerText = { key: 'text', max: LIMITS.footerText, limit: RULES.footerText } as const;
  const footer = fitByline(d.footer, `${p}.footer`, footerText, ['icon_url'], cuts);
  if (footer !== undefined) e.footer = footer;
  const authorName = { key: 'name', max: LIMITS.authorName, limit: RULES.authorName } as const;
  const author = fitByline(d.author, `${p}.author`, authorName, ['url', 'icon_url'], cuts);
  if (author !== undefined) e.author = author;

  for (const key of ['thumbnail', 'image'] as const) {
    const media = d[key];
    if (media === undefined) continue;
    const mediaUrl = url(media.url, `${p}.${key}.url`, cuts, true);
    if (mediaUrl !== undefined) e[key] = { url: mediaUrl };
  }

  const { fields, hidden } = d.fields === undefined ? { fields: [], hidden: 0 } : fitFields(d.fields, p, cuts);
  const stillHidden = shrinkToTotal(e, fields, hidden, p, cuts);
  if (d.fields !== undefined) {
    if (stillHidden > 0) fields.push({ name: MORE_FIELDS_NAME, value: moreFieldsText(stillHidden) });
    e.fields = fields;
  }

  if (!showsSomething(e)) {
    // Discord answers 400 to an embed with nothing to show; a placeholder keeps the count.
    cuts.push({ path: p, limit: RULES.embedNotEmpty, action: 'replaced' });
    e.description = EMPTY_EMBED;
  }

  return { embed: e, length: embedLength(e), path: p };
}

/**
 * A footer or an author: kept only with its text (`footer.text`, `author.name`), which Discord
 * requires; an icon or a link alone says nothing. Its urls are kept when valid.
 */
function fitByline<T extends string, U extends string>(
  d: Partial<Record<T | U, string>> | undefined,
  path: string,
  text: { key: T; max: number; limit: string },
  urlKeys: readonly U[],
  cuts: FitCut[],
): (Record<T, string> & Partial<Record<U, string>>) | undefined {
  if (d === undefined) return undefined;
  const t = d[text.key];
  if (typeof t !== 'string' || isBlank(t)) {
    cuts.push({ path, limit: RULES.required, action: 'dropped' });
    return undefined;
  }
  const kept = optionalText(t, text.max, `${path}.${text.key}`, text.limit, cuts) ?? t;
  const links: Partial<Record<U, string>> = {};
  for (const key of urlKeys) {
    const u = url(d[key], `${path}.${key}`, cuts);
    if (u !== undefined) links[key] = u;
  }
  return { [text.key]: kept, ...links } as Record<T, string> & Partial<Record<U, string>>;
}

/** Fields within their limits; beyond the cap, the last slot is kept to tell how many are hidden. */
function fitFields(
  all: NonNullable<EmbedDraft['fields']>,
  p: string,
  cuts: FitCut[],
): { fields: EmbedField[]; hidden: number } {
  const keep = all.length > LIMITS.fieldsPerEmbed ? LIMITS.fieldsPerEmbed - 1 : all.length;
  const hidden = all.length - keep;
  if (hidden > 0) cuts.push({ path: `${p}.fields`, limit: RULES.fields, action: 'dropped', count: hidden });
  const fields: EmbedField[] = [];
  for (let j = 0; j < keep; j++) {
    const f = all[j];
    const fp = `${p}.fields[${j}]`;
    const field: EmbedField = {
      name: requiredText(f?.name, LIMITS.fieldName, `${fp}.name`, RULES.fieldName, cuts),
      value: requiredText(f?.value, LIMITS.fieldValue, `${fp}.value`, RULES.fieldValue, cuts),
    };
    if (typeof f?.inline === 'boolean') field.inline = f.inline;
    fields.push(field);
  }
  return { fields, hidden };
}
