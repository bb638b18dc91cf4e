/**
 * Go's regexp syntax (RE2, as Alertmanager compiles label matchers) translated into an
 * equivalent JavaScript RegExp, so `=~` matches here exactly what it matches in Alertmanager.
 * The differences that matter: Go's `\s` is ASCII, `.` excludes only "\n", `\pL`, `\Q…\E`,
 * `[[:alpha:]]`, literal `{` and `]`, octal escapes; and Go has no lookaround or
 * backreferences. What JavaScript (Node 20) cannot express — flags set in the middle of a
 * pattern, `(?U)` — is refused with a clear reason instead of being matched differently.
 */
export type GoRegexpResult = { ok: true; regexp: RegExp } | { ok: false; reason: string };

type Range = [number, number];
const MAX_CODE_POINT = 0x10ffff;
const PERL_CLASSES: Record<string, Range[]> = {
  d: [[0x30, 0x39]],
  s: [
    [0x09, 0x0a],
    [0x0c, 0x0d],
    [0x20, 0x20],
  ],
  w: [
    [0x30, 0x39],
    [0x41, 0x5a],
    [0x5f, 0x5f],
    [0x61, 0x7a],
  ],
};
const r = (a: string, b = a): Range => [a.codePointAt(0)!, b.codePointAt(0)!];
const POSIX_CLASSES: Record<string, Range[]> = {
  alnum: [r('0', '9'), r('A', 'Z'), r('a', 'z')],
  alpha: [r('A', 'Z'), r('a', 'z')],
  ascii: [[0, 0x7f]],
  blank: [r('\t'), r(' ')],
  cntrl: [
    [0, 0x1f],
    [0x7f, 0x7f],
  ],
  digit: [r('0', '9')],
  graph: [r('!', '~')],
  lower: [r('a', 'z')],
  print: [r(' ', '~')],
  punct: [r('!', '/'), r(':', '@'), r('[', '`'), r('{', '~')],
  space: [r('\t', '\r'), r(' ')],
  upper: [r('A', 'Z')],
  word: [r('0', '9'), r('A', 'Z'), r('_'), r('a', 'z')],
  xdigit: [r('0', '9'), r('A', 'F'), r('a', 'f')],
};

function complement(ranges: Range[]): Range[] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const out: Range[] = [];
  let next = 0;
  for (const [lo, hi] of sorted) {
    if (lo > next) out.push([next, lo - 1]);
    next = Math.max(next, hi + 1);
  }
  if (next <= MAX_CODE_POINT) out.push([next, MAX_CODE_POINT]);
  return out;
}

const hex = (cp: number) => `\\u{${cp.toString(16)}}`;
const lit = (cp: number) => (/[A-Za-z0-9_]/.test(String.fromCodePoint(cp)) ? String.fromCodePoint(cp) : hex(cp));
const rangesSource = (ranges: Range[]) =>
  ranges.map(([lo, hi]) => (lo === hi ? hex(lo) : `${hex(lo)}-${hex(hi)}`)).join('');
const classOf = (ranges: Range[]) => `[${rangesSource(ranges)}]`;

class Unsupported extends Error {}

/** A general category (L, Lu, Nd…) or else a script name (Greek, Han…), as Go resolves `\p{…}`. */
function property(name: string, negated: boolean): string {
  let n = name;
  let neg = negated;
  if (n.startsWith('^')) {
    n = n.slice(1);
    neg = !neg;
  }
  if (!/^[A-Za-z_]+$/.test(n)) throw new Unsupported(`invalid character class range \\p{${name}}`);
  const body = /^[A-Z][a-z]?$/.test(n) || n === 'Any' ? n : `Script=${n}`;
  return `\\${neg ? 'P' : 'p'}{${body}}`;
}

/** Translates a Go pattern; `dotAll` etc. come from leading flags, handled by the caller. */
class Translator {
  i = 0;
  constructor(
    readonly src: string,
    readonly flags: { s: boolean; m: boolean },
  ) {}

  get done() {
    return this.i >= this.src.length;
  }
  peek(offset = 0): string {
    const cp = this.src.codePointAt(this.i + offset);
    return cp === undefined ? '' : String.fromCodePoint(cp);
  }
  take(): string {
    const c = this.peek();
    this.i += c.length;
    return c;
  }

