/**
 * npm run bench:memory [-- --groups 1000 --size 10 --settle 5]
 *
 * Resident memory of the built service (`node dist/cli.js serve`, run `npm run build` first)
 * as a child process, read from its own `alertcord_process_resident_memory_bytes`: once idle,
 * and once with `groups × size` alerts queued. The Discord emulator lets one request through
 * and then rate-limits the webhook for an hour, so everything after the first message stays
 * queued. No GC is forced: the figures are what a scrape would see. Exits 1 when a figure is
 * over its target. The service gets the V8 flags `npm start` gives it; `--bare` leaves them out.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startEmulator } from '../test/emulator/index.js';

const MB = 1024 * 1024;
const TARGETS = { idle: 90 * MB, queued: 120 * MB };

const { values: args } = parseArgs({
  options: {
    groups: { type: 'string', default: '1000' },
    size: { type: 'string', default: '10' },
    settle: { type: 'string', default: '5' },
    bare: { type: 'boolean', default: false },
  },
});
const groups = Number(args.groups);
const size = Number(args.size);
const settleMs = Number(args.settle) * 1000;
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: { start: string } };
const v8Flags = args.bare ? [] : pkg.scripts.start.split(/\s+/).filter((t) => t.startsWith('--'));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A free port on loopback: the child is told it up front so the bench need not parse logs. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

/** One group of a storm as Alertmanager posts it: labels and annotations like a real rule's. */
function notification(g: number): Record<string, unknown> {
  const rule = ['HighLatency', 'DiskFillingUp', 'PodCrashLooping', 'ServiceDown'][g % 4]!;
  const service = `svc${String(g % 15).padStart(2, '0')}`;
  const cluster = `eu-west-${1 + (g % 3)}`;
  const startsAt = new Date(Date.now() - 300_000).toISOString();
  const common = { alertname: rule, service, cluster, namespace: service, job: 'kubernetes-pods' };
  return {
    version: '4',
    groupKey: `{}:{alertname="${rule}", cluster="${cluster}", service="${service}", shard="${g}"}`,
    truncatedAlerts: 0,
    status: 'firing',
    receiver: 'discord',
    groupLabels: { alertname: rule, cluster, service, shard: String(g) },
    commonLabels: { ...common, shard: String(g) },
    commonAnnotations: {},
    externalURL: 'http://alertmanager.example:9093',
    alerts: Array.from({ length: size }, (_, i) => {
      const instance = `${service}-${g}-${i}.${cluster}.internal:8080`;
      return {
        status: 'firing',
        labels: {
          ...common,
          shard: String(g),
          severity: i % 5 === 0 ? 'critical' : 'warning',
          instance,
          pod: `${service}-7d9f8b6c5-${(g * size + i).toString(36).padStart(5, 'x')}`,
        },
        annotations: {
          summary: `${rule} on ${instance}`,
          description: `${rule} has been firing on ${instance} in ${cluster} for 5 minutes; p99 latency is above the SLO. See the runbook and the dashboard.`,
          runbook_url: `https://runbooks.example/${service}/${rule}`,
          dashboard: `https://grafana.example/d/${service}?var-instance=${encodeURIComponent(instance)}`,
        },
        startsAt,
        endsAt: '0001-01-01T00:00:00Z',
        generatorURL: `http://prometheus.example:9090/graph?g0.expr=${encodeURIComponent(`${rule}{service="${service}"}`)}`,
        fingerprint: (g * size + i).toString(16).padStart(16, '0'),
      };
    }),
  };
}

async function rssBytes(base: string): Promise<number> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith('alertcord_process_resident_memory_bytes '));
  if (!line) throw new Error('no alertcord_process_resident_memory_bytes in /metrics');
  return Number(line.split(' ')[1]);
}

async function queued(base: string): Promise<number> {
  const status = (await (await fetch(`${base}/api/v1/status`)).json()) as { queue: { total: number } };
  return status.queue.total;
}

async function waitReady(base: string, child: { exitCode: number | null }): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`service exited with ${child.exitCode}`);
    const ok = await fetch(`${base}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await sleep(100);
  }
  throw new Error('service not ready after 20 s');
}

const verdict = (name: string, bytes: number, target: number) => {
  const pass = bytes <= target;
  console.log(
    `${name.padEnd(28)} ${(bytes / MB).toFixed(1).padStart(6)} MB   target <= ${target / MB} MB   ${pass ? 'PASS' : 'FAIL'}`,
  );
  return pass;
};

const emulator = await startEmulator({ webhookLimit: { limit: 1, windowMs: 3_600_000 }, channelLimit: null });
const hook = emulator.createWebhook();
const dir = mkdtempSync(join(tmpdir(), 'alertcord-bench-memory-'));
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const configFile = join(dir, 'config.yaml');
writeFileSync(
  configFile,
  JSON.stringify({
    server: { host: '127.0.0.1', port },
    log: { level: 'warn' },
    discord: { api_base_url: emulator.url },
    targets: { bench: { webhook_url: hook.url } },
    routes: [{ targets: ['bench'] }],
  }),
);
const child = spawn(process.execPath, [...v8Flags, 'dist/cli.js', 'serve', '--config', configFile], {
  stdio: ['ignore', 'ignore', 'inherit'],
  env: { ...process.env, ALERTCORD_CONFIG: '', NODE_OPTIONS: '' },
});
let ok = false;
try {
  await waitReady(base, child);
  await sleep(settleMs);
  const idle = await rssBytes(base);

  for (let g = 0; g < groups; g++) {
    const res = await fetch(`${base}/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(notification(g)),
    });
    if (!res.ok) throw new Error(`POST /alerts answered ${res.status}: ${await res.text()}`);
  }
  await sleep(settleMs);
  const jobs = await queued(base);
  const full = await rssBytes(base);

  console.log(
    `alertcord memory (node ${process.version}, flags: ${v8Flags.join(' ') || 'none'}, no forced GC, ${settleMs / 1000} s settle)`,
  );
  console.log(
    `posted ${groups} notifications × ${size} alerts; ${jobs} jobs still queued (${emulator.messages.length} sent)`,
  );
  const idleOk = verdict('idle RSS', idle, TARGETS.idle);
  const fullOk = verdict(`RSS, ${groups * size} alerts queued`, full, TARGETS.queued);
  // Everything but the first request must still wait, or the figure is not of a full queue.
  const stillQueued = jobs >= groups - emulator.messages.length - 1;
  if (!stillQueued) console.log(`FAIL: only ${jobs} of ${groups} jobs queued`);
  ok = idleOk && fullOk && stillQueued;
} finally {
  child.kill('SIGKILL');
  await emulator.close();
  rmSync(dir, { recursive: true, force: true });
}
process.exit(ok ? 0 : 1);
