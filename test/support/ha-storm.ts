/**
 * The storm of bench/storm/scenario.ts pushed through the real Alertmanager into a cluster of
 * replicas (test/support/ha-cluster.ts), optionally SIGKILLing the dispatcher mid-storm, then
 * every alert resolved. Run by `npm run bench:ha`, which prints what it found against the targets.
 */
import { storm } from '../../bench/storm/scenario.js';
import { percentile } from '../../bench/storm/observe.js';
import { startAlertmanager, type PostableAlert } from './alertmanager.js';
import { shownParts } from './channel-state.js';
import { haFigures, settle, type HaFigures } from './ha-figures.js';
import { replicaWithRole, startHaCluster, type HaCluster } from './ha-cluster.js';
import type { BalanceMode } from './round-robin-proxy.js';
import { seededRandom } from './seeded-random.js';

export interface HaStormOptions {
  replicas: number;
  mode?: BalanceMode;
  total: number;
  /** The alerts are pushed to Alertmanager over this long. */
  spreadMs: number;
  /** SIGKILL the replica whose status says dispatcher this long after the first push. */
  killAfterMs?: number;
  seed: number;
  /** How long to wait for every alert to be named, and then for the resolutions. */
  settleTimeoutMs: number;
}

export interface HaStormResult extends HaFigures {
  /** Who was killed, as its status reported it; undefined when no replica said dispatcher. */
  killed: { name: string; role: 'dispatcher' } | { name: string; role: 'none reported' } | undefined;
  /** A survivor reported the dispatcher role within 10 s of the kill. */
  newDispatcher: string | undefined;
  /** Push to Alertmanager → first shown in Discord, for the critical alerts. */
  criticalP95Ms: number;
  /** With no kill: groups reposted after the time a kill would have come (the lifecycle's moves). */
  repostedWithoutKill: string[];
  /** Whether the channel settled (every alert named, then every one resolved) in time. */
  settled: { fired: boolean; resolved: boolean };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

/** The real Alertmanager in front of a cluster, grouping as the storm scenario expects. */
export function stormAlertmanager(cluster: HaCluster): ReturnType<typeof startAlertmanager> {
  return startAlertmanager({
    receivers: [{ name: 'alertcord', url: `${cluster.proxy.url}/alerts` }],
    groupBy: ['alertname', 'service'],
    groupWait: '1s',
    groupInterval: '2s',
    logLevel: 'warn',
  });
}

export async function runHaStorm(o: HaStormOptions): Promise<HaStormResult> {
  const cluster: HaCluster = await startHaCluster({ replicas: o.replicas, mode: o.mode ?? 'connection' });
  const am = await stormAlertmanager(cluster);
  try {
    const { emulator } = cluster;
    const groups = storm(o.total, o.spreadMs, seededRandom(o.seed));
    const groupOf = new Map<string, string>();
    const critical: string[] = [];
    const pushedAt = new Map<string, number>();
    const all: PostableAlert[] = [];
    const firstShown = new Map<string, number>();
    const observe = () => {
      const now = Date.now();
      for (const m of emulator.messages)
        for (const p of shownParts(m)) for (const id of p.ids) if (!firstShown.has(id)) firstShown.set(id, now);
    };
    const watching = setInterval(observe, 100);

    // Known before the storm, so that the kill happens on time.
    const dispatcher = o.killAfterMs === undefined ? undefined : await replicaWithRole(cluster, 'dispatcher');
    let killAt: number | undefined;
    let killed: HaStormResult['killed'];
    const start = Date.now() + 100;
    const killing =
      o.killAfterMs === undefined
        ? Promise.resolve()
        : sleep(start + o.killAfterMs - Date.now()).then(async () => {
            // Without a reported dispatcher the first replica goes: the figures still say what a crash costs.
            const victim = dispatcher ?? cluster.replicas[0]!;
            killed = { name: victim.name, role: dispatcher ? 'dispatcher' : 'none reported' };
            killAt = Date.now();
            await victim.kill();
          });
    for (const g of groups) {
      await sleep(start + g.at - Date.now());
      const body = g.body as { alerts: Array<PostableAlert & { startsAt: string }> };
      const alerts = body.alerts.map((a) => ({
        labels: a.labels,
        annotations: a.annotations ?? {},
        startsAt: a.startsAt,
      }));
      await am.postAlerts(alerts);
      const at = Date.now();
      for (const [i, a] of g.alerts.entries()) {
        const labels = alerts[i]!.labels;
        groupOf.set(a.id, `${labels.alertname}/${labels.service}`);
        pushedAt.set(a.id, at);
        if (a.severity === 'critical') critical.push(a.id);
      }
      all.push(...alerts);
    }
    await killing;
    const newDispatcher = killAt === undefined ? undefined : (await replicaWithRole(cluster, 'dispatcher'))?.name;
    const ids = [...pushedAt.keys()];
    const fired = await settle(emulator, () => (observe(), ids.every((id) => firstShown.has(id))), {
      quietMs: 3000,
      timeoutMs: o.settleTimeoutMs,
    });
    clearInterval(watching);
    const figuresBefore = haFigures(emulator, { ids, groupOf, killAt });
    await am.resolveAlerts(all);
    const resolved = await settle(emulator, () => haFigures(emulator, { ids, groupOf }).firing.length === 0, {
      quietMs: 4000,
      timeoutMs: o.settleTimeoutMs,
    });
    const figures = haFigures(emulator, { ids, groupOf, killAt });
    const latencies = critical.flatMap((id) => {
      const seen = firstShown.get(id);
      return seen === undefined ? [] : [seen - pushedAt.get(id)!];
    });
    // Without a kill, what the lifecycle reposts (moves) by the time a kill would have happened.
    const mark = killAt ?? start + (o.killAfterMs ?? 4000);
    const moves = killAt === undefined ? haFigures(emulator, { ids, groupOf, killAt: mark }).repostedAfterKill : [];
    return {
      ...figures,
      postedTwice: [...new Set([...figuresBefore.postedTwice, ...figures.postedTwice])].sort(),
      repostedWithoutKill: moves,
      // Named is judged before the resolutions: a resolved alert may leave a view.
      named: figuresBefore.named,
      missing: figuresBefore.missing,
      shownTwice: [...new Set([...figuresBefore.shownTwice, ...figures.shownTwice])],
      killed,
      newDispatcher,
      criticalP95Ms: latencies.length === critical.length ? percentile(latencies, 95) : Infinity,
      settled: { fired, resolved },
    };
  } finally {
    await am.stop();
    await cluster.close();
  }
}
