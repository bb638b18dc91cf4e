/**
 * npm run bench:storm [-- --alerts 1000 --seconds 10 --backlog 500 --seed 1 --reserve 2 --dump FILE]
 *
 * alertcord (in-process, real clock) against the Discord emulator with Discord's observed
 * limits. 1: a storm of alerts across 15 services into one channel — what arrives, how many
 * requests and 429s it takes, how long the drain takes against the floor Discord's limits
 * allow, and the latency of critical and of all alerts. 2: a backlog of info alerts, then
 * critical alerts behind it — how long the critical ones take. The storm checks the targets:
 * every alert visible (as the Discord client shows it) within 20 s of its arrival, critical
 * p95 <= 2 s, none lost, no 400, at most one 429; coalescing, packing and the storm digest are
 * what make them reachable. 4: a storm through the real Alertmanager, then resolved.
 */
import { parseArgs } from 'node:util';
import type { RunningService } from '../src/main.js';
import type { Emulator } from '../test/emulator/index.js';
import { floorMs, type Limits } from './storm/floor.js';
import { oneChannel } from './storm/one-channel.js';
import { percentile, Visibility } from './storm/observe.js';
import { channelState, shownParts } from '../test/support/channel-state.js';
import { seededRandom } from '../test/support/seeded-random.js';
import { criticalBurst, infoBacklog, storm, type StormGroup } from './storm/scenario.js';
import { throughAlertmanager } from './storm/through-alertmanager.js';

const LIMITS: Limits = {
  webhook: { limit: 5, windowMs: 2000 },
  channel: { limit: 30, windowMs: 60_000 },
  global: { limit: 50, windowMs: 1000 },
};

const { values: args } = parseArgs({
  options: {
    alerts: { type: 'string', default: '1000' },
    seconds: { type: 'string', default: '10' },
    backlog: { type: 'string', default: '500' },
    critical: { type: 'string', default: '10' },
    'critical-groups': { type: 'string', default: '2' },
    seed: { type: 'string', default: '1' },
    reserve: { type: 'string', default: '2' },
    resolve: { type: 'string', default: '200' },
    alertmanager: { type: 'string', default: '1000' },
    dump: { type: 'string' },
  },
});
const num = (name: keyof typeof args) => Number(args[name]);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));
const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

interface Rig {
  emulator: Emulator;
  service: RunningService;
  visibility: Visibility;
  warnings: string[];
}

async function rig(): Promise<Rig> {
  const warnings: string[] = [];
  const { emulator, service } = await oneChannel(LIMITS, num('reserve'), (l) => void warnings.push(l));
  return { emulator, service, visibility: new Visibility(emulator), warnings };
}

