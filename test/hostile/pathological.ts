/**
 * Notifications whose text is built to hit the slow path of whatever code reads it: newline
 * and whitespace floods (backtracking over line starts), markdown markers on every line,
 * mention floods, combining marks, emoji sequences, huge label sets and groups, and label
 * values against backtracking-prone regex matchers. Valid payloads, every one: the receiver
 * answers 200 and the cost, if any, comes later, when the message is rendered.
 * Shared by `npm run bench:hostile` and the event-loop guard test.
 */

export interface PathologicalCase {
  name: string;
  /** The request body, built on demand: each is about `bytes` long. */
  body: () => string;
  alerts: number;
}

/** The route a matcher case is sent through: regexes that backtrack in a naive engine. */
export const HOSTILE_MATCHERS = ['instance=~"(a+)+b"', 'job=~".*foo.*bar"'];

export const MB = 1_000_000;

const repeatTo = (unit: string, chars: number): string => unit.repeat(Math.max(1, Math.floor(chars / unit.length)));

interface AlertText {
  description: string;
  summary?: string;
  labels?: Record<string, string>;
}

const STARTS_AT = '2026-11-27T23:47:01.12Z';

function alert(i: number, t: AlertText): Record<string, unknown> {
  return {
    status: 'firing',
    labels: { alertname: 'Hostile', severity: 'critical', instance: `host-${i}`, ...t.labels },
    annotations: { summary: t.summary ?? 'hostile text', description: t.description },
    startsAt: STARTS_AT,
    endsAt: '0001-01-01T00:00:00Z',
    generatorURL: 'http://prometheus.example:9090/graph',
    fingerprint: `fp${i}`,
  };
}

function notification(name: string, alerts: Record<string, unknown>[], common: Record<string, string> = {}): string {
  return JSON.stringify({
    version: '4',
    groupKey: `{}:{alertname="Hostile", case="${name}"}`,
    truncatedAlerts: 0,
    status: 'firing',
    receiver: 'discord',
    groupLabels: { alertname: 'Hostile', case: name },
    commonLabels: { alertname: 'Hostile', severity: 'critical', ...common },
    commonAnnotations: { summary: common.summary ?? 'hostile text' },
    externalURL: 'http://alertmanager.example:9093',
    alerts,
  });
}

/**
 * One alert whose text is `unit` repeated: most of it in the description, a tenth in the
 * summary, the instance label (a field), the cluster label (the footer) and the group's
 * common summary (a digest's header), so every kind of leaf sees it.
 */
function flood(name: string, unit: string, bytes: number): PathologicalCase {
  return {
    name,
    alerts: 1,
    body: () => {
      // Bytes per UTF-16 unit in the body: JSON escapes "\n" as two bytes, UTF-8 takes 2-4.
      const perChar = (Buffer.byteLength(JSON.stringify(unit)) - 2) / unit.length;
      const chars = bytes / perChar;
      const big = repeatTo(unit, chars * 0.6);
      const small = repeatTo(unit, chars * 0.1);
      return notification(
        name,
        [alert(0, { description: big, summary: small, labels: { instance: small, cluster: small } })],
        {
          summary: small,
        },
      );
    },
  };
}

function manyLabels(count: number): PathologicalCase {
  return {
    name: `${count} labels`,
    alerts: 1,
    body: () => {
      const labels: Record<string, string> = {};
      for (let i = 0; i < count; i++) labels[`label_${i}`] = `value-${i}-${'x'.repeat(20)}`;
      return notification('labels', [alert(0, { description: 'many labels', labels })]);
    },
  };
}

function manyAlerts(count: number): PathologicalCase {
  return {
    name: `${count} alerts`,
    alerts: count,
    body: () =>
      notification(
        'alerts',
        Array.from({ length: count }, (_, i) =>
          alert(i, { description: `alert ${i} of a large group`, summary: `alert ${i}` }),
        ),
      ),
  };
}

function regexMatchers(bytes: number): PathologicalCase {
  return {
    name: 'label vs (a+)+b, .*foo.*bar',
    alerts: 1,
    body: () =>
      notification('matchers', [
        alert(0, {
          description: 'long label values against regex matchers',
          labels: { instance: 'a'.repeat(bytes / 2), job: 'foo'.repeat(bytes / 6) },
        }),
      ]),
  };
}

/** The corpus, each body about `bytes` long (1 MB by default). */
export function pathologicalCases(bytes = MB): PathologicalCase[] {
  return [
    flood('newlines', '\n', bytes),
    flood('CRLF', '\r\n', bytes),
    flood('whitespace', ' \t ', bytes),
    flood('"> " lines', '> x\n', bytes),
    flood('"# " lines', '# x\n', bytes),
    flood('"- " lines', '- x\n', bytes),
    flood('"1. " lines', '1. x\n', bytes),
    flood('indented markers', '   \t>>> \n', bytes),
    flood('@ + newlines', '@\n\n\n\n\n\n\n', bytes),
    flood('@everyone', '@everyone ', bytes),
    flood('<@ flood', '<@', bytes),
    flood('markdown', '*_~|`[]\\', bytes),
    flood('zalgo', 'Z\u0301\u0302\u0303\u0304\u0305\u0306\u0307\u0308\u0309\u030a', bytes),
    flood('emoji ZWJ', '👩‍👩‍👧‍👦', bytes),
    manyLabels(20_000),
    manyAlerts(5_000),
    regexMatchers(bytes),
  ];
}

/** The corpus plus one case just under `bodyLimit`: the worst a single request can carry. */
export function pathologicalCorpus(bytes = MB, bodyLimit?: number): PathologicalCase[] {
  const cases = pathologicalCases(bytes);
  if (bodyLimit !== undefined) cases.push(flood('newlines at the body limit', '\n', bodyLimit * 0.85));
  return cases;
}
