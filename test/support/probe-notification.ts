/**
 * One firing alert in a group of its own, as Alertmanager posts it: for tests that count
 * notifications one by one (intake, replays) rather than look at their text.
 */
export function probeNotification(
  alertname: string,
  id: string,
  groupLabels: Record<string, string>,
): { id: string; body: unknown } {
  const labels = { alertname, severity: 'warning', instance: groupLabels.instance ?? id, ...groupLabels };
  const groupKey = `{}:{${Object.entries(groupLabels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(', ')}}`;
  return {
    id,
    body: {
      version: '4',
      groupKey,
      truncatedAlerts: 0,
      status: 'firing',
      receiver: 'alertcord',
      groupLabels,
      commonLabels: labels,
      commonAnnotations: {},
      externalURL: 'http://alertmanager.example:9093',
      alerts: [
        {
          status: 'firing',
          labels,
          annotations: { summary: `probe ${id}` },
          startsAt: new Date().toISOString(),
          endsAt: '0001-01-01T00:00:00Z',
          generatorURL: '',
          fingerprint: id.toLowerCase(),
        },
      ],
    },
  };
}
