/**
 * npm run bench:ha [-- --alerts 1000 --seconds 5 --kill-after 4 --seed 15 --settle 60]
 *
 * alertcord replicas (the built CLI, which the script builds first) on one real redis-server, behind a
 * connection-balanced proxy, fed by the real Alertmanager, delivering to the Discord emulator
 * with Discord's observed limits. 1: 3 replicas, the dispatcher SIGKILLed mid-storm, then all
 * resolved — alerts named, 400s, 429s, groups posted twice, alerts left firing, and the failover
 * time (kill → the first request Discord gets from the new dispatcher). 2: the same storm into
 * 1 replica and into 3, no kill — critical p95 (push → shown). PASS/FAIL per target.
 */
import { parseArgs } from 'node:util';
import { runHaStorm, type HaStormResult } from '../test/support/ha-storm.js';
import { few } from '../test/support/ha-figures.js';

const { values: args } = parseArgs({
  options: {
    alerts: { type: 'string', default: '1000' },
    seconds: { type: 'string', default: '5' },
    'kill-after': { type: 'string', default: '4' },
    seed: { type: 'string', default: '15' },
    settle: { type: 'string', default: '60' },
  },
});
const num = (name: keyof typeof args) => Number(args[name]);
const secs = (ms: number | undefined) => (ms === undefined ? 'never' : `${(ms / 1000).toFixed(2)} s`);
const line = (label: string, value: string) => console.log(`  ${label.padEnd(44)} ${value}`);
const check = (label: string, ok: boolean, value: string) => line(`  ${ok ? 'PASS' : 'FAIL'} ${label}`, value);

const storm = (replicas: number, kill: boolean): Promise<HaStormResult> =>
  runHaStorm({
    replicas,
    total: num('alerts'),
    spreadMs: num('seconds') * 1000,
    ...(kill ? { killAfterMs: num('kill-after') * 1000 } : {}),
    seed: num('seed'),
    settleTimeoutMs: num('settle') * 1000,
  });

console.log(
  `\n1. Failover: ${args.alerts} alerts pushed to Alertmanager over ${args.seconds} s, 3 replicas, ` +
    `the dispatcher SIGKILLed ${args['kill-after']} s in, then all resolved`,
);
const f = await storm(3, true);
line('killed', f.killed ? `${f.killed.name} (role: ${f.killed.role})` : 'nobody');
line('new dispatcher (status)', f.newDispatcher ?? 'none reported');
line('alerts named', `${f.named} of ${f.alerts}`);
line('400s / 429s', `${f.status400} / ${f.status429}`);
line('groups in flight at the kill', few(f.inFlight));
const beyond = f.postedTwice.filter((g) => !f.inFlight.includes(g));
line('groups reposted (moved or duplicated)', few(f.repostedAfterKill));
line(
  'groups posted twice (both messages show them)',
  `${few(f.postedTwice)}; beyond those in flight: ${beyond.length}`,
);
line('alerts shown by more than one message', few(f.shownTwice));
line('alerts still shown firing at the end', few(f.firing));
line('failover (kill → first request to Discord)', secs(f.failoverMs));
line('settled (fired / resolved)', `${f.settled.fired} / ${f.settled.resolved}`);

console.log(`\n2. The same storm, no kill: critical p95 (push to Alertmanager → shown in Discord)`);
const one = await storm(1, false);
const three = await storm(3, false);
const brief = (r: HaStormResult) =>
  `${secs(r.criticalP95Ms)} (named ${r.named}, 429s ${r.status429}, shown twice ${r.shownTwice.length}, ` +
  `firing at the end ${r.firing.length})`;
line('1 replica', brief(one));
line('3 replicas', brief(three));
line(`no kill: reposted after ${args['kill-after']} s (moves)`, few(three.repostedWithoutKill));
const ratio = three.criticalP95Ms / one.criticalP95Ms;

console.log('  targets');
check('every alert named', f.named === f.alerts, `${f.named} of ${f.alerts}`);
check('0 400s', f.status400 === 0, String(f.status400));
check('<= 1 429', f.status429 <= 1, String(f.status429));
check('no group posted twice beyond those in flight', beyond.length === 0, String(beyond.length));
check('no alert shown by two messages', f.shownTwice.length === 0, String(f.shownTwice.length));
check('0 alerts shown firing at the end', f.firing.length === 0, String(f.firing.length));
check('failover <= 5 s', f.failoverMs !== undefined && f.failoverMs <= 5000, secs(f.failoverMs));
check('critical p95, 3 replicas <= 1.2 x 1 replica', ratio <= 1.2, `${ratio.toFixed(2)} x`);
