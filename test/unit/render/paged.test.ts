import { describe, expect, it } from 'vitest';
import type { Notification } from '../../../src/alertmanager/payload.js';
import { pageCount, renderMessages } from '../../../src/render/render-job.js';
import { WINDOW_SLOTS } from '../../../src/render/render.js';
import { loadTemplateSet } from '../../../src/render/template-set.js';
import { fixedEnv, notification } from '../../support/templates.js';

/** `n` alerts, every third resolved, each with its own instance. */
function group(n: number): Notification {
  const base = notification('storm');
  const alerts = Array.from({ length: n }, (_, i) => {
    const a = structuredClone(base.alerts[i % base.alerts.length]!);
    a.labels.instance = `host-${String(i).padStart(4, '0')}`;
    a.fingerprint = `fp-${i}`;
    if (i % 3 === 0) a.status = 'resolved';
    return a;
  });
  return { ...base, alerts };
}

const hosts = (text: string): string[] => text.match(/host-\d{4}/g) ?? [];

describe('a huge group renders a window of alerts per page', () => {
  const templates = loadTemplateSet(fixedEnv);

  it.each(['default', 'compact'])('%s: pages name every alert once, in the order of one render', (template) => {
    const n = group(1234);
    const whole = renderMessages(templates, { notification: n, target: 't', template });
    const pages = pageCount(templates, { notification: n, template });
    expect(pages).toBeGreaterThan(1);
    const paged = Array.from({ length: pages }, (_, page) =>
      renderMessages(templates, { notification: n, target: 't', template, page }),
    );
    for (const p of paged) {
      // The bound: a page renders at most a window's worth of alerts.
      expect(new Set(hosts(JSON.stringify(p.messages))).size).toBeLessThanOrEqual(WINDOW_SLOTS);
    }
    const named = (m: unknown[]) => hosts(JSON.stringify(m)).filter((h, i, all) => all.indexOf(h) === i);
    expect(named(paged.flatMap((p) => p.messages))).toEqual(named(whole.messages));
    expect(named(whole.messages)).toHaveLength(1234);
    // The content (counts of the whole group) opens the first message only.
    expect(paged[0]!.messages[0]!.content).toBe(whole.messages[0]!.content);
    expect(paged.slice(1).flatMap((p) => p.messages.map((m) => m.content))).toEqual(
      paged.slice(1).flatMap((p) => p.messages.map(() => undefined)),
    );
  });
});
