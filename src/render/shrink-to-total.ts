import { LIMITS } from '../discord/limits.js';
import { discordLength, embedLength, type Embed, type EmbedField } from '../discord/message.js';
import type { FitCut } from './fit-result.js';
import { MORE_FIELDS_NAME, moreFieldsText } from './fit-placeholders.js';
import { RULES } from './fit-rules.js';
import { truncate } from './truncate.js';

const markerLength = (hidden: number): number =>
  hidden > 0 ? MORE_FIELDS_NAME.length + moreFieldsText(hidden).length : 0;

/**
 * Brings one embed (its `fields` still apart, plus the marker for `hidden` fields) within the
 * per-message total: description first, then field values from the last, then whole fields
 * from the last, then the title. Returns the new number of hidden fields.
 */
export function shrinkToTotal(e: Embed, fields: EmbedField[], hidden: number, p: string, cuts: FitCut[]): number {
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
      cuts.push({ path, limit: RULES.embedTotal, action: 'truncated' });
    } else {
      delete e[key];
      excess -= len;
      cuts.push({ path, limit: RULES.embedTotal, action: 'dropped' });
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
    cuts.push({ path: `${p}.fields[${j}].value`, limit: RULES.embedTotal, action: 'truncated' });
  }

  while (excess > 0 && fields.length > 0) {
    const f = fields.pop();
    if (f === undefined) break;
    const before = markerLength(hidden);
    hidden += 1;
    excess -= discordLength(f.name) + discordLength(f.value) - (markerLength(hidden) - before);
    cuts.push({ path: `${p}.fields[${fields.length}]`, limit: RULES.embedTotal, action: 'dropped' });
  }

  // Without description and fields, title + footer + author stay far below the total, so the
  // steps below do not run for any input within the per-field limits; they keep the bound total.
  shrinkOptional('title');
  if (excess > 0 && e.footer !== undefined) {
    excess -= discordLength(e.footer.text);
    delete e.footer;
    cuts.push({ path: `${p}.footer`, limit: RULES.embedTotal, action: 'dropped' });
  }
  if (excess > 0 && e.author !== undefined) {
    delete e.author;
    cuts.push({ path: `${p}.author`, limit: RULES.embedTotal, action: 'dropped' });
  }
  return hidden;
}
