import { isLineTerminator, isSpace, isUnprintable } from './char-classes.js';
import { ELLIPSIS } from './truncate.js';

/**
 * What a cut keeps beyond the capacity: the escaper decides at most 9 characters ahead
 * (`@everyone`), and the fit step must still see that the text is too long.
 */
const MARGIN = 16;

/**
 * Cuts an untrusted value to what a field of `capacity` characters can show, before it is
 * escaped or formatted: a 1 MB annotation costs no more than the 4096 characters a
 * description holds. The fit step still truncates exactly, and sees the same first
 * `capacity` characters it would have seen in the whole value, wherever the value stands in
 * its text, because the cut keeps
 * - enough of a leading run of whitespace and unprintable characters (trimmed away when the
 *   value opens its text, counted when text precedes it), and the escaper's line-start state
 *   at its end;
 * - then `capacity + MARGIN` characters that count (unprintable ones are removed later, so a
 *   run of one is kept as one: the escaper reads one as it reads many), and a non-blank end
 *   when more text followed, so trimming cannot make the cut text look short enough.
 * Linear in the part it scans.
 */
export function cutToCapacity(s: string, capacity: number): string {
  const need = capacity + MARGIN;
  if (s.length <= need) return s;
  const parts: string[] = [];
  let from = 0;
  const drop = (at: number) => {
    if (from < at) parts.push(s.slice(from, at));
    from = at + 1;
  };
  const repeatsUnprintable = (at: number, c: number) => isUnprintable(c) && c === s.charCodeAt(at - 1);

  let i = 0;
  let counted = 0;
  let lineStart = true;
  let lineStartAtCut: boolean | undefined;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const unprintable = isUnprintable(c);
    const space = isSpace(c);
    if (!space && !unprintable) break;
    if (lineStartAtCut === undefined && counted >= need) lineStartAtCut = lineStart;
    if (lineStartAtCut !== undefined || repeatsUnprintable(i, c)) drop(i);
    if (space && !unprintable) counted += 1;
    if (isLineTerminator(c)) lineStart = true;
    else if (!space) lineStart = false;
  }
  // A newline restores "at a line start", an unprintable character (removed later) clears it.
  if (lineStartAtCut !== undefined && lineStart !== lineStartAtCut) parts.push(lineStart ? '\n' : '\u0000');

  counted = 0;
  for (; i < s.length && counted < need; i++) {
    const c = s.charCodeAt(i);
    if (!isUnprintable(c)) counted += 1;
    else if (repeatsUnprintable(i, c)) drop(i);
  }
  if (from === 0 && i >= s.length) return s;
  if (from < i) parts.push(s.slice(from, i));
  let rest = i;
  while (rest < s.length && (isSpace(s.charCodeAt(rest)) || isUnprintable(s.charCodeAt(rest)))) rest++;
  if (rest < s.length) parts.push(ELLIPSIS);
  return parts.join('');
}
