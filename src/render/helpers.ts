import Handlebars, { type HelperOptions } from 'handlebars';
import { escapeCodeSpan, escapeMarkdown } from './markdown.js';
import { cutFor } from './cut-for.js';
import { humanDuration } from './durations.js';
import { defaultSeverityModel, type SeverityModel } from '../shared/severity.js';
import { alertmanagerUrl, safeUrl, silenceUrl } from './links.js';
import { highestSeverity, sortByPath, sortBySeverity } from './sort-alerts.js';

type Hash = Record<string, unknown>;
/** Handlebars passes its options object as the last argument; strip it. */
const args = (all: unknown[]): unknown[] => all.slice(0, -1);
const opts = (all: unknown[]): HelperOptions => all[all.length - 1] as HelperOptions;
const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v));
const isTruthy = (v: unknown): boolean => (Array.isArray(v) ? v.length > 0 : Boolean(v));
/** Alertmanager repeats the same few timestamps in every render of a group: parse each once. */
const parsedTimes = new Map<string, number>();
const timeMs = (v: unknown): number => {
  if (v instanceof Date) return v.getTime();
  const s = str(v);
  let ms = parsedTimes.get(s);
  if (ms === undefined) {
    if (parsedTimes.size >= 10_000) parsedTimes.clear();
    parsedTimes.set(s, (ms = Date.parse(s)));
  }
  return ms;
};
const isZeroTime = (v: unknown): boolean => str(v).startsWith('0001-');
const isPair = (s: string, i: number): boolean => {
  const hi = s.charCodeAt(i);
  const lo = s.charCodeAt(i + 1);
  return hi >= 0xd800 && hi <= 0xdbff && lo >= 0xdc00 && lo <= 0xdfff;
};

/** The clock the duration helpers read; rendering takes it as input to stay pure. */
export interface HelperEnv {
  now: () => number;
  severities?: SeverityModel;
}

export function createHelpers(env: HelperEnv): Record<string, (...all: unknown[]) => unknown> {
  const severities = env.severities ?? defaultSeverityModel;
  return {
    // Comparison and logic: usable as sub-expressions in #if.
    eq: (...a) => args(a)[0] === args(a)[1],
    ne: (...a) => args(a)[0] !== args(a)[1],
    and: (...a) => args(a).every(isTruthy),
    or: (...a) => args(a).some(isTruthy),
    not: (...a) => !isTruthy(args(a)[0]),
    default: (...a) => args(a).find((v) => v !== undefined && v !== null && v !== '') ?? '',

    // Text.
    upper: (...a) => str(args(a)[0]).toUpperCase(),
    lower: (...a) => str(args(a)[0]).toLowerCase(),
    // A letter not preceded by a letter, digit or apostrophe starts a word: "o'neil-jones" → "O'neil-Jones".
    title: (...a) => str(args(a)[0]).replace(/(?<![\p{L}\p{N}'’])\p{L}/gu, (c) => c.toUpperCase()),
    /** At most `max` characters (code points, so an emoji is never cut in half), "…" included. */
    truncate: (...a) => {
      const [text, max] = args(a);
      const s = str(text);
      const n = Number(max);
      if (!Number.isFinite(n) || s.length <= n) return s;
      // Walks only the code points kept, not the whole (maybe huge) value.
      let i = 0;
      let cut = 0;
      for (let count = 0; i < s.length && count < n; count++) {
        if (count === n - 1) cut = i;
        i += isPair(s, i) ? 2 : 1;
      }
      return i >= s.length ? s : `${s.slice(0, cut)}…`;
    },
    /** Whitespace runs, newlines included, become one space: for digest lines. */
    oneLine: (...a) => str(args(a)[0]).replace(/\s+/g, ' ').trim(),
    join: (...a) => {
      const [list, sep] = args(a);
      const items = Array.isArray(list) ? list : list && typeof list === 'object' ? Object.values(list) : [];
      return items.map(str).join(typeof sep === 'string' ? sep : ', ');
    },
    // SafeString: already escaped, so a markdown leaf does not escape it twice.
    escapeMarkdown: (...a) => new Handlebars.SafeString(escapeMarkdown(cutFor(str(args(a)[0]), opts(a)))),
    /** An inline code span; backticks inside cannot be escaped there, so they are replaced. */
    code: (...a) => {
      const s = str(args(a)[0]).replace(/\s+/g, ' ').trim();
      return new Handlebars.SafeString(s ? `\`${escapeCodeSpan(s)}\`` : '');
    },

    // Labels.
    labelsExcept: (...a) => {
      const [labels, ...names] = args(a);
      const drop = new Set(names.flatMap((n) => (Array.isArray(n) ? n.map(str) : [str(n)])));
      return Object.fromEntries(Object.entries((labels ?? {}) as Hash).filter(([k]) => !drop.has(k)));
    },
    sortBy: (...a) => {
      const [list, key] = args(a);
      return Array.isArray(list) ? sortByPath(list, str(key)) : [];
    },

    // Severity.
    severityColor: (...a) => String(severities.look(str(args(a)[0]), str(args(a)[1]) || undefined).color),
    severityEmoji: (...a) => severities.look(str(args(a)[0]), str(args(a)[1]) || undefined).emoji,
    bySeverity: (...a) => {
      const list = args(a)[0];
      return Array.isArray(list) ? sortBySeverity(list, severities) : [];
    },
    highestSeverity: (...a) => {
      const list = args(a)[0];
      return Array.isArray(list) ? highestSeverity(list, severities) : '';
    },

    // Time.
    since: (...a) => humanDuration(env.now() - timeMs(args(a)[0])),
    duration: (...a) => {
      const [from, to] = args(a);
      const end = to === undefined || isZeroTime(to) ? env.now() : timeMs(to);
      return humanDuration(end - timeMs(from));
    },
    discordTime: (...a) => {
      const [when, style] = args(a);
      const ms = timeMs(when);
      if (!Number.isFinite(ms) || isZeroTime(when)) return '';
      const s = typeof style === 'string' && /^[tTdDfFR]$/.test(style) ? style : 'R';
      return `<t:${Math.floor(ms / 1000)}:${s}>`;
    },
    isoTime: (...a) => {
      const ms = timeMs(args(a)[0]);
      return Number.isFinite(ms) ? new Date(ms).toISOString() : '';
    },

    /** A markdown link whose label is escaped and whose URL is checked: {{link "Runbook" annotations.runbook_url}}. */
    link: (...a) => {
      const [label, url] = args(a);
      const href = safeUrl(str(url));
      return new Handlebars.SafeString(href ? `[${escapeMarkdown(cutFor(str(label), opts(a)))}](${href})` : '');
    },
    /** An http(s) URL or nothing: for embed url fields fed from alert data. */
    url: (...a) => safeUrl(str(args(a)[0])),

    // Links back to Alertmanager. Label values are percent-encoded in them, so they pass
    // markdown leaves unescaped: a backslash would break the link.
    silenceURL: (...a) => {
      const [externalURL, labels] = args(a);
      return new Handlebars.SafeString(silenceUrl(str(externalURL), (labels ?? {}) as Record<string, string>));
    },
    alertmanagerURL: (...a) => {
      const [externalURL, labels] = args(a);
      const hash = opts(a).hash as Hash;
      const receiver = hash.receiver ? str(hash.receiver) : undefined;
      return new Handlebars.SafeString(
        alertmanagerUrl(str(externalURL), (labels ?? {}) as Record<string, string>, receiver),
      );
    },
  };
}

export const HELPER_NAMES = Object.keys(createHelpers({ now: () => 0 }));
