import { describe, expect, it } from 'vitest';
import { parseNotification } from '../../../src/alertmanager/payload.js';
import type { ResolvedTarget } from '../../../src/config/load.js';
import { GroupQueue } from '../../../src/delivery/group-queue.js';
import { jobPriority, type Job } from '../../../src/delivery/job.js';
import { defaultSeverityModel, type Priority } from '../../../src/shared/severity.js';

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

  it('replaces a waiting job with the newer state of its group, keeping its arrival and the most urgent priority', () => {
    const q = new GroupQueue(60_000);
    const older = job('g', 'critical', 0);
    q.push(older);
    q.push(job('other', 'high', 5));
    const newer = job('g', 'low', 10);
    expect(q.push(newer)).toBe(older);
    expect(q.size).toBe(2);
    const [first] = q.ready(20);
    expect(first?.key).toBe('g');
    expect(first?.jobs).toHaveLength(1);
    expect(first?.jobs[0]?.notification).toBe(newer.notification);
    expect(first?.jobs[0]?.receivedAt).toBe(0);
    expect(first?.priority).toBe('critical');
    expect(q.depth('critical')).toBe(1);
    expect(q.depth('low')).toBe(0);
  });

  it('keeps resolved alerts only the replaced notification named', () => {
    const q = new GroupQueue(60_000);
    const older = job('g', 'normal', 0);
    older.notification = {
      ...older.notification,
      alerts: older.notification.alerts.map((a) => ({ ...a, status: 'resolved' as const })),
    };
    q.push(older);
    q.push(job('g', 'normal', 10));
    const fingerprints = q.jobs()[0]!.notification.alerts.map((a) => `${a.fingerprint}:${a.status}`);
    expect(fingerprints).toEqual([`f${nextId - 1}:firing`, `f${nextId - 2}:resolved`]);
  });

  it('never replaces a job on its way or partly sent: the newer one waits behind it, later ones replace that', () => {
    const q = new GroupQueue(60_000);
    const sending = job('g', 'low', 0);
    q.push(sending);
    [...q.ready(0)][0]!.busy = true;
    expect(q.push(job('g', 'low', 10))).toBeUndefined();
    const latest = job('g', 'critical', 20);
    expect(q.push(latest)?.receivedAt).toBe(10);
    expect(q.jobs().map((j) => j.notification)).toEqual([sending.notification, latest.notification]);
    expect(q.jobs()[1]!.receivedAt).toBe(10);

    const partly = new GroupQueue(60_000);
    const head = job('h', 'low', 0);
    head.sent = 1;
    partly.push(head);
    expect(partly.push(job('h', 'low', 10))).toBeUndefined();
    expect(partly.size).toBe(2);
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
