import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { distinctEmbedUrls, EMBED_URL_MAX, hasDistinctUrls } from '../../../src/discord/distinct-urls.js';
import type { Embed } from '../../../src/discord/message.js';

const GEN = 'http://prometheus.example:9090/graph?g0.expr=up+%3D%3D+0&g0.tab=1';
const urls = (embeds: readonly Embed[]) => embeds.map((e) => e.url);

describe('distinctEmbedUrls', () => {
  it('keeps the first embed of a url and marks each repeat with its place in the message', () => {
    const r = distinctEmbedUrls([
      { title: 'a', url: GEN },
      { title: 'b' },
      { title: 'c', url: GEN },
      { title: 'd', url: GEN },
    ]);
    expect(urls(r.embeds)).toEqual([GEN, undefined, `${GEN}#3`, `${GEN}#4`]);
    expect(r.changes).toEqual([
      { index: 2, action: 'replaced' },
      { index: 3, action: 'replaced' },
    ]);
    expect(hasDistinctUrls(r.embeds)).toBe(true);
  });

  it('keeps an existing fragment: a hash route keeps its path and gets a query part', () => {
    const route = 'http://am.example:9093/#/alerts?receiver=ops';
    const anchor = 'http://wiki.example/runbook#disk';
    const r = distinctEmbedUrls([
      { title: 'a', url: route },
      { title: 'b', url: route },
      { title: 'c', url: anchor },
      { title: 'd', url: anchor },
    ]);
    expect(urls(r.embeds)).toEqual([route, `${route}&2`, anchor, `${anchor}?4`]);
  });

  it('never produces a url a template already used in the message', () => {
    const r = distinctEmbedUrls([
      { title: 'a', url: `${GEN}#3` },
      { title: 'b', url: GEN },
      { title: 'c', url: GEN },
    ]);
    expect(urls(r.embeds)).toEqual([`${GEN}#3`, GEN, `${GEN}#3.2`]);
    expect(hasDistinctUrls(r.embeds)).toBe(true);
  });

  it('leaves out a repeated url that the marker would take past 2048 characters', () => {
    const long = `https://example.com/${'x'.repeat(EMBED_URL_MAX - 21)}`;
    expect(long.length).toBe(EMBED_URL_MAX - 1);
    const r = distinctEmbedUrls([
      { title: 'a', url: long },
      { title: 'b', url: long },
    ]);
    expect(r.embeds).toEqual([{ title: 'a', url: long }, { title: 'b' }]);
    expect(r.changes).toEqual([{ index: 1, action: 'dropped' }]);
  });

  it('changes nothing, and reports nothing, when the urls are already distinct', () => {
    const embeds = [
      { title: 'a', url: `${GEN}#1` },
      { title: 'b', url: GEN },
    ];
    expect(distinctEmbedUrls(embeds)).toEqual({ embeds, changes: [] });
  });

  it('any urls come out distinct, only repeats change, and the keys keep their order', () => {
    const url = fc.constantFrom(GEN, `${GEN}#2`, `${GEN}#3`, 'https://a.example/#/x', 'https://a.example/#/x?2');
    const embed = fc.record({
      title: fc.constant('t'),
      url: fc.option(url, { nil: undefined }),
      color: fc.constant(1),
    });
    fc.assert(
      fc.property(fc.array(embed, { maxLength: 12 }), (input) => {
        const embeds: Embed[] = input.map(({ url: u, ...rest }) => (u === undefined ? rest : { ...rest, url: u }));
        const r = distinctEmbedUrls(embeds);
        expect(hasDistinctUrls(r.embeds)).toBe(true);
        const changed = new Set(r.changes.map((c) => c.index));
        r.embeds.forEach((e, i) => {
          if (!changed.has(i)) expect(e).toEqual(embeds[i]);
          else expect(Object.keys(e)).toEqual(Object.keys(embeds[i]!));
        });
      }),
    );
  });

  it('takes linear time on many repeats (a generous guard, not a timing target)', () => {
    const embeds = Array.from({ length: 20_000 }, (_, i) => ({ title: `t${i}`, url: GEN }));
    const started = performance.now();
    const r = distinctEmbedUrls(embeds);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(new Set(urls(r.embeds)).size).toBe(embeds.length);
  });
});
