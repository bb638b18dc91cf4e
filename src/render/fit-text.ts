import { discordLength, embedSchema } from '../discord/message.js';
import type { FitCut } from './fit-result.js';
import { EMPTY_FIELD } from './fit-placeholders.js';
import { RULES } from './fit-rules.js';
import { hasLoneSurrogate, toWellFormed, truncate } from './truncate.js';

// The schema's own check, so what passes here passes there.
const urlSchema = embedSchema.shape.url.unwrap();

export const isBlank = (s: string | undefined): boolean => discordLength(s) === 0;

/** Strings as they enter: non-strings count as absent, unpaired surrogates are replaced. */
export function clean(s: unknown, path: string, cuts: FitCut[]): string | undefined {
  if (typeof s !== 'string') return undefined;
  if (!hasLoneSurrogate(s)) return s;
  cuts.push({ path, limit: RULES.wellFormed, action: 'replaced' });
  return toWellFormed(s);
}

/**
 * An optional text: cut to `max`, otherwise kept as given (blank included: it is valid).
 * Cut before cleaning, so a huge text is scanned only as far as it is kept; cleaning keeps
 * the length.
 */
export function optionalText(s: unknown, max: number, path: string, limit: string, cuts: FitCut[]): string | undefined {
  if (typeof s !== 'string') return undefined;
  const t = truncate(s, max);
  if (t !== s) cuts.push({ path, limit, action: 'truncated' });
  return clean(t, path, cuts);
}

/** A text Discord requires: blank becomes EMPTY_FIELD. */
export function requiredText(s: unknown, max: number, path: string, limit: string, cuts: FitCut[]): string {
  if (typeof s !== 'string' || isBlank(s)) {
    cuts.push({ path, limit: RULES.required, action: 'replaced' });
    return EMPTY_FIELD;
  }
  return optionalText(s, max, path, limit, cuts) ?? EMPTY_FIELD;
}

/** A URL kept only when valid; `undefined` when absent or dropped. A missing `required` one is reported. */
export function url(s: unknown, path: string, cuts: FitCut[], required = false): string | undefined {
  if (s === undefined && !required) return undefined;
  const c = clean(s, path, cuts);
  if (c !== undefined && urlSchema.safeParse(c).success) return c;
  cuts.push({ path, limit: RULES.url, action: 'dropped' });
  return undefined;
}
