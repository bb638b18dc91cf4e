import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MESSAGE_FLAGS } from '../../../src/discord/limits.js';
import { pageCount, renderMessages } from '../../../src/render/render-job.js';
import { renderDraft, NO_MENTIONS } from '../../../src/render/render.js';
import { TemplateLoadError, loadTemplateSet, type TemplateProblem } from '../../../src/render/template-set.js';
import { fixedEnv, notification, templateDir } from '../../support/templates.js';

const firing = notification('firing');

function load(files: Record<string, string>) {
  return loadTemplateSet(fixedEnv, templateDir(files));
}

/** The problems a broken templates directory is refused with. */
function problemsOf(files: Record<string, string>): { dir: string; problems: TemplateProblem[] } {
  const dir = templateDir(files);
  try {
    loadTemplateSet(fixedEnv, dir);
  } catch (err) {
    if (err instanceof TemplateLoadError) return { dir, problems: err.problems };
    throw err;
  }
  throw new Error('the templates loaded');
}

const draftOf = (templates: ReturnType<typeof load>, name: string, n = firing) => {
  const t = templates.get(name);
  if (!t) throw new Error(`no template ${name}`);
  return renderDraft(t, { notification: n, target: 't', allowedMentions: NO_MENTIONS });
};

describe('loading templates', () => {
  it('ships default, compact, minimal, cards and cards-digest', () => {
    expect(loadTemplateSet(fixedEnv).names()).toEqual(['cards', 'cards-digest', 'compact', 'default', 'minimal']);
  });

  it('a user file named like a shipped template replaces it; others are added', () => {
    const set = load({ 'default.yaml': 'content: mine\n', 'pager.yml': 'content: pager\n' });
    expect(set.names()).toEqual(['cards', 'cards-digest', 'compact', 'default', 'minimal', 'pager']);
    expect(draftOf(set, 'default').content).toBe('mine');
    expect(draftOf(set, 'pager').content).toBe('pager');
  });

  it('shared partials come from partials/*.hbs; a template-local partial shadows one', () => {
    const set = load({
      'partials/who.hbs': '{{labels.instance}} in {{labels.namespace}}',
      'shared.yaml': 'embeds:\n  - for_each: alerts\n    title: "{{> who}}"\n',
      'local.yaml':
        'partials:\n  who: "local {{labels.alertname}}"\nembeds:\n  - for_each: alerts\n    title: "{{> who}}"\n',
    });
    expect(draftOf(set, 'shared').embeds.map((e) => e.title)).toEqual([
      'pay-1:8080 in payments',
      'pay-2:8080 in payments',
    ]);
    expect(draftOf(set, 'local').embeds[0]?.title).toBe('local HighErrorRate');
  });

  it('a partial escapes like the leaf that calls it', () => {
    const set = load({
      'partials/name.hbs': '{{labels.alertname}}',
      'p.yaml': [
        'partials:',
        '  local: "{{labels.alertname}}"',
        'embeds:',
        '  - for_each: alerts',
        '    title: "{{> name}} {{> local}} {{#> name}}{{/name}}"',
        '    url: "https://x.example/{{> name}}/{{> local}}"',
      ].join('\n'),
    });
    const n = structuredClone(firing);
    n.alerts = [{ ...n.alerts[0]!, labels: { alertname: 'a_b' } }];
    const e = draftOf(set, 'p', n).embeds[0];
    expect(e?.title).toBe('a\\_b a\\_b a\\_b');
    expect(e?.url).toBe('https://x.example/a_b/a_b');
  });

  it('a missing templates directory is an error', () => {
    expect(() => loadTemplateSet(fixedEnv, join(templateDir({}), 'nope'))).toThrow(
      /templates directory does not exist/,
    );
  });
});

