/**
 * Measures how long one pathological notification blocks the event loop while the real
 * service (in this process, real clock) receives it, renders it and delivers it to the Discord
 * emulator with Discord's limits. Each case gets a fresh service, so a backlog left by one
 * case never weighs on the next.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { resolveConfig } from '../../src/config/load.js';
import { startService } from '../../src/main.js';
import type { Emulator } from '../emulator/index.js';
import { HOSTILE_MATCHERS, type PathologicalCase } from './pathological.js';

export interface CaseResult {
  name: string;
  bodyBytes: number;
  status: number;
  /** Worst event-loop delay seen by perf_hooks (10 ms resolution), in ms. */
  histogramMaxMs: number;
  /** Worst lateness of a 10 ms interval timer, in ms. */
  probeMaxMs: number;
  /** Messages the emulator accepted for the case. */
  delivered: number;
  /** true: everything delivered; false: the wait was cut at `capMs`. */
  drained: boolean;
  elapsedMs: number;
  /** Matchers the config refused (so the route was built without them). */
  refused: string[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function configFor(emulator: Emulator, matchers: string[]) {
  const hooks = { rich: emulator.createWebhook(), digest: emulator.createWebhook(), matched: emulator.createWebhook() };
  const loaded = resolveConfig(
    {
      server: { host: '127.0.0.1', port: 0 },
      log: { level: 'silent' },
      dedup: { window: 0 },
      discord: { api_base_url: emulator.url },
      delivery: { drain_timeout: '1s' },
      targets: {
        rich: { webhook_url: hooks.rich.url },
        digest: { webhook_url: hooks.digest.url, template: 'compact' },
        matched: { webhook_url: hooks.matched.url },
      },
      routes: [...(matchers.length > 0 ? [{ matchers, targets: ['matched'] }] : []), { targets: ['rich', 'digest'] }],
    },
    {},
    'hostile',
  );
  return { loaded, hooks };
}

/** The route's matchers the config accepts, each tried alone: a refused one is reported, not fatal. */
function acceptedMatchers(emulator: Emulator): { accepted: string[]; refused: string[] } {
  const accepted: string[] = [];
  const refused: string[] = [];
  for (const m of HOSTILE_MATCHERS) (configFor(emulator, [m]).loaded.ok ? accepted : refused).push(m);
  return { accepted, refused };
}

export async function measureCase(emulator: Emulator, c: PathologicalCase, capMs: number): Promise<CaseResult> {
  const { accepted, refused } = acceptedMatchers(emulator);
  const { loaded, hooks } = configFor(emulator, accepted);
  if (!loaded.ok) throw new Error(loaded.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  const service = await startService({ config: loaded.config, logSink: { write: () => {} } });
  const body = c.body();
  const delivered = () =>
    [hooks.rich, hooks.digest, hooks.matched].reduce((n, h) => n + emulator.messagesFor(h.id).length, 0);
  try {
    await sleep(20);
    const histogram = monitorEventLoopDelay({ resolution: 10 });
    let probeMaxMs = 0;
    let last = performance.now();
    const probe = setInterval(() => {
      const now = performance.now();
      probeMaxMs = Math.max(probeMaxMs, now - last - 10);
      last = now;
    }, 10);
    histogram.enable();
    const start = performance.now();
    const res = await fetch(`${service.url}/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    await res.arrayBuffer();
    let drained = false;
    while (performance.now() - start < capMs) {
      if (service.delivery.queued === 0 && delivered() > 0) {
        drained = true;
        break;
      }
      await sleep(10);
    }
    const elapsedMs = performance.now() - start;
    histogram.disable();
    clearInterval(probe);
    return {
      name: c.name,
      bodyBytes: Buffer.byteLength(body),
      status: res.status,
      histogramMaxMs: histogram.max / 1e6,
      probeMaxMs,
      delivered: delivered(),
      drained,
      elapsedMs,
      refused,
    };
  } finally {
    await service.shutdown();
  }
}