  run(): string {
    let out = '';
    let canRepeat = false;
    while (!this.done) {
      const c = this.take();
      if (c === '\\') {
        out += this.escape();
        canRepeat = true;
      } else if (c === '[') {
        out += this.charClass();
        canRepeat = true;
      } else if (c === '(') {
        out += this.group();
        canRepeat = false;
      } else if (c === ')' || c === '|') {
        out += c;
        canRepeat = false;
      } else if (c === '.') {
        out += this.flags.s ? '[\\s\\S]' : '[^\\n]';
        canRepeat = true;
      } else if (c === '^') {
        out += this.flags.m ? '(?<![^\\n])' : '(?<![\\s\\S])';
        canRepeat = false;
      } else if (c === '$') {
        out += this.flags.m ? '(?![^\\n])' : '(?![\\s\\S])';
        canRepeat = false;
      } else if (c === '*' || c === '+' || c === '?') {
        if (!canRepeat) throw new Unsupported(`missing argument to repetition operator: ${c}`);
        out += c + this.lazy();
        canRepeat = false;
      } else if (c === '{') {
        const rep = /^(\d+)(,(\d*))?\}/.exec(this.src.slice(this.i));
        if (!rep) {
          out += lit(0x7b); // Go reads a `{` that starts no repetition as a literal
          canRepeat = true;
          continue;
        }
        if (!canRepeat) throw new Unsupported(`missing argument to repetition operator: {${rep[0]}`);
        const min = Number(rep[1]);
        const max = rep[3] === undefined || rep[3] === '' ? undefined : Number(rep[3]);
        if (min > 1000 || (max ?? 0) > 1000 || (max !== undefined && max < min))
          throw new Unsupported(`invalid repeat count: {${rep[0]}`);
        this.i += rep[0].length;
        out += `{${rep[1]}${rep[2] ?? ''}}${this.lazy()}`;
        canRepeat = false;
      } else {
        out += lit(c.codePointAt(0)!);
        canRepeat = true;
      }
    }
    return out;
  }

  lazy(): string {
    if (this.peek() === '?') {
      this.i += 1;
      return '?';
    }
    const next = this.src.slice(this.i);
    if (/^[*+]/.test(next) || /^\{\d+(,\d*)?\}/.test(next))
      throw new Unsupported(`invalid nested repetition operator near offset ${this.i}`);
    return '';
  }

  group(): string {
    if (this.peek() !== '?') return '(';
    const rest = this.src.slice(this.i);
    if (rest.startsWith('?:')) {
      this.i += 2;
      return '(?:';
    }
    const named = /^\?P<([A-Za-z0-9_]+)>/.exec(rest);
    if (named) {
      this.i += named[0].length;
      return `(?<${named[1]}>`;
    }
    if (/^\?[imsU-]+[):]/.test(rest))
      throw new Unsupported('flags such as (?i) are supported only at the very start of the pattern');
    throw new Unsupported(`invalid or unsupported Perl syntax: (${rest.slice(0, 3)}`);
  }

  /** After a backslash, outside a class. */
  escape(): string {
    const c = this.peek();
    if (c === 'b' || c === 'B') {
      this.i += 1;
      return `\\${c}`;
    }
    if (c === 'A') {
      this.i += 1;
      return '(?<![\\s\\S])';
    }
    if (c === 'z') {
      this.i += 1;
      return '(?![\\s\\S])';
    }
    if (c === 'Q') {
      this.i += 1;
      const end = this.src.indexOf('\\E', this.i);
      const quoted = this.src.slice(this.i, end === -1 ? undefined : end);
      this.i = end === -1 ? this.src.length : end + 2;
      return [...quoted].map((ch) => lit(ch.codePointAt(0)!)).join('');
    }
    const item = this.classItem();
    return typeof item === 'string'
      ? item
      : item.length === 1 && item[0]![0] === item[0]![1]
        ? lit(item[0]![0])
        : classOf(item);
  }

  /** An escape valid inside and outside a class: ranges, or a `\p{…}` source. */
  classItem(): Range[] | string {
    const c = this.take();
    if (c === '') throw new Unsupported('trailing backslash at end of expression');
    const lower = c.toLowerCase();
    if (lower in PERL_CLASSES && 'dswDSW'.includes(c)) {
      const ranges = PERL_CLASSES[lower]!;
      return c === lower ? ranges : complement(ranges);
    }
    if (c === 'p' || c === 'P') {
      let name = this.take();
      if (name === '{') {
        const end = this.src.indexOf('}', this.i);
        if (end === -1) throw new Unsupported('invalid character class range: missing }');
        name = this.src.slice(this.i, end);
        this.i = end + 1;
      }
      return property(name, c === 'P');
    }
    const simple: Record<string, number> = { a: 7, f: 12, t: 9, n: 10, r: 13, v: 11 };
    if (c in simple) return [[simple[c]!, simple[c]!]];
    if (c === 'x') {
      const m = /^\{([0-9A-Fa-f]{1,6})\}|^([0-9A-Fa-f]{2})/.exec(this.src.slice(this.i));
      if (!m) throw new Unsupported('invalid escape sequence: \\x');
      this.i += m[0].length;
      const cp = parseInt(m[1] ?? m[2]!, 16);
      if (cp > MAX_CODE_POINT) throw new Unsupported('invalid escape sequence: \\x{…} beyond U+10FFFF');
      return [[cp, cp]];
    }
    if (/[0-7]/.test(c)) {
      const m = /^[0-7]{0,2}/.exec(this.src.slice(this.i))![0];
      // Go reads \1..\7 alone as a backreference, which RE2 does not support.
      if (c !== '0' && m === '')
        throw new Unsupported(`invalid escape sequence: \\${c} (backreferences are not supported)`);
      this.i += m.length;
      const cp = parseInt(c + m, 8);
      return [[cp, cp]];
    }
    const cp = c.codePointAt(0)!;
    if (cp < 0x80 && !/[A-Za-z0-9]/.test(c)) return [[cp, cp]];
    throw new Unsupported(`invalid escape sequence: \\${c}`);
  }

  charClass(): string {
    let negated = false;
    if (this.peek() === '^') {
      negated = true;
      this.i += 1;
    }
    const ranges: Range[] = [];
    const props: string[] = [];
    let first = true;
    for (;;) {
      if (this.done) throw new Unsupported('missing closing ]');
      if (this.peek() === ']' && !first) {
        this.i += 1;
        break;
      }
      first = false;
      const posix = /^\[:(\^?)([a-z]+):\]/.exec(this.src.slice(this.i));
      if (posix) {
        const named = POSIX_CLASSES[posix[2]!];
        if (!named) throw new Unsupported(`invalid character class range: ${posix[0]}`);
        this.i += posix[0].length;
        ranges.push(...(posix[1] ? complement(named) : named));
        continue;
      }
      const lo = this.classChar();
      if (typeof lo === 'string' || lo.length !== 1 || lo[0]![0] !== lo[0]![1]) {
        if (typeof lo === 'string') props.push(lo);
        else ranges.push(...lo);
        continue;
      }
      let hi = lo[0]![0];
      if (this.peek() === '-' && this.peek(1) !== ']' && this.peek(1) !== '') {
        this.i += 1;
        const end = this.classChar();
        if (typeof end === 'string' || end.length !== 1 || end[0]![0] !== end[0]![1])
          throw new Unsupported('invalid character class range');
        hi = end[0]![0];
        if (hi < lo[0]![0]) throw new Unsupported('invalid character class range: end before start');
      }
      ranges.push([lo[0]![0], hi]);
    }
    return `[${negated ? '^' : ''}${rangesSource(ranges)}${props.join('')}]`;
  }

  classChar(): Range[] | string {
    const c = this.take();
    if (c === '\\') return this.classItem();
    const cp = c.codePointAt(0)!;
    return [[cp, cp]];
  }
}

/**
 * Compiles `value` the way Alertmanager does for `=~` and `!~`: `^(?:value)$` in Go syntax.
 * Leading flags (`(?i)`, `(?s)`, `(?m)`, combined or repeated) apply to the whole pattern.
 */
export function compileGoRegexp(value: string): GoRegexpResult {
  const flags = { i: false, s: false, m: false };
  let body = value;
  for (let m = /^\(\?([imsU]+)\)/.exec(body); m; m = /^\(\?([imsU]+)\)/.exec(body)) {
    if (m[1]!.includes('U')) return { ok: false, reason: 'the (?U) flag is not supported' };
    for (const f of m[1]!) flags[f as 'i' | 's' | 'm'] = true;
    body = body.slice(m[0].length);
  }
  try {
    const source = new Translator(body, flags).run();
    return { ok: true, regexp: new RegExp(`^(?:${source})$`, flags.i ? 'iu' : 'u') };
  } catch (err) {
    if (err instanceof Unsupported || err instanceof SyntaxError) return { ok: false, reason: err.message };
    throw err;
  }
}
