// @ts-check
/**
 * The subset of Discord markdown alert messages use, turned into DOM nodes (text stays
 * text): escapes, bold, italic, underline, strike, spoiler, inline code and code blocks,
 * masked and bare links, `<t:UNIX:STYLE>` timestamps, and line blocks (quotes, headings,
 * subtext, bullet lists).
 */
import { externalLink, h, safeHref } from './dom.js';
import { discordTimestamp } from './time.js';

/** Delimited content: anything up to the closing delimiter, escapes kept together. */
const C = String.raw`((?:\\[\s\S]|[^\\])+?)`;

/** @typedef {(m: RegExpExecArray, s: string, at: number) => Node | undefined} Make */

/** @type {[RegExp, Make][]} */
const INLINE_RULES = [
  [/\\([^A-Za-z0-9\s])/y, (m) => document.createTextNode(m[1] ?? '')],
  [/(`+)([\s\S]*?[^`])\1(?!`)/y, (m) => h('code', { class: 'md-code' }, [m[2] ?? ''])],
  [/<t:(-?\d{1,13})(?::([tTdDfFR]))?>/y, (m) => timestamp(Number(m[1]), m[2] ?? 'f')],
  [
    /\[((?:\\[\s\S]|[^\\\]])+)\]\(<?(https?:\/\/[^\s)>]+)>?\)/y,
    (m) => {
      const href = safeHref(m[2]);
      return href ? externalLink(href, inline(m[1] ?? ''), 'md-link') : undefined;
    },
  ],
  [/<(https?:\/\/[^\s>]+)>/y, (m) => bareLink(m[1] ?? '')],
  [/https?:\/\/[^\s<]+[^\s<.,:;"'\])!?]/y, (m) => bareLink(m[0])],
  [new RegExp(String.raw`\*\*\*${C}\*\*\*`, 'y'), (m) => h('strong', {}, [h('em', {}, inline(m[1] ?? ''))])],
  [new RegExp(String.raw`\*\*${C}\*\*`, 'y'), (m) => h('strong', {}, inline(m[1] ?? ''))],
  [new RegExp(String.raw`__${C}__(?!_)`, 'y'), (m) => h('u', {}, inline(m[1] ?? ''))],
  [new RegExp(String.raw`\*(?=[^\s*])${C}\*(?!\*)`, 'y'), (m) => h('em', {}, inline(m[1] ?? ''))],
  [
    new RegExp(String.raw`_${C}_(?![A-Za-z0-9])`, 'y'),
    // Like Discord: snake_case_words stay words.
    (m, s, at) => (at > 0 && /[A-Za-z0-9]/.test(s[at - 1] ?? '') ? undefined : h('em', {}, inline(m[1] ?? ''))),
  ],
  [new RegExp(String.raw`~~${C}~~`, 'y'), (m) => h('s', {}, inline(m[1] ?? ''))],
  [new RegExp(String.raw`\|\|${C}\|\|`, 'y'), (m) => h('span', { class: 'md-spoiler' }, inline(m[1] ?? ''))],
];

function bareLink(/** @type {string} */ url) {
  const href = safeHref(url);
  return href ? externalLink(href, [url], 'md-link') : undefined;
}

function timestamp(/** @type {number} */ unix, /** @type {string} */ style) {
  const at = new Date(unix * 1000);
  if (Number.isNaN(at.getTime())) return undefined;
  return h('span', { class: 'md-timestamp', attrs: { title: at.toString(), 'data-unix': String(unix) } }, [
    discordTimestamp(unix, style),
  ]);
}

/** Inline markdown only: titles, field names, and the inside of every block. */
export function inline(/** @type {string} */ text) {
  /** @type {Node[]} */
  const out = [];
  let plain = '';
  let i = 0;
  scan: while (i < text.length) {
    for (const [re, make] of INLINE_RULES) {
      re.lastIndex = i;
      const m = re.exec(text);
      if (!m) continue;
      const node = make(m, text, i);
      if (!node) continue;
      if (plain) out.push(document.createTextNode(plain));
      plain = '';
      out.push(node);
      i += m[0].length;
      continue scan;
    }
    plain += text[i];
    i += 1;
  }
  if (plain) out.push(document.createTextNode(plain));
  return out;
}

/** Splits out ``` code blocks; a fence written with escaped backticks is text. */
function codeBlocks(/** @type {string} */ text) {
  /** @type {{ code: boolean, text: string }[]} */
  const parts = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\') {
      i += 1;
      continue;
    }
    if (!text.startsWith('```', i)) continue;
    const end = text.indexOf('```', i + 3);
    if (end < 0) break;
    if (i > start) parts.push({ code: false, text: text.slice(start, i) });
    // An optional language name on the first line.
    parts.push({
      code: true,
      text: text
        .slice(i + 3, end)
        .replace(/^[A-Za-z0-9_+-]+\n/, '')
        .replace(/^\n/, ''),
    });
    start = end + 3;
    i = end + 2;
  }
  if (start < text.length) parts.push({ code: false, text: text.slice(start) });
  return parts;
}

/** @type {[RegExp, (m: RegExpExecArray) => HTMLElement][]} */
const LINE_BLOCKS = [
  [/^### (.*)$/, (m) => h('h3', { class: 'md-h3' }, inline(m[1] ?? ''))],
  [/^## (.*)$/, (m) => h('h2', { class: 'md-h2' }, inline(m[1] ?? ''))],
  [/^# (.*)$/, (m) => h('h1', { class: 'md-h1' }, inline(m[1] ?? ''))],
  [/^-# (.*)$/, (m) => h('small', { class: 'md-subtext' }, inline(m[1] ?? ''))],
];

/** Lines: quotes and list items group with their neighbours; other lines form paragraphs. */
function lineBlocks(/** @type {string} */ text) {
  /** @type {Node[]} */
  const out = [];
  /** @type {{ kind: 'p' | 'quote' | 'list', lines: string[] } | undefined} */
  let group;
  const flush = () => {
    if (!group) return;
    const body = group.lines.join('\n');
    if (group.kind === 'quote') out.push(h('blockquote', { class: 'md-quote' }, inline(body)));
    else if (group.kind === 'list')
      out.push(
        h(
          'ul',
          { class: 'md-list' },
          group.lines.map((l) => h('li', {}, inline(l))),
        ),
      );
    else if (body) out.push(h('span', { class: 'md-p' }, inline(body)));
    group = undefined;
  };
  const add = (/** @type {'p' | 'quote' | 'list'} */ kind, /** @type {string} */ line) => {
    if (group?.kind !== kind) flush();
    group ??= { kind, lines: [] };
    group.lines.push(line);
  };
  for (const line of text.split('\n')) {
    const block = LINE_BLOCKS.map(([re, make]) => {
      const m = re.exec(line);
      return m ? make(m) : undefined;
    }).find(Boolean);
    if (block) {
      flush();
      out.push(block);
    } else if (/^> /.test(line)) add('quote', line.slice(2));
    else if (/^[-*] /.test(line)) add('list', line.slice(2));
    else add('p', line);
  }
  flush();
  return out;
}

/** Full markdown: content, descriptions and field values. */
export function markdown(/** @type {string} */ text) {
  return codeBlocks(text).flatMap((part) =>
    part.code ? [h('pre', { class: 'md-codeblock' }, [h('code', {}, [part.text])])] : lineBlocks(part.text),
  );
}