describe('rendering leaves', () => {
  const set = load({
    'probe.yaml': [
      'content: "{{#each alerts}}{{@index}}:{{labels.instance}} {{/each}}| {{@root.receiver}}"',
      'embeds:',
      '  - for_each: alerts',
      "    title: \"{{lookup labels 'instance'}}{{#each labels}}{{#if (eq @key 'service')}} {{@key}}={{this}}{{/if}}{{/each}}\"",
      '    description: "[{{constructor}}][{{labels.constructor}}][{{lookup labels \'__proto__\'}}][{{#with annotations.summary}}{{.}}{{/with}}{{nothing}}]"',
      '    url: "{{generatorURL}}"',
      '    footer:',
      '      text: "{{{labels.namespace}}}"',
    ].join('\n'),
  });
  const draft = draftOf(set, 'probe');

  it('@index, @key, @root and lookup work in every leaf', () => {
    expect(draft.content).toBe('0:pay-1:8080 1:pay-2:8080 | discord');
    expect(draft.embeds[0]?.title).toBe('pay-1:8080 service=payment');
  });

  it('alert data cannot reach prototypes', () => {
    expect(draft.embeds[0]?.description).toBe('[][][][5xx rate above 5% on pay-1]');
  });

  it('plain leaves (url, footer) are not markdown-escaped; {{{ }}} is never escaped', () => {
    const md = load({
      'md.yaml': [
        'embeds:',
        '  - for_each: alerts',
        '    title: "{{labels.x}}"',
        '    description: "{{{labels.x}}}"',
        '    url: "{{labels.u}}"',
        '    footer: { text: "{{labels.x}}" }',
      ].join('\n'),
    });
    const n = structuredClone(firing);
    n.alerts = [{ ...n.alerts[0]!, labels: { x: '**b** @everyone', u: 'https://x.example/a_b*c' } }];
    const e = draftOf(md, 'md', n).embeds[0];
    expect(e?.title).toBe('\\*\\*b\\*\\* @\u200beveryone');
    expect(e?.description).toBe('**b** @everyone');
    expect(e?.url).toBe('https://x.example/a_b*c');
    expect(e?.footer?.text).toBe('**b** @everyone');
  });
});

describe('load-time errors: file, line, column', () => {
  it('a syntax error in a quoted leaf points into the file', () => {
    const { dir, problems } = problemsOf({
      'broken.yaml': 'embeds:\n  - for_each: alerts\n    title: "{{labels.alertname}"\n',
    });
    expect(problems).toEqual([
      {
        file: join(dir, 'broken.yaml'),
        path: 'embeds[0].title',
        line: 3,
        column: 31,
        message: 'syntax error: found a character that does not belong there, expected }}',
      },
    ]);
  });

  it('a syntax error inside a block scalar counts the block lines and indentation', () => {
    const { problems } = problemsOf({
      'broken.yaml': 'content: |-\n  first line\n  second {{#if firing}}never closed\n',
    });
    expect(problems).toMatchObject([{ path: 'content', line: 3, message: expect.stringMatching(/never closed/) }]);
    const { problems: mismatch } = problemsOf({
      'broken.yaml': 'content: |-\n  first line\n  {{#if firing}}x{{/each}}\n',
    });
    expect(mismatch).toMatchObject([{ line: 3, column: 6, message: "if doesn't match each" }]);
  });

  it('an unknown helper and an unknown partial are named with their place', () => {
    const { dir, problems } = problemsOf({
      'broken.yaml': [
        'embeds:',
        '  - for_each: alerts',
        '    fields:',
        '      - name: a',
        "        value: '{{severityColour severity}}'",
        '      - name: b',
        "        value: 'x {{> nowhere}}'",
      ].join('\n'),
    });
    const file = join(dir, 'broken.yaml');
    expect(problems).toEqual([
      { file, path: 'embeds[0].fields[0].value', line: 5, column: 17, message: 'unknown helper "severityColour"' },
      { file, path: 'embeds[0].fields[1].value', line: 7, column: 19, message: 'unknown partial "nowhere"' },
    ]);
  });

  it('errors Handlebars only finds when compiling are load-time errors too', () => {
    const { problems } = problemsOf({ 'partials/p.hbs': 'x', 'a.yaml': "content: '{{> p a b}}'\n" });
    expect(problems).toMatchObject([
      { path: 'content', line: 1, message: 'Unsupported number of partial arguments: 2' },
    ]);
    const dynamic = problemsOf({ 'a.yaml': 'content: \'{{> (lookup . "x")}}\'\n' }).problems;
    expect(dynamic).toMatchObject([
      { path: 'content', line: 1, column: 11, message: 'dynamic partials are not supported' },
    ]);
  });

  it('invalid YAML, unknown keys and a misused digest are reported with their lines', () => {
    expect(problemsOf({ 'a.yaml': 'content: [unclosed\n' }).problems).toMatchObject([
      { line: 2, message: expect.stringMatching(/^invalid YAML/) },
    ]);
    expect(problemsOf({ 'a.yaml': 'content: x\nembeds:\n  - titel: typo\n' }).problems).toMatchObject([
      { path: 'embeds[0]', line: 3, message: expect.stringMatching(/titel/) },
    ]);
    expect(
      problemsOf({ 'a.yaml': 'embeds:\n  - title: x\n    line: "{{labels.alertname}}"\n' }).problems,
    ).toMatchObject([{ path: 'embeds[0].line', line: 3, message: 'needs lines_for_each' }]);
    expect(
      problemsOf({ 'a.yaml': 'embeds:\n  - lines_for_each: alerts\n    line: x\n    fields: []\n' }).problems,
    ).toMatchObject([{ path: 'embeds[0].fields', line: 4, message: 'a digest has no fields' }]);
  });

  it('every problem of every file is reported at once', () => {
    const { problems } = problemsOf({
      'a.yaml': "content: '{{nope}}x{{nope2 1}}'\n",
      'b.yaml': "content: '{{#if}}'\n",
      'partials/p.hbs': '{{#each}}',
    });
    expect(problems.map((p) => p.file.split('/').pop())).toEqual(['p.hbs', 'a.yaml', 'b.yaml']);
  });
});

