/**
 * npm run bench:hostile [-- --bytes 1000000 --cap 5000 --kill 30000 --target 100 --only name]
 *
 * Pathological notifications (newline, CRLF and whitespace floods, markdown markers on every
 * line, mention floods, Zalgo, emoji sequences, 20,000 labels, 5,000 alerts, long label values
 * against regex matchers, one case at the default body limit), each posted to a fresh
 * alertcord (in-process, real clock) that delivers to the Discord emulator with Discord's
 * limits. Prints, per case, the worst event-loop delay from receipt until its messages are
 * delivered (or the wait is cut at --cap), and PASS when every case stays within --target.
 * A case still running after --kill is blocking its process for good: it is killed and fails.
 */
import { parseArgs } from 'node:util';
import { resolveConfig } from '../src/config/load.js';
import { pathologicalCorpus } from '../test/hostile/pathological.js';
import { runIsolated, type IsolatedResult } from '../test/hostile/run-isolated.js';

const { values: args } = parseArgs({
  options: {
    bytes: { type: 'string', default: '1000000' },
    cap: { type: 'string', default: '5000' },
    kill: { type: 'string', default: '30000' },
    target: { type: 'string', default: '100' },
    only: { type: 'string', multiple: true },
  },
});
const target = Number(args.target);
// The default server.body_limit: the largest body a default install accepts.
const defaults = resolveConfig({ targets: { t: { dry_run: true } }, routes: [{ targets: ['t'] }] }, {}, 'bench');
if (!defaults.ok) throw new Error('the minimal config is invalid');
const bodyLimit = defaults.config.server.body_limit;
const corpus = pathologicalCorpus(Number(args.bytes), bodyLimit);
const names = corpus.map((c) => c.name).filter((n) => !args.only || args.only.some((o) => n.includes(o)));

const mb = (b: number) => `${(b / 1e6).toFixed(1)} MB`;
const ms = (n: number) => `${Math.round(n)} ms`;
const worst = (r: IsolatedResult) => ('killedAfterMs' in r ? Infinity : Math.max(r.histogramMaxMs, r.probeMaxMs));

console.log(
  `bench:hostile — ${names.length} cases, target ≤ ${target} ms event-loop delay per case, ` +
    `wait cut at ${args.cap} ms, killed after ${args.kill} ms, body limit ${mb(bodyLimit)}\n`,
);
const head = ['case', 'body', 'status', 'loop max', 'probe max', 'messages', 'until', 'verdict'];
const widths = [30, 9, 6, 10, 10, 8, 22, 7];
const row = (cells: string[]) => console.log(cells.map((c, i) => c.padEnd(widths[i]!)).join(' '));
row(head);
const results = await runIsolated(
  names,
  { bytes: Number(args.bytes), bodyLimit, capMs: Number(args.cap), killAfterMs: Number(args.kill) },
  (r) => {
    const verdict = worst(r) <= target ? 'ok' : 'SLOW';
    if ('killedAfterMs' in r) {
      row([r.name, '', '', `> ${args.kill} ms`, '', '', 'killed (loop blocked)', verdict]);
      return;
    }
    const until = r.drained ? `delivered, ${ms(r.elapsedMs)}` : `cut at ${args.cap} ms`;
    row([
      r.name,
      mb(r.bodyBytes),
      String(r.status),
      ms(r.histogramMaxMs),
      ms(r.probeMaxMs),
      String(r.delivered),
      until,
      verdict,
    ]);
    if (r.refused.length > 0) console.log(`  (the config refused ${r.refused.join(', ')}: routed without it)`);
  },
);
const failed = results.filter((r) => worst(r) > target || ('status' in r && r.status !== 200));
console.log(
  `\n${failed.length === 0 ? 'PASS' : 'FAIL'}: ${results.length - failed.length}/${results.length} cases within ${target} ms`,
);
if (failed.length > 0) process.exitCode = 1;
