import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { hasLoneSurrogate, toWellFormed, truncate } from '../../../src/render/truncate.js';

const EMOJI = '😀'; // one code point, two UTF-16 units

describe('truncate', () => {
  it.each([
    ['fits: unchanged', 'hello', 5, 'hello'],
    ['fits after trimming: unchanged, whitespace kept', '  hello  ', 5, '  hello  '],
    ['empty', '', 3, ''],
    ['whitespace only fits as empty', '   ', 0, '   '],
    ['one over', 'abcdef', 5, 'abcd…'],
    ['trims before cutting', '   abcdefgh   ', 5, 'abcd…'],
    ['no whitespace before the ellipsis', 'ab   cdefgh', 5, 'ab…'],
    ['max 1 is the ellipsis alone', 'abc', 1, '…'],
    ['max 0 leaves nothing', 'abc', 0, ''],
    ['pair at the boundary is dropped whole', `abc${EMOJI}def`, 5, 'abc…'],
    ['pair just before the boundary is kept', `ab${EMOJI}def`, 5, `ab${EMOJI}…`],
    ['only pairs', EMOJI.repeat(4), 4, `${EMOJI}…`],
    ['pair exactly fitting', `a${EMOJI}`, 3, `a${EMOJI}`],
  ])('%s', (_name, input, max, expected) => {
    expect(truncate(input, max)).toBe(expected);
  });

  it('never exceeds max, never splits a pair, keeps a prefix, reports the cut with "…"', () => {
    const unit = fc.oneof(
      { arbitrary: fc.string({ unit: 'grapheme-ascii', maxLength: 1 }), weight: 3 },
      { arbitrary: fc.constantFrom(EMOJI, '🇫🇷', '𝕏', ' ', '\n', '\u00a0'), weight: 2 },
    );
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 300 }), fc.integer({ min: 0, max: 320 }), (s, max) => {
        const out = truncate(s, max);
        if (s.trim().length <= max) {
          expect(out).toBe(s);
          return;
        }
        expect(out.length).toBeLessThanOrEqual(max);
        expect(out.trim().length).toBe(out.length);
        expect(hasLoneSurrogate(out)).toBe(false);
        if (max >= 1) {
          expect(out.endsWith('…')).toBe(true);
          const kept = out.slice(0, -1);
          expect(s.trim().startsWith(kept)).toBe(true);
          // Beyond the ellipsis, only a pair at the cut and trailing whitespace may cost room.
          expect(kept.length).toBeGreaterThanOrEqual(
            s
              .trim()
              .slice(0, Math.max(0, max - 2))
              .trimEnd().length,
          );
        } else {
          expect(out).toBe('');
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('toWellFormed', () => {
  it.each([
    ['paired', `a${EMOJI}b`, `a${EMOJI}b`],
    ['lone high', 'a\ud83db', 'a\ufffdb'],
    ['lone low', 'a\ude00b', 'a\ufffdb'],
    ['high at the end', 'ab\ud83d', 'ab\ufffd'],
    ['reversed pair', '\ude00\ud83d', '\ufffd\ufffd'],
  ])('%s', (_name, input, expected) => {
    expect(toWellFormed(input)).toBe(expected);
    expect(hasLoneSurrogate(expected)).toBe(false);
  });
});
