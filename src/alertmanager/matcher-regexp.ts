import { RE2JS, RE2JSSyntaxException } from 're2js';

/**
 * The regex of an `=~` / `!~` matcher, compiled as Alertmanager compiles it: Go's regexp (RE2)
 * on `^(?:value)$`. re2js is a port of Go's regexp, so the syntax and semantics are Go's
 * (ASCII `\d \s \w`, `.` excluding only "\n", `\pL`, `[[:alpha:]]`, `\Q…\E`, `(?i)` anywhere),
 * and matching runs in time linear in the label value, whatever the pattern.
 */
export type MatcherRegexp = { ok: true; test: (value: string) => boolean } | { ok: false; reason: string };

export function compileMatcherRegexp(value: string): MatcherRegexp {
  // Plain concatenation as in Alertmanager, so even `a)|(b` means what it means there.
  const source = `^(?:${value})$`;
  const openings = groupOpenings(source);
  let re: RE2JS;
  try {
    re = compileGoNames(source, openings);
  } catch (err) {
    if (err instanceof RE2JSSyntaxException) return { ok: false, reason: describe(err, source) };
    throw err;
  }
  // Go before 1.22 (Alertmanager 0.25 and older) refuses `(?<name>…)`, which re2js accepts.
  if (openings.some((i) => source.startsWith('(?<', i)))
    return { ok: false, reason: 'invalid or unsupported Perl syntax: `(?<` (a named group is written (?P<name>…))' };
  // `test` searches, as Go's MatchString does; the anchors are in the pattern.
  return { ok: true, test: (v) => re.test(v) };
}

/**
 * Go allows one name on several groups, re2js refuses it. Names do not change what matches,
 * so a pattern refused only for that is compiled again with its groups unnamed.
 */
function compileGoNames(source: string, openings: number[]): RE2JS {
  try {
    return RE2JS.compile(source);
  } catch (err) {
    if (!(err instanceof RE2JSSyntaxException) || err.getDescription() !== 'duplicate capture group name') throw err;
    const named = /\(\?P<\w+>/y;
    let unnamed = '';
    let from = 0;
    for (const i of openings) {
      named.lastIndex = i;
      const name = named.exec(source);
      if (!name) continue;
      unnamed += `${source.slice(from, i)}(`;
      from = i + name[0].length;
    }
    return RE2JS.compile(unnamed + source.slice(from));
  }
}

/** Offsets of the `(` that open groups: not escaped, not quoted by `\Q…\E`, not in a class. */
function groupOpenings(p: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '\\') {
      if (p[i + 1] !== 'Q') i++;
      else {
        const end = p.indexOf('\\E', i + 2);
        i = end === -1 ? p.length : end + 1;
      }
    } else if (p[i] === '[') i = classEnd(p, i);
    else if (p[i] === '(') out.push(i);
  }
  return out;
}

/** The `]` closing the class opened at `start`, read as Go's parseClass reads it. */
function classEnd(p: string, start: number): number {
  let i = start + 1;
  if (p[i] === '^') i++;
  for (let first = true; i < p.length; i++, first = false) {
    if (p[i] === ']' && !first) return i;
    if (p[i] === '\\') i++;
    else if (p.startsWith('[:', i)) {
      // Go takes `[:` up to the next `:]` as a POSIX class name (refused if unknown).
      const end = p.indexOf(':]', i + 2);
      if (end !== -1) i = end + 1;
    }
  }
  return p.length;
}

/** re2js's reason, with the offending part of the pattern unless that is all of it. */
function describe(err: RE2JSSyntaxException, source: string): string {
  let fragment = err.getPattern() ?? '';
  if (fragment === source) return err.getDescription();
  // A fragment that runs to the end of the pattern carries the anchor we added.
  if (fragment.endsWith(')$') && source.endsWith(fragment)) fragment = fragment.slice(0, -2);
  return fragment === '' ? err.getDescription() : `${err.getDescription()}: \`${fragment}\``;
}
