import { z } from 'zod';
import { compileMatcherRegexp } from './matcher-regexp.js';

/**
 * Alertmanager's label matchers (`service="payment"`, `severity=~"critical|warning"`), parsed
 * as Alertmanager's pkg/labels parser does: optional braces, comma-separated matchers, commas
 * inside double quotes kept, values unescaped (`\"`, `\\`, `\n`; any other backslash is
 * literal), regexes anchored as `^(?:…)$` and read as Go reads them (matcher-regexp.ts). A
 * missing label matches as the empty string.
 */
export type MatchType = '=' | '!=' | '=~' | '!~';

export interface Matcher {
  name: string;
  type: MatchType;
  value: string;
  matches(labels: Readonly<Record<string, string>>): boolean;
  /** Alertmanager's own notation, e.g. `severity=~"critical|warning"`. */
  toString(): string;
}

export type MatcherParse = { ok: true; matchers: Matcher[] } | { ok: false; reason: string };

// Go's `\s` is ASCII only: [\t\n\f\r ].
const MATCHER = /^[\t\n\f\r ]*([a-zA-Z_:][a-zA-Z0-9_:]*)[\t\n\f\r ]*(=~|=|!=|!~)[\t\n\f\r ]*([\s\S]*?)[\t\n\f\r ]*$/;

/** Splits on commas outside double quotes; an escaped quote does not open or close a quote. */
function splitMatchers(input: string): string[] {
  let s = input.startsWith('{') ? input.slice(1) : input;
  if (s.endsWith('}')) s = s.slice(0, -1);
  const tokens: string[] = [];
  let token = '';
  let quoted = false;
  let escaped = false;
  for (const ch of s) {
    if (ch === ',' && !quoted) {
      tokens.push(token);
      token = '';
      continue;
    }
    if (ch === '"') {
      if (!escaped) quoted = !quoted;
      else escaped = false;
    } else if (ch === '\\') escaped = !escaped;
    else escaped = false;
    token += ch;
  }
  if (token.trim() !== '') tokens.push(token.trim());
  return tokens;
}

function unquote(raw: string): { ok: true; value: string } | { ok: false; reason: string } {
  let body = raw;
  let expectClosingQuote = false;
  if (body.startsWith('"')) {
    body = body.slice(1);
    expectClosingQuote = true;
  }
  let value = '';
  let escaped = false;
  const chars = [...body];
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    const last = i === chars.length - 1;
    if (escaped) {
      escaped = false;
      if (ch === 'n') value += '\n';
      else if (ch === '"' || ch === '\\') value += ch;
      else value += `\\${ch}`;
      continue;
    }
    if (ch === '\\') {
      if (!last) escaped = true;
      else value += '\\';
    } else if (ch === '"') {
      if (!expectClosingQuote || !last) return { ok: false, reason: `unescaped double quote in value ${raw}` };
      expectClosingQuote = false;
    } else value += ch;
  }
  if (expectClosingQuote) return { ok: false, reason: `missing closing double quote in value ${raw}` };
  return { ok: true, value };
}

const quote = (v: string) => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;

export function parseMatcher(input: string): { ok: true; matcher: Matcher } | { ok: false; reason: string } {
  const m = MATCHER.exec(input);
  if (!m)
    return {
      ok: false,
      reason: `bad matcher format: ${input} (expected name="value", name!="value", name=~"regex" or name!~"regex")`,
    };
  const [, name, type, raw] = m as unknown as [string, string, MatchType, string];
  const unquoted = unquote(raw);
  if (!unquoted.ok) return unquoted;
  const value = unquoted.value;
  let test: (v: string) => boolean;
  if (type === '=~' || type === '!~') {
    const re = compileMatcherRegexp(value);
    if (!re.ok) return { ok: false, reason: `invalid regular expression ${quote(value)}: ${re.reason}` };
    test = type === '=~' ? re.test : (v) => !re.test(v);
  } else test = type === '=' ? (v) => v === value : (v) => v !== value;
  return {
    ok: true,
    matcher: {
      name,
      type,
      value,
      matches: (labels) => test(labels[name] ?? ''),
      toString: () => `${name}${type}${quote(value)}`,
    },
  };
}

/** One config line: `a="1"`, or several at once as in `{a="1", b=~"2|3"}`. */
export function parseMatchers(input: string): MatcherParse {
  const matchers: Matcher[] = [];
  for (const token of splitMatchers(input)) {
    const parsed = parseMatcher(token);
    if (!parsed.ok) return parsed;
    matchers.push(parsed.matcher);
  }
  return { ok: true, matchers };
}

export const matchesAll = (matchers: readonly Matcher[], labels: Readonly<Record<string, string>>): boolean =>
  matchers.every((m) => m.matches(labels));

/** `matchers:` in the config: a list of matcher strings, compiled while the config loads. */
export const matchersSchema = z.array(z.string()).transform((lines, ctx) => {
  const out: Matcher[] = [];
  lines.forEach((line, i) => {
    const parsed = parseMatchers(line);
    if (parsed.ok) out.push(...parsed.matchers);
    else ctx.addIssue({ code: 'custom', path: [i], message: parsed.reason });
  });
  return out;
});
