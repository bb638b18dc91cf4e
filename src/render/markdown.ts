/**
 * Alert text is untrusted: escape what would change its meaning in Discord markdown, and
 * break mentions so they render as text (allowed_mentions already stops the ping; this
 * also stops the highlight). Follows discord.py's escape_markdown and escape_mentions.
 *
 * One pass over the text, no regex with anchors or nested quantifiers: line-start rules
 * written as `^\s*…` with the m flag retry at every line start of a newline run, which is
 * quadratic on a flood of newlines.
 */

import { isLineTerminator, isSpace } from './char-classes.js';

const BACKSLASH = 0x5c;
const SPACE = 0x20;
const HASH = 0x23;
const DASH = 0x2d;
const GT = 0x3e;
const DOT = 0x2e;
const AT = 0x40;
const LT = 0x3c;
const ZWSP = 0x200b;

// Brackets stop masked links [text](url); parentheses alone are harmless and stay readable.
const isInline = (c: number): boolean =>
  c === BACKSLASH || c === 0x2a || c === 0x5f || c === 0x7e || c === 0x7c || c === 0x60 || c === 0x5b || c === 0x5d;
const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
// Most alert text has none of it: one cheap scan, and the text comes back as it is.
const ANY = /[\\*_~|`[\]@<>#\-0-9]/;
// Alternatives of fixed length: linear on any input.
const MENTION = /@(everyone|here)|<(@[!&]?|#|\/)/g;

/**
 * Length of the line-start marker at `i` (`>`, `#`..`### `, `-# `, `- `), 0 for none; the
 * backslash goes in front of it. A `*` marker is already escaped as an inline character.
 */
function markerAt(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c === GT) return 1;
  if (c === HASH) {
    let k = 1;
    while (k < 4 && text.charCodeAt(i + k) === HASH) k++;
    return k <= 3 && text.charCodeAt(i + k) === SPACE ? k + 1 : 0;
  }
  if (c === DASH) {
    const n = text.charCodeAt(i + 1);
    if (n === SPACE) return 2;
    if (n === HASH && text.charCodeAt(i + 2) === SPACE) return 3;
  }
  return 0;
}

/** Length of the digits of a numbered list item at `i` ("12. "), 0 for none: the dot is escaped. */
function numberAt(text: string, i: number): number {
  let k = i;
  while (isDigit(text.charCodeAt(k))) k++;
  return k > i && text.charCodeAt(k) === DOT && text.charCodeAt(k + 1) === SPACE ? k - i : 0;
}

/** Length of a mention at `i` (`@everyone`, `@here`, `<@`, `<@!`, `<@&`, `<#`, `</`), 0 for none. */
function mentionAt(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c === AT) {
    if (text.startsWith('everyone', i + 1)) return 9;
    if (text.startsWith('here', i + 1)) return 5;
    return 0;
  }
  if (c !== LT) return 0;
  const n = text.charCodeAt(i + 1);
  if (n === AT) {
    const m = text.charCodeAt(i + 2);
    return m === 0x21 || m === 0x26 ? 3 : 2;
  }
  return n === HASH || n === 0x2f ? 2 : 0;
}

export function escapeMarkdown(text: string): string {
  if (!ANY.test(text)) return text;
  // Each character gains at most one (a backslash before it, or a zero-width space after it).
  const out = new Uint16Array(text.length * 2);
  let n = 0;
  const copy = (from: number, to: number) => {
    for (let k = from; k < to; k++) out[n++] = text.charCodeAt(k);
  };
  // True while only whitespace, with a line end among it (or the start of the text), precedes i.
  let lineStart = true;
  for (let i = 0; i < text.length;) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) {
      if (isLineTerminator(c)) lineStart = true;
      out[n++] = c;
      i++;
      continue;
    }
    if (lineStart) {
      lineStart = false;
      const marker = markerAt(text, i);
      if (marker > 0) {
        out[n++] = BACKSLASH;
        copy(i, (i += marker));
        continue;
      }
      const digits = numberAt(text, i);
      if (digits > 0) {
        copy(i, (i += digits));
        out[n++] = BACKSLASH;
        copy(i, (i += 2));
        continue;
      }
    }
    if (isInline(c)) {
      out[n++] = BACKSLASH;
      out[n++] = c;
      i++;
      continue;
    }
    const mention = mentionAt(text, i);
    if (mention > 0) {
      out[n++] = c;
      out[n++] = ZWSP;
      copy(i + 1, (i += mention));
      continue;
    }
    out[n++] = c;
    i++;
  }
  return fromCodes(out, n);
}

/** String.fromCharCode takes its arguments on the stack: in chunks. */
function fromCodes(codes: Uint16Array, length: number): string {
  const CHUNK = 8192;
  const parts: string[] = [];
  for (let k = 0; k < length; k += CHUNK) {
    parts.push(String.fromCharCode(...codes.subarray(k, Math.min(length, k + CHUNK))));
  }
  return parts.join('');
}

/** Only the mention part of the escaping: for text already escaped that moves into `content`. */
export function breakMentions(text: string): string {
  return text.replace(MENTION, (_m: string, word: string | undefined, open: string | undefined) =>
    word ? `@\u200b${word}` : `<\u200b${open}`,
  );
}

/** For code spans: backticks cannot be escaped inside them, so they are replaced. */
export function escapeCodeSpan(text: string): string {
  return text.replace(/`/g, 'ˋ');
}
