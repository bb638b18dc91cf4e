/** Alertmanager UI links: its hash routes take a matcher list as `filter`. */
function matcherList(labels: Record<string, string>): string {
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
  return root ? `${root}/#/silences/new?filter=${encodeURIComponent(matcherList(labels))}` : '';
}

export function alertmanagerUrl(externalURL: string, labels: Record<string, string>, receiver?: string): string {
  const root = base(externalURL);
  if (!root) return '';
  const query = new URLSearchParams({ silenced: 'false', inhibited: 'false', active: 'true' });
  if (Object.keys(labels).length > 0) query.set('filter', matcherList(labels));
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
