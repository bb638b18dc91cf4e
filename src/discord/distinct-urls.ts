import { LIMITS } from './limits.js';

/**
 * Discord refuses a longer embed url (form error BASE_TYPE_MAX_LENGTH); a url that would pass
 * it once made distinct is left out instead.
 */
export const EMBED_URL_MAX = LIMITS.url;

/** One url changed: `index` is the embed's place in the message. */
export interface UrlChange {
  index: number;
  action: 'replaced' | 'dropped';
}

/** What a url is read from: any embed, whether or not it is valid yet. */
interface HasUrl {
  url?: string | undefined;
}

export interface DistinctUrls<E extends HasUrl> {
  embeds: E[];
  changes: UrlChange[];
}

/**
 * Where a url's marker goes: a fragment of its own when it has none (`…/graph?g0.expr=up#2`);
 * inside an existing fragment as a query part, so hash routes such as Alertmanager's
 * `#/alerts?receiver=x` keep their route (`#/alerts?receiver=x&2`, `#/alerts?2`).
 */
function marked(url: string, tag: string): string {
  const hash = url.indexOf('#');
  if (hash < 0) return `${url}#${tag}`;
  return `${url}${url.indexOf('?', hash) < 0 ? '?' : '&'}${tag}`;
}

/**
 * Makes the embed urls of one message distinct. The Discord client shows the first embed of
 * each url and only the image of later ones (its gallery), so a later embed repeating a url is
 * invisible although Discord accepts it. A repeat gets a marker naming its place in the message
 * (1-based): short, and the same for the same message. Linear: no two (url, marker) pairs give
 * the same string, so each url already in the message can cost at most one retry.
 */
export function distinctEmbedUrls<E extends HasUrl>(embeds: readonly E[]): DistinctUrls<E> {
  const taken = new Set<string>();
  for (const e of embeds) if (e.url !== undefined) taken.add(e.url);
  const seen = new Set<string>();
  const changes: UrlChange[] = [];
  const out = embeds.map((e, index): E => {
    const url = e.url;
    if (url === undefined) return e;
    if (!seen.has(url)) {
      seen.add(url);
      return e;
    }
    let candidate = marked(url, String(index + 1));
    for (let k = 2; taken.has(candidate); k++) candidate = marked(url, `${index + 1}.${k}`);
    if (candidate.length > EMBED_URL_MAX) {
      const { url: _repeated, ...rest } = e;
      changes.push({ index, action: 'dropped' });
      return rest as E;
    }
    taken.add(candidate);
    seen.add(candidate);
    changes.push({ index, action: 'replaced' });
    // Spread first: the url keeps its place among the keys.
    return { ...e, url: candidate };
  });
  return { embeds: changes.length > 0 ? out : [...embeds], changes };
}

/** True when no two embeds of the message share a url: what the client needs to show them all. */
export function hasDistinctUrls(embeds: readonly HasUrl[]): boolean {
  const seen = new Set<string>();
  for (const e of embeds) {
    if (e.url === undefined) continue;
    if (seen.has(e.url)) return false;
    seen.add(e.url);
  }
  return true;
}
