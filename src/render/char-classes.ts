/** Character tests on UTF-16 code units, for scanners that must not backtrack. */

/** What a regex's ^ with the m flag counts as a line end. */
export const isLineTerminator = (c: number): boolean => c === 0x0a || c === 0x0d || c === 0x2028 || c === 0x2029;

/** The regex \s set, which String.prototype.trim also removes. */
export const isSpace = (c: number): boolean =>
  (c >= 0x09 && c <= 0x0d) ||
  c === 0x20 ||
  c === 0xa0 ||
  c === 0x1680 ||
  (c >= 0x2000 && c <= 0x200a) ||
  c === 0x2028 ||
  c === 0x2029 ||
  c === 0x202f ||
  c === 0x205f ||
  c === 0x3000 ||
  c === 0xfeff;

/**
 * Control characters (NUL, escape sequences) and bidirectional overrides have no place in a
 * chat message; overrides can even make alert text read as something else. Newlines, tabs
 * and zero-width joiners (emoji sequences) stay.
 */
export const UNPRINTABLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g;

export const isUnprintable = (c: number): boolean =>
  c <= 0x08 ||
  c === 0x0b ||
  c === 0x0c ||
  (c >= 0x0e && c <= 0x1f) ||
  c === 0x7f ||
  (c >= 0x202a && c <= 0x202e) ||
  (c >= 0x2066 && c <= 0x2069);
