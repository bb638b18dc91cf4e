import { describe, expect, it } from 'vitest';
import { parseNotification } from '../../../src/alertmanager/payload.js';
import type { ResolvedTarget } from '../../../src/config/load.js';
import { GroupQueue } from '../../../src/delivery/group-queue.js';
import { jobPriority, type Job } from '../../../src/delivery/job.js';
import { defaultSeverityModel, type Priority } from '../../../src/routing/severity.js';

const target = { name: 't', template: 'default', dry_run: true, webhooks: [] } as ResolvedTarget;
let nextId = 1;

function job(groupKey: string, priority: Priority, receivedAt: number): Job {
  const parsed = parseNotification({
    version: '4',
    groupKey,
    status: 'firing',
    receiver: 'r',
    alerts: [{ status: 'firing', labels: {}, startsAt: '2026-01-01T00:00:00Z', fingerprint: `f${nextId}` }],
  });
  if (!parsed.ok) throw new Error('bad notification');
  return {
    id: nextId++,
    target,
    notification: parsed.notification,
    priority,
    receivedAt,
    bytes: 100,
    attempts: 0,
    notBefore: 0,
    parts: undefined,
    sent: 0,
    webhookId: undefined,
  };
}

const order = (q: GroupQueue, now: number) => [...q.ready(now)].map((g) => g.key);

describe('GroupQueue', () => {
  it('orders by priority class, then oldest first', () => {
    const q = new GroupQueue(60_000);
    q.push(job('low-old', 'low', 0));
    q.push(job('normal', 'normal', 10));
    q.push(job('critical-new', 'critical', 30));
    q.push(job('critical-old', 'critical', 20));
    q.push(job('high', 'high', 40));
    expect(order(q, 50)).toEqual(['critical-old', 'critical-new', 'high', 'normal', 'low-old']);
    expect(q.depth('critical')).toBe(2);
    expect(q.size).toBe(5);
    expect(q.oldest()).toBe(0);
  });

  it('ages a waiting message one class per aging period, so low priority is never starved', () => {
    const q = new GroupQueue(60_000);
    q.push(job('low', 'low', 0));
    q.push(job('high', 'high', 100_000));
    // Two classes apart, and only 100 s (1.67 periods) older: high still goes first.
    expect(order(q, 100_000)).toEqual(['high', 'low']);
    q.push(job('fresh-high', 'high', 130_000));
    // More than two periods older than fresh-high: low goes before it.
    expect(order(q, 130_000)).toEqual(['high', 'low', 'fresh-high']);
    // Everything waiting long enough ends up just below critical, oldest first.
    expect(order(q, 200_000)).toEqual(['low', 'high', 'fresh-high']);
  });

  it('never ages anything past critical', () => {
    const q = new GroupQueue(1000);
    q.push(job('ancient-low', 'low', 0));
    q.push(job('fresh-critical', 'critical', 1_000_000));
    expect(order(q, 1_000_000)).toEqual(['fresh-critical', 'ancient-low']);
  });

  it('sends the jobs of one group in arrival order, at the most urgent priority among them', () => {
    const q = new GroupQueue(60_000);
    q.push(job('g', 'low', 0));
    q.push(job('other', 'high', 5));
    q.push(job('g', 'critical', 10));
    const [first] = q.ready(20);
    expect(first?.key).toBe('g');
    expect(first?.priority).toBe('critical');
    expect(first?.jobs[0]?.priority).toBe('low');
    q.shift(first!);
    expect(order(q, 20)).toEqual(['g', 'other']);
    expect(q.depth('low')).toBe(0);
    expect(q.depth('critical')).toBe(1);
  });

  it('skips groups on their way to Discord and those waiting out a retry backoff', () => {
    const q = new GroupQueue(60_000);
    const retrying = job('retrying', 'critical', 0);
    retrying.notBefore = 5000;
    q.push(retrying);
    q.push(job('busy', 'high', 0));
    q.push(job('ready', 'low', 0));
    [...q.ready(0)].find((g) => g.key === 'busy')!.busy = true;
    expect(order(q, 0)).toEqual(['ready']);
    expect(order(q, 5000)).toEqual(['retrying', 'ready']);
  });

  it('finds heads older than a bound, except those on their way', () => {
    const q = new GroupQueue(60_000);
    q.push(job('old', 'low', 0));
    q.push(job('busy-old', 'low', 1));
    q.push(job('new', 'low', 100));
    [...q.ready(0)].find((g) => g.key === 'busy-old')!.busy = true;
    expect(q.expired(50).map((g) => g.key)).toEqual(['old']);
  });
});

describe('jobPriority', () => {
  const n = (alerts: { status: 'firing' | 'resolved'; severity: string }[]) => {
    const parsed = parseNotification({
      version: '4',
      groupKey: 'g',
      status: alerts.some((a) => a.status === 'firing') ? 'firing' : 'resolved',
      receiver: 'r',
      alerts: alerts.map((a, i) => ({
        status: a.status,
        labels: { severity: a.severity },
        startsAt: '2026-01-01T00:00:00Z',
        fingerprint: `f${i}`,
      })),
    });
    if (!parsed.ok) throw new Error('bad notification');
    return parsed.notification;
  };

  it('is the most urgent of the firing alerts', () => {
    const mixed = n([
      { status: 'firing', severity: 'info' },
      { status: 'firing', severity: 'warning' },
      { status: 'resolved', severity: 'critical' },
    ]);
    expect(jobPriority(mixed, defaultSeverityModel)).toBe('normal');
    expect(jobPriority(n([{ status: 'firing', severity: 'critical' }]), defaultSeverityModel)).toBe('critical');
  });

  it('resolved-only notifications are never critical', () => {
    expect(jobPriority(n([{ status: 'resolved', severity: 'critical' }]), defaultSeverityModel)).toBe('normal');
    expect(jobPriority(n([{ status: 'resolved', severity: 'info' }]), defaultSeverityModel)).toBe('low');
  });
});
