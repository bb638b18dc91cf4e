import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { parseNotification, type Notification } from '../../../src/alertmanager/payload.js';
import { fixture } from '../../fixtures/index.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** A group as JSON.parse hands it over: every repeated value a string of its own. */
function group(alerts: number, common: string): string {
  return JSON.stringify({
    ...fixture('storm'),
    commonLabels: { team: common },
    alerts: Array.from({ length: alerts }, (_, i) => ({
      status: 'firing',
      labels: { alertname: 'HighLatency', team: common, instance: `node-${i}` },
      annotations: { runbook_url: common },
      startsAt: '2026-11-28T00:00:00Z',
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL: common,
      fingerprint: i.toString(16).padStart(16, '0'),
    })),
  });
}

function parse(text: string): Notification {
  const parsed = parseNotification(JSON.parse(text));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.notification;
}

describe('a parsed notification', () => {
  it('keeps every value as Alertmanager sent it', () => {
    const text = group(3, 'team-a');
    expect(parse(text)).toEqual(JSON.parse(text));
    expect(parse(JSON.stringify(fixture('storm')))).toEqual(fixture('storm'));
  });

  it('holds a value repeated across its alerts once, not once per alert', () => {
    // 2,000 alerts repeating a 2 KB value three times: 12 MB if each alert kept its own copies.
    const common = 'x'.repeat(2048);
    const text = group(2000, common);
    gc();
    const before = process.memoryUsage().heapUsed;
    const kept = parse(text);
    gc();
    const retained = process.memoryUsage().heapUsed - before;
    expect(kept.alerts).toHaveLength(2000);
    expect(retained).toBeLessThan(4 * 1024 * 1024);
  });
});
