import { LIMITS } from '../discord/limits.js';

/**
 * Alertmanager UI links: its hash routes take a matcher list as `filter`. Undefined when the
 * list alone is longer than Discord takes a url (encoding only lengthens it): a link that
 * cannot be sent is not built, and sorting 20,000 labels into one is not paid for.
 */
function matcherList(labels: Record<string, string>): string | undefined {
  let atLeast = 2;
  for (const k in labels) {
    // key, =, two quotes, the value, a comma
    atLeast += k.length + labels[k]!.length + 4;
    if (atLeast > LIMITS.url) return undefined;
  }
  const quote = (v: string) => JSON.stringify(v);
  return `{${Object.entries(labels)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${quote(v)}`)
    .join(',')}}`;
}

/** One group's alerts share one externalURL: parsing it once per group is enough. */
let lastBase: { externalURL: string; root: string | undefined } | undefined;

function base(externalURL: string): string | undefined {
  if (lastBase?.externalURL !== externalURL) lastBase = { externalURL, root: parseBase(externalURL) };
  return lastBase.root;
}

function parseBase(externalURL: string): string | undefined {
  try {
    const u = new URL(externalURL);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return undefined;
    return u.href.replace(/\/+$/, '');
  } catch {
    return undefined;
  }
}

export function silenceUrl(externalURL: string, labels: Record<string, string>): string {
  const root = base(externalURL);
  const matchers = root ? matcherList(labels) : undefined;
  return matchers !== undefined ? `${root}/#/silences/new?filter=${encodeURIComponent(matchers)}` : '';
}

export function alertmanagerUrl(externalURL: string, labels: Record<string, string>, receiver?: string): string {
  const root = base(externalURL);
  if (!root) return '';
  const query = new URLSearchParams({ silenced: 'false', inhibited: 'false', active: 'true' });
  if (Object.keys(labels).length > 0) {
    const matchers = matcherList(labels);
    // Without its filter the link would show every alert: none is better.
    if (matchers === undefined) return '';
    query.set('filter', matchers);
  }
  if (receiver) query.set('receiver', receiver);
  return `${root}/#/alerts?${query.toString().replace(/\+/g, '%20')}`;
}

const percent = (c: string) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`;

/**
 * http(s) URLs only, with the characters that end a markdown link target percent-encoded,
 * so a URL from alert data cannot close the link and forge another. What a browser's URL
 * parser leaves as is but RFC 3986 does not allow (`{ } | ^ \``, a stray `%`, a second `#`) is
 * encoded too: Discord's spec types urls as RFC 3986 URIs, and the encoded link works the same.
 */
export function safeUrl(raw: string): string {
  const trimmed = raw.trim();
  if (!trimmed) return '';
  try {
    const u = new URL(trimmed);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return '';
    const href = u.href.replace(/%(?![0-9A-Fa-f]{2})|[^A-Za-z0-9\-._~:/?#@!$&'*+,;=%]/g, percent);
    const hash = href.indexOf('#');
    return hash < 0 ? href : href.slice(0, hash + 1) + href.slice(hash + 1).replace(/#/g, percent);
  } catch {
    return '';
  }
}
