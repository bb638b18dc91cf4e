import { describe, expect, it } from 'vitest';
import { ChannelWindow } from '../../../../src/delivery/rate-limit/channel-window.js';

const policy = { limit: 30, windowMs: 60_000, criticalReserve: 2 };

/** Fills a window with `n` messages, one every `spacingMs` from `start`. */
function fill(w: ChannelWindow, n: number, start = 0, spacingMs = 0): number {
  let t = start;
  for (let i = 0; i < n; i++, t += spacingMs) w.settle(w.take(t), t);
  return t - spacingMs;
}

describe('ChannelWindow', () => {
  it('allows the limit within any window, then waits for the oldest message to leave it', () => {
    const w = new ChannelWindow({ ...policy, criticalReserve: 0 });
    fill(w, 30, 0, 100);
    expect(w.waitMs(5000, true)).toBe(55_000);
    expect(w.waitMs(60_000, true)).toBe(0);
  });

  it('keeps the critical reserve out of reach of a non-critical backlog', () => {
    const w = new ChannelWindow(policy);
    // A burst at the start of the window: 28 messages, then the reserve.
    fill(w, 28, 0, 400);
    expect(w.waitMs(12_000, false)).toBeGreaterThan(40_000);
    expect(w.waitMs(12_000, true)).toBe(0);
    w.settle(w.take(12_000), 12_000);
    expect(w.waitMs(12_000, true)).toBe(0);
    w.settle(w.take(12_000), 12_000);
    // Now even a critical message must wait: the window is full.
    expect(w.waitMs(12_000, true)).toBe(48_000);
  });

  it('lets a backlog use the reserve slot that frees up within one slot time anyway', () => {
    const w = new ChannelWindow(policy);
    fill(w, 28, 0, 400);
    // The first message leaves the window at 60 s; 2 s before, the reserve is whole again by then.
    expect(w.waitMs(57_000, false)).toBe(1000);
    expect(w.waitMs(58_000, false)).toBe(0);
  });

  it('a shared-scope 429 blocks the channel and teaches a lower ceiling', () => {
    const w = new ChannelWindow({ ...policy, criticalReserve: 0 });
    fill(w, 20, 0, 100);
    expect(w.hitHiddenLimit(41_000, 2000)).toBe(20);
    expect(w.waitMs(2000, true)).toBe(41_000);
    expect(w.limit(43_000)).toBe(20);
    // The ceiling is tried again after ten windows.
    expect(w.limit(2000 + 10 * 60_000)).toBe(30);
  });

  it('never learns a ceiling below half the configured limit from a stray 429', () => {
    const w = new ChannelWindow({ ...policy, criticalReserve: 0 });
    fill(w, 2, 0, 100);
    expect(w.hitHiddenLimit(1000, 500)).toBe(15);
  });
});

describe('ChannelWindow snapshot and restore', () => {
  it('a window restored from a snapshot waits as the original does and keeps its block and ceiling', () => {
    const a = new ChannelWindow(policy);
    fill(a, 20, 0, 1000);
    a.hitHiddenLimit(5000, 20_000);
    const b = new ChannelWindow(policy);
    expect(b.restore(a.snapshot(20_000), 20_000)).toBe(true);
    for (const now of [20_000, 25_000, 40_000, 61_000]) {
      for (const critical of [true, false]) expect(b.waitMs(now, critical)).toBe(a.waitMs(now, critical));
      expect(b.drainMs(5, now)).toBe(a.drainMs(5, now));
    }
    expect(b.limit(30_000)).toBe(20);
    expect(b.relevantUntil(20_000)).toBe(a.relevantUntil(20_000));
  });

  it('keeps the newest messages up to the limit, and times as they were', () => {
    const w = new ChannelWindow({ ...policy, limit: 3, criticalReserve: 0 });
    fill(w, 5, 0, 10);
    expect(w.snapshot(100)).toEqual({ sent: [20, 30, 40], blockedUntil: 0, learned: undefined });
  });

  it('drops what has left the window, and counts a time ahead of the clock as now', () => {
    const w = new ChannelWindow({ ...policy, criticalReserve: 0 });
    const snapshot = { sent: [1000, 70_000, 200_000], blockedUntil: 50_000, learned: undefined };
    expect(w.restore(snapshot, 100_000)).toBe(true);
    expect(w.snapshot(100_000).sent).toEqual([70_000, 100_000]);
    expect(w.waitMs(100_000, true)).toBe(0);
    expect(new ChannelWindow(policy).restore({ ...snapshot, sent: [1000] }, 100_000)).toBe(false);
  });

  it('a restored ceiling lasts no longer than ten windows and never allows more than the limit', () => {
    const w = new ChannelWindow({ ...policy, criticalReserve: 0 });
    expect(w.restore({ sent: [], blockedUntil: 0, learned: { limit: 40, until: 9e12 } }, 0)).toBe(false);
    expect(w.restore({ sent: [], blockedUntil: 0, learned: { limit: 18, until: 9e12 } }, 0)).toBe(true);
    expect(w.limit(599_999)).toBe(18);
    expect(w.limit(600_000)).toBe(30);
  });
});
