/**
 * A storm through the real Alertmanager: `total` alerts pushed to its API v2 over `spreadMs`,
 * grouped by alertname and service (group_wait 1 s, group_interval 2 s), delivered by alertcord
 * to the emulator; resolved `resolveAfterMs` after the last push (posted again with endsAt now).
 * Visibility is judged as the Discord client shows a message (test/support/channel-state.ts).
 */
import { writeFileSync } from 'node:fs';
import { oneChannel } from './one-channel.js';
import { startAlertmanager, type PostableAlert } from '../../test/support/alertmanager.js';
import { seededRandom } from '../../test/support/seeded-random.js';
import type { Limits } from './floor.js';
import { percentile } from './observe.js';
import { storm } from './scenario.js';
import { channelState, shownParts } from '../../test/support/channel-state.js';

export interface ThroughAlertmanagerResult {
  alerts: number;
  visible: number;
  stillFiring: number;
  emptyMessages: number;
  requests: number;
  edits: number;
  deletes: number;
  status400: number;
  status429: number;
  maxVisibleMs: number;
  criticalP95Ms: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

export async function throughAlertmanager(o: {
  total: number;
  spreadMs: number;
  resolveAfterMs: number;
  /** Writes the channel's final messages there, for a look at what a figure counts. */
  dumpTo?: string | undefined;
  seed: number;
  reserve: number;
  limits: Limits;
}): Promise<ThroughAlertmanagerResult> {
  const { emulator, service } = await oneChannel(o.limits, o.reserve, () => undefined);
  const am = await startAlertmanager({
    receivers: [{ name: 'alertcord', url: `${service.url}/alerts` }],
    groupBy: ['alertname', 'service'],
    groupWait: '1s',
    groupInterval: '2s',
    logLevel: 'warn',
  });
  try {
    const groups = storm(o.total, o.spreadMs, seededRandom(o.seed));
    const postedAt = new Map<string, number>();
    const critical = new Set<string>();
    const all: PostableAlert[] = [];
    const firstVisible = new Map<string, number>();
    const observe = () => {
      const now = Date.now();
      for (const m of emulator.messages)
        for (const p of shownParts(m)) for (const id of p.ids) if (!firstVisible.has(id)) firstVisible.set(id, now);
    };
    const watching = setInterval(observe, 100);

    const start = Date.now() + 100;
    for (const g of groups) {
      await sleep(start + g.at - Date.now());
      const body = g.body as { alerts: (PostableAlert & { startsAt: string })[] };
      const alerts = body.alerts.map((a) => ({
        labels: a.labels,
        annotations: a.annotations ?? {},
        startsAt: a.startsAt,
        ...(a.generatorURL !== undefined ? { generatorURL: a.generatorURL } : {}),
      }));
      await am.postAlerts(alerts);
      const at = Date.now();
      for (const a of g.alerts) {
        postedAt.set(a.id, at);
        if (a.severity === 'critical') critical.add(a.id);
      }
      all.push(...alerts);
    }
    await sleep(o.resolveAfterMs);
    await am.resolveAlerts(all);
    // Settled: nothing queued and no request to Discord for a while.
    const deadline = Date.now() + 10 * 60_000;
    while (Date.now() < deadline) {
      await sleep(500);
      const last = emulator.requests.at(-1)?.at ?? 0;
      if (service.delivery.queued === 0 && Date.now() - last > 8000) break;
    }
    clearInterval(watching);
    observe();

    const final = channelState(emulator.messages);
    const firingNow = new Set(final.firing);
    if (o.dumpTo) writeFileSync(o.dumpTo, JSON.stringify({ final, messages: emulator.messages }, null, 1));
    const latency = (ids: Iterable<string>) =>
      [...ids].flatMap((id) => {
        const seen = firstVisible.get(id);
        return seen === undefined ? [] : [seen - postedAt.get(id)!];
      });
    const counts = emulator.counts();
    const method = (m: string) => emulator.requests.filter((r) => r.method === m && r.status < 300).length;
    return {
      alerts: postedAt.size,
      visible: [...postedAt.keys()].filter((id) => firstVisible.has(id)).length,
      stillFiring: [...postedAt.keys()].filter((id) => firingNow.has(id)).length,
      emptyMessages: final.empty,
      requests: counts.total,
      edits: method('PATCH'),
      deletes: method('DELETE'),
      status400: counts.status400,
      status429: counts.byStatus[429] ?? 0,
      maxVisibleMs: Math.max(...latency(postedAt.keys())),
      criticalP95Ms: percentile(latency(critical), 95),
    };
  } finally {
    await am.stop();
    await service.shutdown();
    await emulator.close();
  }
}
