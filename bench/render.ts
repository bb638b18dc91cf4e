/**
 * Render + fit throughput of each shipped template for one 100-alert group with realistic
 * annotations (samples/storm.json), templates compiled once, on one core.
 *   npm run bench:render
 * Time is the process's CPU time, not the wall clock, and the best of several rounds is
 * printed: on a busy machine the wall clock and the slower rounds measure the neighbours.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { parseNotification } from '../src/alertmanager/payload.js';
import { renderMessages } from '../src/render/render-job.js';
import { SHIPPED_TEMPLATES_DIR, loadTemplateSet } from '../src/render/template-set.js';

const ROUNDS = 7;
const ROUND_MS = 400;

const payload: unknown = JSON.parse(readFileSync(new URL('../samples/storm.json', import.meta.url), 'utf8'));
const parsed = parseNotification(payload);
if (!parsed.ok) throw new Error('samples/storm.json is not a valid notification');
const notification = parsed.notification;
const alerts = notification.alerts.length;
const templates = loadTemplateSet({ now: () => Date.now() });
const shipped = readdirSync(SHIPPED_TEMPLATES_DIR)
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => f.replace(/\.yaml$/, ''))
  .sort((a, b) => (a === 'default' ? -1 : b === 'default' ? 1 : a.localeCompare(b)));

/** Renders for at least `ms`; returns the microseconds per alert and the messages per group. */
function round(template: string, ms: number): { usPerAlert: number; messages: number } {
  let groups = 0;
  let messages = 0;
  const start = process.cpuUsage();
  let elapsed = 0;
  while (elapsed < ms) {
    for (let i = 0; i < 10; i++) {
      const out = renderMessages(templates, { notification, target: 'bench', template });
      if (out.templateError) throw new Error(`${template}: ${out.templateError}`);
      messages = out.messages.length;
      groups += 1;
    }
    const used = process.cpuUsage(start);
    elapsed = (used.user + used.system) / 1000;
  }
  return { usPerAlert: (elapsed * 1000) / (groups * alerts), messages };
}

const fmt = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
for (const name of shipped) {
  round(name, ROUND_MS); // warm-up: JIT and the lazily compiled templates
  const rounds = Array.from({ length: ROUNDS }, () => round(name, ROUND_MS));
  const best = Math.min(...rounds.map((r) => r.usPerAlert));
  const messages = rounds[0]?.messages ?? 0;
  console.log(
    `${name}: ${fmt.format(1e6 / best)} alerts/s (${best.toFixed(1)} µs/alert; a ${alerts}-alert group → ${messages} messages)`,
  );
}
