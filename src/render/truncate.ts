export const ELLIPSIS = '…';

const isHighSurrogate = (code: number): boolean => code >= 0xd800 && code <= 0xdbff;

/**
 * Cuts `s` to at most `max` UTF-16 units, the trailing "…" included. Lengths are measured
 * after trimming, as Discord measures them, so a string that fits is returned unchanged
 * (surrounding whitespace and all). A surrogate pair at the cut is dropped whole: half an
 * emoji is not valid text.
 */
export function truncate(s: string, max: number): string {
  const t = s.trim();
  if (t.length <= max) return s;
  if (max < 1) return '';
  let end = max - 1;
  if (end > 0 && isHighSurrogate(t.charCodeAt(end - 1))) end -= 1;
  // trimEnd: "word   …" would waste the budget and read badly.
  return t.slice(0, end).trimEnd() + ELLIPSIS;
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const LONE_SURROGATES = new RegExp(LONE_SURROGATE.source, 'g');

export const hasLoneSurrogate = (s: string): boolean => LONE_SURROGATE.test(s);

/** Replaces unpaired surrogates with U+FFFD: they cannot be encoded as UTF-8 for the request. */
export const toWellFormed = (s: string): string => s.replace(LONE_SURROGATES, '\ufffd');
