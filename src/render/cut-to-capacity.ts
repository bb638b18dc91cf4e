import { isLineTerminator, isSpace, isUnprintable } from './char-classes.js';
import { ELLIPSIS } from './truncate.js';

/**
 * What a cut keeps beyond the capacity: the escaper decides at most 9 characters ahead
 * (`@everyone`), and the fit step must still see that the text is too long.
 */
const MARGIN = 16;

// \s is isSpace's set; the rest is isUnprintable's. A greedy class with nothing after it
// cannot backtrack: the regex engine skips a 1 MB run of blanks in native code.
const BLANK_RUN = /[\s\u0000-\u0008\u000e-\u001f\u007f\u202a-\u202e\u2066-\u2069]*/y;
const SPACES_NOT_LINE_ENDS = /[^\S\n\r\u2028\u2029]*/y;

/** Where the run of whitespace and unprintable characters starting at `from` ends. */
function blankRunEnd(s: string, from: number): number {
  BLANK_RUN.lastIndex = from;
  BLANK_RUN.exec(s);
  return BLANK_RUN.lastIndex;
}

/**
 * "At a line start" after the blank run s[from, end), entered with `before`: a line end sets
 * it, an unprintable character clears it, spaces leave it; so the last of those decides.
 */
function lineStartAfter(s: string, from: number, end: number, before: boolean): boolean {
  const last = Math.max(...['\n', '\r', '\u2028', '\u2029'].map((t) => s.lastIndexOf(t, end - 1)));
  const after = Math.max(last + 1, from);
  SPACES_NOT_LINE_ENDS.lastIndex = after;
  SPACES_NOT_LINE_ENDS.exec(s);
  if (SPACES_NOT_LINE_ENDS.lastIndex < end) return false;
  return last >= from ? true : before;
}

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
    if (counted >= need) {
      // Past the cut, the run is dropped whole: only where it ends and the line-start
      // state it leaves matter, and both are found without a character loop.
      lineStartAtCut = lineStart;
      const end = blankRunEnd(s, i);
      lineStart = lineStartAfter(s, i, end, lineStart);
      drop(i);
      from = end;
      i = end;
      break;
    }
    if (repeatsUnprintable(i, c)) drop(i);
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
  if (blankRunEnd(s, i) < s.length) parts.push(ELLIPSIS);
  return parts.join('');
}