/** Posts each group at its time after `start`; returns when each alert was posted. */
async function replay(r: Rig, groups: StormGroup[], start: number): Promise<Map<string, number>> {
  const postedAt = new Map<string, number>();
  for (const g of groups) {
    await sleep(start + g.at - Date.now());
    const at = Date.now();
    const res = await fetch(`${r.service.url}/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(g.body),
    });
    if (res.status !== 200) throw new Error(`POST /alerts answered ${res.status}: ${await res.text()}`);
    for (const a of g.alerts) postedAt.set(a.id, at);
  }
  return postedAt;
}

async function until(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) return false;
    await sleep(100);
  }
  return true;
}

function latencies(ids: Iterable<string>, postedAt: Map<string, number>, v: Visibility): number[] {
  const out: number[] = [];
  for (const id of ids) {
    const seen = v.firstSeen.get(id);
    if (seen !== undefined) out.push(seen - postedAt.get(id)!);
  }
  return out;
}

const line = (label: string, value: string) => console.log(`  ${label.padEnd(40)} ${value}`);

async function stormScenario(): Promise<void> {
  const total = num('alerts');
  const groups = storm(total, num('seconds') * 1000, seededRandom(num('seed')));
  const r = await rig();
  console.log(
    `\n1. Storm: ${total} alerts in ${args.seconds} s, ${groups.length} notifications, one channel ` +
      `(seed ${args.seed}, critical_reserve ${args.reserve})`,
  );
  const start = Date.now() + 100;
  const postedAt = await replay(r, groups, start);
  await until(() => {
    r.visibility.scan();
    return r.service.delivery.queued === 0;
  }, 30 * 60_000);
  r.visibility.scan();
  const v = r.visibility;
  const counts = r.emulator.counts();
  const lastAt = Math.max(...v.messages.map((m) => m.at));
  const criticalIds = groups.flatMap((g) => g.alerts.filter((a) => a.severity === 'critical').map((a) => a.id));
  const isCritical = new Set(criticalIds);
  // A message could first go when the notification holding its alerts was posted.
  const needed = v.messages.map((m) => ({
    available: Math.min(...m.ids.map((id) => postedAt.get(id)!)) - start,
    critical: m.ids.some((id) => isCritical.has(id)),
  }));
  const floor = floorMs(needed, LIMITS);
  const reserveFloor = floorMs(needed, LIMITS, num('reserve'));
  const drain = lastAt - start;
  const all = latencies(postedAt.keys(), postedAt, v);
  const critical = latencies(criticalIds, postedAt, v);
  const by429 = Object.entries(counts.status429ByScope)
    .map(([scope, n]) => `${scope} ${n}`)
    .join(', ');

  line('alerts sent', String(total));
  line('alerts visible in Discord', String(v.firstSeen.size));
  line('alerts lost', String(total - v.firstSeen.size));
  line('embeds hidden by the client (repeated url)', String(v.hidden));
  line('dead letters', String(r.service.delivery.deadLetters.total));
  line('Discord messages', String(v.messages.length));
  line('Discord requests', String(counts.total));
  line('429s by scope', by429 || 'none');
  line('400s', String(counts.status400));
  line('drain time (first post → last message)', secs(drain));
  line('floor (Discord limits, same messages)', secs(floor));
  line('drain / floor', (drain / floor).toFixed(3));
  line(
    `floor keeping the reserve (${args.reserve})`,
    `${secs(reserveFloor)} (drain / it: ${(drain / reserveFloor).toFixed(3)})`,
  );
  line(
    `critical latency p50 / p95 (${critical.length})`,
    `${secs(percentile(critical, 50))} / ${secs(percentile(critical, 95))}`,
  );
  line(`all latency p50 / p95 (${all.length})`, `${secs(percentile(all, 50))} / ${secs(percentile(all, 95))}`);
  const requests = counts.total;
  const worst = all.length > 0 ? Math.max(...all) : Infinity;
  const lost = total - v.firstSeen.size;
  line('alerts per request', (v.firstSeen.size / requests).toFixed(1));
  line('all latency p100 (named)', secs(worst));
  // Visible as the client shows each message in the end (an embed repeating a url is not).
  const shownAt = new Map<string, number>();
  for (const m of r.emulator.messages)
    for (const p of shownParts(m))
      for (const id of p.ids) shownAt.set(id, Math.min(shownAt.get(id) ?? m.createdAt, m.createdAt));
  const toVisible = (ids: Iterable<string>) => [...ids].map((id) => (shownAt.get(id) ?? Infinity) - postedAt.get(id)!);
  const visibleMax = Math.max(...toVisible(postedAt.keys()));
  const visibleCritical95 = percentile(toVisible(criticalIds), 95);
  const status429 = counts.byStatus[429] ?? 0;
  line('alerts visible (client rule)', `${[...postedAt.keys()].filter((id) => shownAt.has(id)).length} of ${total}`);
  line('time to visible max / critical p95', `${secs(visibleMax)} / ${secs(visibleCritical95)}`);
  console.log('  targets');
  const check = (label: string, ok: boolean, value: string) => line(`  ${ok ? 'PASS' : 'FAIL'} ${label}`, value);
  check('every alert visible within 20 s', visibleMax <= 20_000, secs(visibleMax));
  check('critical p95 <= 2 s (visible)', visibleCritical95 <= 2000, secs(visibleCritical95));
  check('0 lost', lost === 0, String(lost));
  check('0 400s', counts.status400 === 0, String(counts.status400));
  check('0 embeds hidden by the client', v.hidden === 0, String(v.hidden));
  check('<= 1 429', status429 <= 1, String(status429));
  await r.service.shutdown();
  await r.emulator.close();
}

async function backlogScenario(): Promise<void> {
  const backlog = infoBacklog(num('backlog'), seededRandom(num('seed') + 1));
  const criticals = criticalBurst(num('critical'), num('critical-groups'));
  const r = await rig();
  console.log(
    `\n2. Backlog: ${args.backlog} info alerts (${backlog.length} notifications) queued, then ` +
      `${args.critical} critical alerts in ${criticals.length} notifications`,
  );
  await replay(r, backlog, Date.now());
  // Past the first burst: the backlog now fills the channel window as far as it may.
  await sleep(20_000);
  const waiting = r.service.delivery.queued;
  const postedAt = await replay(r, criticals, Date.now());
  const ids = criticals.flatMap((g) => g.alerts.map((a) => a.id));
  await until(() => {
    r.visibility.scan();
    return ids.every((id) => r.visibility.firstSeen.has(id));
  }, 5 * 60_000);
  const lat = latencies(ids, postedAt, r.visibility);
  const messages = r.visibility.messages.filter((m) => m.ids.some((id) => ids.includes(id))).length;
  line('info messages waiting ahead', String(waiting));
  line('critical alerts visible', `${lat.length} of ${ids.length} (in ${messages} messages)`);
  line(
    'critical latency p50 / p95 / max',
    `${secs(percentile(lat, 50))} / ${secs(percentile(lat, 95))} / ${secs(Math.max(...lat))}`,
  );
  line('429s', String(r.emulator.counts().byStatus[429] ?? 0));
  await r.service.shutdown();
  await r.emulator.close();
}

/** The same groups again, every alert resolved, as Alertmanager sends a resolution. */
function resolvedGroups(groups: StormGroup[]): StormGroup[] {
  const endsAt = new Date().toISOString();
  return groups.map((g) => {
    const body = structuredClone(g.body) as { status: string; alerts: { status: string; endsAt: string }[] };
    body.status = 'resolved';
    for (const a of body.alerts) Object.assign(a, { status: 'resolved', endsAt });
    return { ...g, at: 0, body };
  });
}

async function resolveScenario(): Promise<void> {
  const total = num('resolve');
  const groups = storm(total, 5000, seededRandom(num('seed') + 2));
  const r = await rig();
  console.log(
    `\n3. Fire and resolve: ${total} alerts in ${groups.length} notifications, then all resolved (resolve: edit)`,
  );
  const postedAt = await replay(r, groups, Date.now() + 100);
  const ids = [...postedAt.keys()];
  await until(() => {
    r.visibility.scan();
    return r.service.delivery.queued === 0 && ids.every((id) => r.visibility.firstSeen.has(id));
  }, 10 * 60_000);
  const created = r.emulator.messages.length;
  await replay(r, resolvedGroups(groups), Date.now());
  await until(() => r.service.delivery.queued === 0, 10 * 60_000);
  const messages = r.emulator.messages;
  const edits = messages.reduce((n, m) => n + m.edits, 0);
  const deletes = r.emulator.requests.filter((q) => q.method === 'DELETE' && q.status === 204).length;
  // The channel's final state, judged as the tests judge it.
  const state = channelState(messages);
  line('messages posted while firing', String(created));
  line('new messages for the resolutions', String(messages.length - created));
  line('edits', String(edits));
  line('deletes', String(deletes));
  line('alerts named in the final messages', `${state.named.length} of ${ids.length}`);
  line('alerts still shown firing at the end', `${state.firing.length} of ${ids.length}`);
  line('leftover messages that name no alert', String(state.empty));
  line('400s', String(r.emulator.counts().status400));
  await r.service.shutdown();
  await r.emulator.close();
}

async function alertmanagerScenario(): Promise<void> {
  const total = num('alertmanager');
  console.log(
    `\n4. Through Alertmanager: ${total} alerts pushed over ${args.seconds} s (group_wait 1s, group_interval 2s), ` +
      'resolved 10 s later',
  );
  const r = await throughAlertmanager({
    total,
    spreadMs: num('seconds') * 1000,
    resolveAfterMs: 10_000,
    seed: num('seed') + 3,
    reserve: num('reserve'),
    limits: LIMITS,
    dumpTo: args.dump,
  });
  line('alerts visible (client rule)', `${r.visible} of ${r.alerts}`);
  line('alerts still shown firing at the end', String(r.stillFiring));
  line('messages that name no alert', String(r.emptyMessages));
  line('requests / edits / deletes', `${r.requests} / ${r.edits} / ${r.deletes}`);
  line('400s / 429s', `${r.status400} / ${r.status429}`);
  line('time to visible max / critical p95', `${secs(r.maxVisibleMs)} / ${secs(r.criticalP95Ms)}`);
}

if (num('alerts') > 0) await stormScenario();
if (num('backlog') > 0) await backlogScenario();
if (num('resolve') > 0) await resolveScenario();
if (num('alertmanager') > 0) await alertmanagerScenario();
