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
