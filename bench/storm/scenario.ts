/**
 * The alerts of the storm benchmark, as Alertmanager would post them: groups of one alert
 * rule on one service, each alert with a unique id in its `instance` label (which the default
 * template shows) so the benchmark can find it in whatever Discord message carries it.
 */
export interface StormAlert {
  id: string;
  severity: 'critical' | 'warning' | 'info';
}

export interface StormGroup {
  /** Milliseconds after the start at which the notification is posted. */
  at: number;
  alerts: StormAlert[];
  body: Record<string, unknown>;
}

const RULES = {
  critical: ['ServiceDown', 'HighErrorRate', 'PaymentsFailing'],
  warning: ['HighLatency', 'DiskFillingUp', 'QueueBacklogGrowing', 'MemoryPressure'],
  info: ['PodRestarted', 'CertificateRenewed', 'DeploymentScaled', 'ConfigReloaded', 'NodeDrained'],
} as const;

let nextAlert = 0;
let nextGroup = 0;

export function alertId(n: number): string {
  return `A${String(n).padStart(6, '0')}`;
}

function group(at: number, service: string, severity: StormAlert['severity'], size: number, rule: string): StormGroup {
  const shard = `g${++nextGroup}`;
  const alerts = Array.from({ length: size }, () => ({ id: alertId(++nextAlert), severity }));
  const startsAt = new Date().toISOString();
  const body = {
    version: '4',
    groupKey: `{}:{alertname="${rule}", service="${service}", shard="${shard}"}`,
    truncatedAlerts: 0,
    status: 'firing',
    receiver: 'discord',
    groupLabels: { alertname: rule, service, shard },
    commonLabels: { alertname: rule, service, severity, shard },
    commonAnnotations: {},
    externalURL: 'http://alertmanager.example:9093',
    alerts: alerts.map((a) => ({
      status: 'firing',
      labels: { alertname: rule, service, severity, shard, namespace: service, instance: `${service}-${a.id}` },
      annotations: {
        summary: `${rule} on ${service}-${a.id}`,
        description: `${rule} has been firing on ${service}-${a.id} for 5 minutes; see the runbook.`,
        runbook_url: `https://runbooks.example/${service}/${rule}`,
      },
      startsAt,
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL: `http://prometheus.example:9090/graph?g0.expr=${rule}`,
      fingerprint: a.id.toLowerCase(),
    })),
  };
  return { at, alerts, body };
}

/**
 * `total` alerts over `durationMs` across 15 services, in groups of 1–20, each group one
 * rule of one severity: about 10 % critical, 30 % warning, 60 % info.
 */
export function storm(total: number, durationMs: number, random: () => number): StormGroup[] {
  const groups: StormGroup[] = [];
  let left = total;
  while (left > 0) {
    const size = Math.min(left, 1 + Math.floor(random() * 20));
    const x = random();
    const severity = x < 0.1 ? 'critical' : x < 0.4 ? 'warning' : 'info';
    const rules = RULES[severity];
    const rule = rules[Math.floor(random() * rules.length)]!;
    const service = `svc${String(1 + Math.floor(random() * 15)).padStart(2, '0')}`;
    groups.push(group(Math.floor(random() * durationMs), service, severity, size, rule));
    left -= size;
  }
  return groups.sort((a, b) => a.at - b.at);
}

/** `total` info alerts in groups of 1–20, all posted at once. */
export function infoBacklog(total: number, random: () => number): StormGroup[] {
  const groups: StormGroup[] = [];
  for (let left = total; left > 0;) {
    const size = Math.min(left, 1 + Math.floor(random() * 20));
    const rule = RULES.info[Math.floor(random() * RULES.info.length)]!;
    groups.push(group(0, `svc${String(1 + Math.floor(random() * 15)).padStart(2, '0')}`, 'info', size, rule));
    left -= size;
  }
  return groups;
}

/** `total` critical alerts split evenly over `groups` services, posted at once. */
export function criticalBurst(total: number, groups: number): StormGroup[] {
  return Array.from({ length: groups }, (_, i) => {
    const size = Math.floor(total / groups) + (i < total % groups ? 1 : 0);
    return group(0, `core${i + 1}`, 'critical', size, 'ServiceDown');
  });
}
