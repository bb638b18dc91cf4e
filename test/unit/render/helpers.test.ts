import { readFileSync } from 'node:fs';
import { fullFormats } from 'ajv-formats/dist/formats.js';
import { describe, expect, it, vi } from 'vitest';
import { alertContext, groupContext } from '../../../src/render/context.js';
import { HELPER_NAMES } from '../../../src/render/helpers.js';
import { leafRenderer, notification } from '../../support/templates.js';

const render = leafRenderer();
const firing = notification('firing');
const ctx = alertContext(firing.alerts[0]!, groupContext(firing, 'payments'));

/** The helper table of docs/templates.md: [helpers named in the first cell, example, result]. */
function documentedHelperRows(): [string[], string, string][] {
  const doc = readFileSync('docs/templates.md', 'utf8');
  const start = doc.indexOf('### Helpers');
  const section = doc.slice(start, doc.indexOf('\n### ', start + 1));
  const code = (cell: string): string => {
    const m = /^``\s(.*)\s``$/.exec(cell) ?? /^`(.*)`$/.exec(cell);
    if (!m) throw new Error(`not a code span: ${cell}`);
    return m[1] ?? '';
  };
  return section
    .split('\n')
    .filter((l) => l.startsWith('| `'))
    .map((l) => {
      const cells = l.slice(2, -2).split(' | ');
      const [names = '', , example = '', result = ''] = cells;
      return [[...names.matchAll(/`(\w+)`/g)].map((m) => m[1] ?? ''), code(example), code(result)];
    });
}

describe('documented helper reference', () => {
  const rows = documentedHelperRows();

  it('documents every helper', () => {
    const documented = new Set(rows.flatMap(([names]) => names));
    expect(HELPER_NAMES.filter((h) => !documented.has(h))).toEqual([]);
  });

  it.each(rows)('%s: the example gives what the documentation says', (_names, example, result) => {
    expect(render(example, ctx).trim()).toBe(result);
  });
});

describe('helpers', () => {
  it('title capitalises words in any script, not after apostrophes', () => {
    expect(render("{{title 'élan vital o’neil über-cool 3rd'}}", {})).toBe('Élan Vital O’neil Über-Cool 3rd');
  });

  it('truncate never returns more than it was given, nor half an emoji', () => {
    expect(render("{{truncate '😀😀😀' 3}}", {})).toBe('😀😀😀');
    expect(render("{{truncate '😀😀😀😀' 3}}", {})).toBe('😀😀…');
    expect(render("{{truncate 'abc' 'x'}}", {})).toBe('abc');
  });

  it('default skips undefined, null and empty text, keeps 0 and false', () => {
    expect(render('{{default nothing "" 0 "x"}}', {})).toBe('0');
    expect(render('{{default nothing ""}}', {})).toBe('');
  });

  it('sortBy is numeric-aware and stable; bySeverity puts unknown severities at normal', () => {
    const list = [
      { n: 'pay-10', labels: { severity: 'info' } },
      { n: 'pay-2', labels: { severity: 'whatever' } },
      { n: 'pay-2', labels: { severity: 'critical' }, second: true },
      { n: 'pay-1', labels: {} },
    ];
    expect(render("{{#each (sortBy list 'n')}}{{n}}{{#if second}}'{{/if}} {{/each}}", { list })).toBe(
      "pay-1 pay-2 pay-2' pay-10 ",
    );
    expect(render('{{#each (bySeverity list)}}{{n}} {{/each}}', { list })).toBe('pay-2 pay-2 pay-1 pay-10 ');
    expect(render('{{highestSeverity list}}|{{highestSeverity nothing}}', { list })).toBe('critical|');
  });

  it('code keeps a span on one line and its backticks out', () => {
    expect(render("{{code 'a`b\n c'}}", {})).toBe('`aˋb c`');
    expect(render('{{code nothing}}', {})).toBe('');
  });

  it('time helpers: zero and invalid times give nothing; duration of a firing alert runs to now', () => {
    const zero = '0001-01-01T00:00:00Z';
    expect(render('{{discordTime t}}|{{discordTime "soon"}}|{{isoTime "soon"}}', { t: zero })).toBe('||');
    expect(render("{{discordTime startsAt 'x'}}", ctx)).toBe('<t:1795823221:R>');
    expect(render('{{duration startsAt endsAt}}', ctx)).toBe('42m');
  });

  it('links: only http(s), and a URL cannot close its markdown link', () => {
    expect(render("{{link 'x' 'javascript:alert(1)'}}", {})).toBe('');
    expect(render("{{link '[x]' 'https://a.example/(y) z'}}", {})).toBe('[\\[x\\]](https://a.example/%28y%29%20z)');
  });

  it('urls: what the URL parser keeps but RFC 3986 does not allow is percent-encoded', () => {
    // Discord's OpenAPI spec types embed urls as RFC 3986 URIs (format uri).
    const raw = 'http://prom.example/graph?g0.expr=sum{job="a"}|x^y`z%zz#/alerts#2';
    const out = render('{{url u}}', { u: raw });
    expect(out).toBe('http://prom.example/graph?g0.expr=sum%7Bjob=%22a%22%7D%7Cx%5Ey%60z%25zz#/alerts%232');
    expect((fullFormats.uri as (s: string) => boolean)(out)).toBe(true);
    expect(new URL(out).searchParams.get('g0.expr')).toBe('sum{job="a"}|x^y`z%zz');
    expect(render('{{silenceURL "not a url" labels}}', ctx)).toBe('');
    expect(render('{{alertmanagerURL "ftp://x" labels}}', ctx)).toBe('');
  });

  it('builds no Alertmanager link longer than Discord takes, and does not sort a huge label set into one', () => {
    const labels = Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`label_${i}`, `value-${i}`]));
    const sort = vi.spyOn(Array.prototype, 'sort');
    let links: string[];
    let sorts: number;
    try {
      links = [render('{{silenceURL e labels}}', { e: 'http://am.example', labels })];
      links.push(render('{{alertmanagerURL e labels}}', { e: 'http://am.example', labels }));
      sorts = sort.mock.calls.length;
    } finally {
      sort.mockRestore();
    }
    expect(links).toEqual(['', '']);
    expect(sorts).toBe(0);
    expect(render('{{silenceURL e labels}}', { e: 'http://am.example', labels: { a: 'b' } })).toBe(
      'http://am.example/#/silences/new?filter=%7Ba%3D%22b%22%7D',
    );
  });

  it('markdown leaves escape helper output unless the helper made markdown on purpose', () => {
    expect(render("{{upper '*x*'}}", {})).toBe('\\*X\\*');
    expect(render("{{upper '*x*'}}", {}, false)).toBe('*X*');
    expect(render("{{escapeMarkdown '_x_'}}", {})).toBe('\\_x\\_');
    expect(render("{{{upper '*x*'}}}", {})).toBe('*X*');
  });
});
