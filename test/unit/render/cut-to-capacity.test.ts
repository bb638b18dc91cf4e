import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { UNPRINTABLE } from '../../../src/render/char-classes.js';
import { cutToCapacity } from '../../../src/render/cut-to-capacity.js';
import { escapeMarkdown } from '../../../src/render/markdown.js';
import { truncate } from '../../../src/render/truncate.js';

/** What reaches Discord from a value inside a leaf: escaped, cleaned, trimmed, fitted. */
const shown = (prefix: string, value: string, suffix: string, capacity: number) =>
  truncate(`${prefix}${escapeMarkdown(value)}${suffix}`.replace(UNPRINTABLE, '').trim(), capacity);

describe('cutToCapacity', () => {
  it('leaves a value that fits as it is', () => {
    const s = 'x'.repeat(116);
    expect(cutToCapacity(s, 100)).toBe(s);
  });

  it('keeps only about what the field can show of a huge value', () => {
    for (const unit of ['\n', 'a', '@everyone ', '\u0000', ' x']) {
      expect(cutToCapacity(unit.repeat(1_000_000), 4096).length).toBeLessThan(2 * 4096 + 64);
    }
  });

  it('changes nothing Discord would show, wherever the value stands', () => {
    const piece = fc.constantFrom(
      'a',
      'b ',
      ' ',
      '\n',
      '\r\n',
      '\t',
      '\u0000',
      '\u202e',
      '@everyone',
      '<@',
      '# ',
      '> ',
      '1. ',
      '*',
      '😀',
      '\ud83d',
      '\n\n\n\n\n\n\n\n',
      '          ',
    );
    const text = (max: number) => fc.array(piece, { maxLength: max }).map((p) => p.join(''));
    fc.assert(
      fc.property(text(4), text(120), text(4), fc.integer({ min: 1, max: 40 }), (prefix, value, suffix, cap) => {
        expect(shown(prefix, cutToCapacity(value, cap), suffix, cap)).toBe(shown(prefix, value, suffix, cap));
      }),
      { numRuns: 20_000 },
    );
  });

  it.each([
    ['a leading run of newlines', '\n'.repeat(1_000_000)],
    ['text, then a run of newlines', `x${'\n'.repeat(1_000_000)}`],
    ['a leading run of spaces and tabs', ' \t'.repeat(500_000)],
  ])('reads %s only up to the cut, not character by character to its end', (_name, value) => {
    const charCodeAt = vi.spyOn(String.prototype, 'charCodeAt');
    let cut: string;
    let reads: number;
    try {
      cut = cutToCapacity(value, 100);
      reads = charCodeAt.mock.calls.length;
    } finally {
      charCodeAt.mockRestore();
    }
    expect(reads).toBeLessThan(2_000);
    expect(cut.length).toBeLessThan(200);
  });
});
