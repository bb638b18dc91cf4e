/**
 * A deterministic corpus of hostile requests to POST /alerts. Each case knows the status it
 * must get, by construction. Same seed, same corpus: a failure can be replayed.
 */
import { fixture } from '../fixtures/index.js';
import { seededRandom as prng } from '../support/seeded-random.js';

export interface HostileCase {
  kind: string;
  contentType: string;
  body: string | Buffer;
  /** Acceptable statuses. */
  expect: number[];
}

type Json = Record<string, unknown> & { alerts: Record<string, unknown>[] };

const INJECTIONS = [
  '@everyone @here',
  '<@&123456789012345678> <@123456789012345678> <@!1> <#1>',
  '**bold** __under__ ~~strike~~ ||spoiler|| `code` ```block``` > quote\n# heading\n- list',
  '[Alertmanager](https://evil.example/#/silences) [x](javascript:alert(1))',
  '"}]},"content":"@everyone","embeds":[{"title":"pwned',
  '\\", \\n \\\\ \\u0000 {{helper}} {{{raw}}} {{> partial}}',
  '\u202eelbisivni\u202c \u2066isolate\u2069 \u200b\u200c\u200d\ufeff zero-width',
  '\u0000NUL \u0007 bell \u001b[31m ANSI',
  '🔥👩‍👩‍👧‍👦🏳️‍🌈 \ud83d (lone high) \ude00 (lone low)',
  '<script>alert(1)</script> <img src=x onerror=alert(1)>',
  '</t:1:R> <t:99999999999:R> <a:emoji:1>',
];

const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '__defineGetter__'];

const pick = <T>(r: () => number, list: readonly T[]): T => list[Math.floor(r() * list.length)]!;

function base(): Json {
  return fixture('firing') as Json;
}

const json = (body: unknown, expect: number[], kind: string): HostileCase => ({
  kind,
  contentType: 'application/json',
  body: JSON.stringify(body),
  expect,
});

/** Valid payloads whose text is hostile: must be accepted and rendered safely. */
function hostileText(r: () => number): HostileCase {
  const b = base();
  const text = Array.from({ length: 1 + Math.floor(r() * 3) }, () => pick(r, INJECTIONS)).join(' ');
  const alert = b.alerts[0]!;
  const where = Math.floor(r() * 4);
  if (where === 0) alert.annotations = { summary: text, description: text };
  else if (where === 1) alert.labels = { ...(alert.labels as object), alertname: text, instance: text };
  else if (where === 2) b.commonLabels = { alertname: text, service: text };
  else alert.generatorURL = text;
  return json(b, [200], 'hostile-text');
}

function hugeValues(r: () => number): HostileCase {
  const b = base();
  const size = [10_000, 50_000, 100_000][Math.floor(r() * 3)]!;
  b.alerts[0]!.annotations = { summary: 'S'.repeat(size), description: '🔥'.repeat(size / 2) };
  b.alerts[0]!.labels = { ...(b.alerts[0]!.labels as object), instance: 'i'.repeat(size) };
  return json(b, [200], 'huge-values');
}

function manyLabels(r: () => number): HostileCase {
  const b = base();
  const n = r() < 0.1 ? 10_000 : 200 + Math.floor(r() * 800);
  const labels: Record<string, string> = { alertname: 'ManyLabels', severity: 'critical' };
  for (let i = 0; i < n; i++) labels[`label_${i}`] = `value_${i}`;
  b.alerts[0]!.labels = labels;
  return json(b, [200], 'many-labels');
}

function manyAlerts(r: () => number): HostileCase {
  const b = base();
  const n = 50 + Math.floor(r() * 250);
  const a = b.alerts[0]!;
  b.alerts = Array.from({ length: n }, (_, i) => ({
    ...a,
    fingerprint: `fp${i}`,
    labels: { ...(a.labels as object), i: String(i) },
  }));
  return json(b, [200], 'many-alerts');
}

function protoKeys(r: () => number): HostileCase {
  const b = base();
  const key = pick(r, PROTO_KEYS);
  // Built as text: JSON.stringify would not emit a real "__proto__" key.
  const text = JSON.stringify(b)
    .replace('"labels":{', `"labels":{"${key}":"polluted",`)
    .replace('{"version"', `{"${key}":{"polluted":true},"version"`);
  return { kind: 'proto-keys', contentType: 'application/json', body: text, expect: [200, 400] };
}