describe('runtime errors', () => {
  const set = load({ 'throws.yaml': 'content: "{{#with}}x{{/with}}"\n' });

  it('a template that throws falls back to the shipped default, and says why', () => {
    const out = renderMessages(set, { notification: firing, target: 't', template: 'throws' });
    expect(out.template).toBe('default');
    expect(out.templateError).toMatch(/#with requires exactly one argument/);
    expect(out.messages[0]?.embeds).toHaveLength(2);
  });

  it('an unknown template name falls back too', () => {
    const out = renderMessages(set, { notification: firing, target: 't', template: 'gone' });
    expect(out.templateError).toBe('unknown template "gone"');
  });

  it('a user default that throws falls back to the shipped one', () => {
    const broken = load({ 'default.yaml': 'content: "{{#with}}x{{/with}}"\n' });
    const out = renderMessages(broken, { notification: firing, target: 't', template: 'default' });
    expect(out.templateError).toMatch(/#with/);
    expect(out.messages[0]?.content).toBe('🔴 **2 firing** · HighErrorRate · payment');
  });
});

describe('runtime errors of a Components V2 template', () => {
  const throwing = 'components:\n  - text: "{{#with}}x{{/with}}"\n';
  const isV2 = (m: { flags?: number | undefined } | undefined) =>
    ((m?.flags ?? 0) & MESSAGE_FLAGS.isComponentsV2) !== 0;

  it('falls back to the shipped cards: a V2 message never becomes embeds (an edit would be refused)', () => {
    const out = renderMessages(load({ 'fragile-cards.yaml': throwing }), {
      notification: firing,
      target: 't',
      template: 'fragile-cards',
    });
    expect(out.template).toBe('cards');
    expect(out.templateError).toMatch(/#with requires exactly one argument/);
    expect(out.messages.length).toBeGreaterThan(0);
    for (const m of out.messages) {
      expect(isV2(m)).toBe(true);
      expect(m.embeds).toBeUndefined();
      expect(m.components?.length).toBeGreaterThan(0);
    }
  });

  it('a user cards that throws falls back to the shipped one', () => {
    const out = renderMessages(load({ 'cards.yaml': throwing }), {
      notification: firing,
      target: 't',
      template: 'cards',
    });
    expect(out.templateError).toMatch(/#with/);
    expect(isV2(out.messages[0])).toBe(true);
    expect(JSON.stringify(out.messages[0]?.components)).toContain('Runbook');
  });

  it('an embed template still falls back to the embed default', () => {
    const out = renderMessages(load({ 'throws.yaml': 'content: "{{#with}}x{{/with}}"\n' }), {
      notification: firing,
      target: 't',
      template: 'throws',
    });
    expect(out.template).toBe('default');
    expect(isV2(out.messages[0])).toBe(false);
  });

  it('counts the pages of its fallback: one card per alert', () => {
    // A one-card template over more alerts than a window: its V2 fallback needs two pages.
    const many = {
      ...firing,
      alerts: Array.from({ length: 300 }, (_, i) => ({ ...firing.alerts[0]!, fingerprint: `f${i}` })),
    };
    const set = load({ 'one-card.yaml': 'components:\n  - text: "{{group.receiver}}"\n' });
    expect(pageCount(set, { notification: many, template: 'one-card' })).toBe(2);
  });
});
