import { describe, expect, it } from 'vitest';
import { storm } from '../../bench/storm/scenario.js';
import { alertmanagerAvailable, type PostableAlert } from '../support/alertmanager.js';
import { channelState } from '../support/channel-state.js';
import { startHaCluster } from '../support/ha-cluster.js';
import { few, haFigures, settle } from '../support/ha-figures.js';
import { stormAlertmanager } from '../support/ha-storm.js';
import { inCI, redisTestsEnabled, requireRedisServer } from '../support/redis-server.js';
import { seededRandom } from '../support/seeded-random.js';

/**
 * Issue 15, done when: 2 replicas on one Redis, the real Alertmanager in front, 200 alerts fired
 * then resolved. Whichever replica takes the resolution, the group's one message is edited: no
 * alert is left shown firing, and each group has exactly one message. Both ways a Service can
 * balance: per connection (kube-proxy) and per request (a mesh).
 */
describe.skipIf(!(redisTestsEnabled && (alertmanagerAvailable() || inCI)))('HA: fire then resolve, 2 replicas', () => {
  it.each(['connection', 'request'] as const)(
    '%s-balanced: nothing left firing, one message per group',
    async (mode) => {
      requireRedisServer();
      if (!alertmanagerAvailable()) throw new Error('prometheus-alertmanager is not installed: .ci/run installs it');
      const cluster = await startHaCluster({ replicas: 2, mode });
      const am = await stormAlertmanager(cluster);
      try {
        const { emulator } = cluster;
        const groups = storm(200, 2000, seededRandom(mode === 'connection' ? 21 : 22));
        const groupOf = new Map<string, string>();
        const all: PostableAlert[] = [];
        for (const g of groups) {
          const body = g.body as { alerts: PostableAlert[] };
          const alerts = body.alerts.map((a) => ({ labels: a.labels, annotations: a.annotations ?? {} }));
          for (const [i, a] of g.alerts.entries())
            groupOf.set(a.id, `${alerts[i]!.labels.alertname}/${alerts[i]!.labels.service}`);
          all.push(...alerts);
        }
        const ids = [...groupOf.keys()];
        await am.postAlerts(all);
        const named = () => new Set(channelState(emulator.messages).named);
        await settle(emulator, () => ids.every((id) => named().has(id)), { quietMs: 3000, timeoutMs: 30_000 });
        expect(
          ids.filter((id) => !named().has(id)),
          'alerts not named after firing',
        ).toEqual([]);

        await am.resolveAlerts(all);
        const firing = () => ids.filter((id) => channelState(emulator.messages).firing.includes(id));
        await settle(emulator, () => firing().length === 0, { quietMs: 4000, timeoutMs: 30_000 });

        const f = haFigures(emulator, { ids, groupOf });
        expect.soft(f.status400, '400s').toBe(0);
        expect.soft(f.spread.length, `groups shown by more than one message: ${few(f.spread)}`).toBe(0);
        expect.soft(f.shownTwice.length, `alerts shown by more than one message: ${few(f.shownTwice)}`).toBe(0);
        expect(
          f.firing.length,
          `of ${ids.length} alerts still shown firing at the end (${mode}): ${few(f.firing)}`,
        ).toBe(0);
      } finally {
        await am.stop();
        await cluster.close();
      }
    },
    90_000,
  );
});
