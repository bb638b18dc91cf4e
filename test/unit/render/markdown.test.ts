import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeMarkdown } from '../../../src/render/markdown.js';

/**
 * The regex escaper the one-pass scanner replaced, kept as the reference for its output. It
 * is quadratic on newline runs (`^(\s*)` with the m flag), so it only sees short inputs here.
 */
function referenceEscape(text: string): string {
  if (!/[\\*_~|`[\]@<]|^\s*(?:>|#|-|\d+\.)/m.test(text)) return text;
  return text
    .replace(/([\\*_~|`[\]])/g, '\\$1')
    .replace(/^(\s*)(>>>|>|#{1,3} |-# |- |\* )/gm, (_, indent: string, marker: string) => `${indent}\\${marker}`)
    .replace(/^(\s*\d+)\. /gm, '$1\\. ')
    .replace(/@(everyone|here)|<(@[!&]?|#|\/)/g, (_m: string, word: string | undefined, open: string | undefined) =>
      word ? `@\u200b${word}` : `<\u200b${open}`,
    );
}

const CASES: [string, string][] = [
  ['plain text (97%) stays', 'plain text (97%) stays'],
  [
    '**bold** __under__ ~~strike~~ ||spoiler||',
    '\\*\\*bold\\*\\* \\_\\_under\\_\\_ \\~\\~strike\\~\\~ \\|\\|spoiler\\|\\|',
  ],
  ['`code` ```block```', '\\`code\\` \\`\\`\\`block\\`\\`\\`'],
  ['[x](https://evil.example) \\', '\\[x\\](https://evil.example) \\\\'],
  ['> quote\n>>> block', '\\> quote\n\\>>> block'],
  ['# h1\n## h2\n### h3\n#### not a heading', '\\# h1\n\\## h2\n\\### h3\n#### not a heading'],
  ['-# small\n- item\n* star', '\\-# small\n\\- item\n\\* star'],
  ['1. one\n  12. twelve\n3.no', '1\\. one\n  12\\. twelve\n3.no'],
  ['  \t > indented\n\n\n# after blank lines', '  \t \\> indented\n\n\n\\# after blank lines'],
  ['a > b # c - d 1. e', 'a > b # c - d 1. e'],
  ['\r\n> crlf\r# x', '\r\n\\> crlf\r\\# x'],
  ['\u2028> ls\u2029- ps', '\u2028\\> ls\u2029\\- ps'],
  ['@everyone @here @someone', '@\u200beveryone @\u200bhere @someone'],
  ['<@1> <@!2> <@&3> <#4> </cmd:5> <t:1:R>', '<\u200b@1> <\u200b@!2> <\u200b@&3> <\u200b#4> <\u200b/cmd:5> <t:1:R>'],
  ['<@everyone', '<\u200b@everyone'],
  ['> @everyone', '\\> @\u200beveryone'],
];

describe('escapeMarkdown', () => {
  it.each(CASES)('escapes %j', (input, expected) => {
    expect(escapeMarkdown(input)).toBe(expected);
    expect(referenceEscape(input)).toBe(expected);
  });

  it('gives the regex escaper’s output on any short text', () => {
    const alphabet = [
      ...'\\*_~|`[]()>#-. 0123456789@<!&/:ab\t\n\r',
      '\u2028',
      '\u00a0',
      '\u200b',
      'everyone',
      'here',
      '>>>',
      '## ',
      '-# ',
      '1. ',
      '<@',
      '\n\n  ',
    ];
    const text = fc.array(fc.constantFrom(...alphabet), { maxLength: 40 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(text, (s) => escapeMarkdown(s) === referenceEscape(s)),
      { numRuns: 5000 },
    );
  });

  // 250,000 newlines took the regex escaper about a minute; a linear pass takes milliseconds.
  // The bound only says "not quadratic", far above a loaded machine's time.
  it.each([
    ['newlines', '\n'],
    ['CRLF', '\r\n'],
    ['whitespace', ' \t '],
    ['"> " lines', '> x\n'],
    ['"1. " lines', '1. x\n'],
    ['@ + newlines', '@\n\n\n'],
    ['"<@" flood', '<@'],
    ['indented markers', '   \t>>> \n'],
  ])('escapes 250,000 characters of %s in linear time', (_, unit) => {
    const text = unit.repeat(Math.floor(250_000 / unit.length));
    const start = performance.now();
    const out = escapeMarkdown(text);
    expect(performance.now() - start).toBeLessThan(1000);
    expect(out.length).toBeGreaterThanOrEqual(text.length);
    // Same output as the reference on a slice it can handle.
    const slice = text.slice(0, 2000);
    expect(escapeMarkdown(slice)).toBe(referenceEscape(slice));
  });
});