function wrongType(r: () => number): HostileCase {
  const b = base();
  const notString = [null, 0, -1, 1.5, true, [], {}, [1, 2], { a: 1 }];
  const notObject = [null, 0, true, 'x', '', [], [1, 2]];
  // Each field with values that are wrong for it.
  const fields: [(v: unknown) => void, unknown[]][] = [
    [(v) => (b.version = v), [...notString, '3', '', 'x']],
    [(v) => (b.status = v), [...notString, 'burning', '']],
    [(v) => (b.groupKey = v), [...notString, '']],
    [(v) => (b.alerts = v as never), [null, 0, 'alerts', {}, [], [1], ['x']]],
    [(v) => (b.alerts[0]!.labels = v), notObject],
    [(v) => (b.alerts[0]!.labels = { alertname: v }), notString],
    [(v) => (b.alerts[0]!.status = v), [...notString, 'pending']],
    [(v) => (b.alerts[0]!.startsAt = v), [...notString, 'yesterday', '2026-13-45T99:00:00Z']],
    [(v) => (b.alerts[1]!.fingerprint = v), [...notString, '', 'f'.repeat(300)]],
    [(v) => (b.truncatedAlerts = v), [null, -1, 1.5, true, 'x', [], {}]],
  ];
  const [set, values] = pick(r, fields);
  set(pick(r, values));
  return json(b, [400], 'wrong-type');
}

function missingField(r: () => number): HostileCase {
  const b = base();
  const drops: (() => void)[] = [
    () => delete b.version,
    () => delete b.groupKey,
    () => delete b.status,
    () => delete b.receiver,
    () => delete (b as Record<string, unknown>).alerts,
    () => delete b.alerts[0]!.labels,
    () => delete b.alerts[0]!.status,
    () => delete b.alerts[0]!.startsAt,
    () => delete b.alerts[1]!.fingerprint,
  ];
  pick(r, drops)();
  return json(b, [400], 'missing-field');
}

function deepNesting(r: () => number): HostileCase {
  const depth = [100, 1_000, 10_000, 100_000][Math.floor(r() * 4)]!;
  const nested = '['.repeat(depth) + ']'.repeat(depth);
  const b = JSON.stringify(base()).replace('"labels":{', `"labels":{"deep":${nested},`);
  return { kind: 'deep-nesting', contentType: 'application/json', body: b, expect: [400] };
}

function invalidUtf8(r: () => number): HostileCase {
  const text = JSON.stringify(base());
  const at = text.indexOf('5xx rate');
  const bad = [
    Buffer.from([0xff]),
    Buffer.from([0xc3, 0x28]),
    Buffer.from([0xed, 0xa0, 0x80]),
    Buffer.from([0xf8, 0x88, 0x80, 0x80, 0x80]),
  ];
  return {
    kind: 'invalid-utf8',
    contentType: 'application/json',
    body: Buffer.concat([Buffer.from(text.slice(0, at)), pick(r, bad), Buffer.from(text.slice(at))]),
    expect: [200],
  };
}

function malformedJson(r: () => number): HostileCase {
  const text = JSON.stringify(base());
  const cut = Math.floor(r() * (text.length - 1));
  const variants = [text.slice(0, cut), `${text},`, text.replace('{', '{{'), "{'version':'4'}", 'NaN', '', '\u0000'];
  return { kind: 'malformed-json', contentType: 'application/json', body: pick(r, variants), expect: [400] };
}

function notAnObject(r: () => number): HostileCase {
  return {
    kind: 'not-an-object',
    contentType: 'application/json',
    body: JSON.stringify(pick(r, [null, 1, 'x', [], [base()], true])),
    expect: [400],
  };
}

function wrongContentType(r: () => number): HostileCase {
  const type = pick(r, [
    'text/plain',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/xml',
    'image/png',
    '',
  ]);
  return { kind: 'wrong-content-type', contentType: type, body: JSON.stringify(base()), expect: [415] };
}

const WEIGHTED: [number, (r: () => number) => HostileCase][] = [
  [20, hostileText],
  [3, hugeValues],
  [2, manyLabels],
  [2, manyAlerts],
  [6, protoKeys],
  [20, wrongType],
  [12, missingField],
  [3, deepNesting],
  [6, invalidUtf8],
  [12, malformedJson],
  [5, notAnObject],
  [9, wrongContentType],
];

export function* hostileCorpus(seed: number, count: number): Generator<HostileCase> {
  const r = prng(seed);
  const total = WEIGHTED.reduce((n, [w]) => n + w, 0);
  for (let i = 0; i < count; i++) {
    let x = r() * total;
    const gen = WEIGHTED.find(([w]) => (x -= w) < 0)?.[1] ?? hostileText;
    yield gen(r);
  }
}

/** Bodies over the limit: a handful is enough, each is a body limit of traffic. */
export function oversized(limitBytes: number): HostileCase[] {
  const b = base();
  b.alerts[0]!.annotations = { description: 'x'.repeat(limitBytes) };
  return [
    json(b, [413], 'oversized'),
    {
      kind: 'oversized-garbage',
      contentType: 'application/json',
      body: Buffer.alloc(limitBytes + 1, 0x7b),
      expect: [413],
    },
  ];
}
