/**
 * Alert text is untrusted: escape what would change its meaning in Discord markdown, and
 * break mentions so they render as text (allowed_mentions already stops the ping; this
 * also stops the highlight). Follows discord.py's escape_markdown and escape_mentions.
 */
// Brackets stop masked links [text](url); parentheses alone are harmless and stay readable.
const INLINE = /([\\*_~|`[\]])/g;
const LINE_START = /^(\s*)(>>>|>|#{1,3} |-# |- |\* )/gm;
// "1. " starts a list; a backslash before the digit would show, so the dot is escaped.
const NUMBERED = /^(\s*\d+)\. /gm;
const MENTION = /@(everyone|here)|<(@[!&]?|#|\/)/g;

// Most alert text has none of it: one scan instead of four.
const ANY = /[\\*_~|`[\]@<]|^\s*(?:>|#|-|\d+\.)/m;

export function escapeMarkdown(text: string): string {
  if (!ANY.test(text)) return text;
  return text
    .replace(INLINE, '\\$1')
    .replace(LINE_START, (_, indent: string, marker: string) => `${indent}\\${marker}`)
    .replace(NUMBERED, '$1\\. ')
    .replace(MENTION, (_m: string, word: string | undefined, open: string | undefined) =>
      word ? `@\u200b${word}` : `<\u200b${open}`,
    );
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
