import { urgency, type SeverityLook } from './severity-look.js';

/** Fixed locale: the order must not depend on the host's LANG. Numeric: pay-2 before pay-10. */
const collator = new Intl.Collator('en', { numeric: true });

const valueAt = (o: unknown, path: readonly string[]): unknown =>
  path.reduce<unknown>(
    (v, k) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined),
    o,
  );

const text = (v: unknown): string => (v === undefined || v === null ? '' : String(v));

/** A sorted copy, by the value at a dotted path (`labels.instance`, `startsAt`); stable. */
export function sortByPath<T>(list: readonly T[], path: string): T[] {
  const keys = path.split('.');
  return list
    .map((item) => ({ item, key: text(valueAt(item, keys)) }))
    .sort((x, y) => collator.compare(x.key, y.key))
    .map(({ item }) => item);
}

interface HasSeverity {
  labels?: Record<string, string>;
}

/** Most urgent first, by the severity model's priority; equal priorities keep their order. */
export function sortBySeverity<T extends HasSeverity>(list: readonly T[], model: SeverityLook): T[] {
  return list
    .map((item) => ({ item, rank: urgency(model, item.labels?.severity) }))
    .sort((x, y) => y.rank - x.rank)
    .map(({ item }) => item);
}

/** The `severity` label of the most urgent alert, or "" for none: one pass, no sort. */
export function highestSeverity(list: readonly HasSeverity[], model: SeverityLook): string {
  let best: HasSeverity | undefined;
  let bestRank = -Infinity;
  for (const item of list) {
    const rank = urgency(model, item.labels?.severity);
    if (rank > bestRank) [best, bestRank] = [item, rank];
  }
  return best?.labels?.severity ?? '';
}

/** The order a template's `sort_by` asks for: by severity (most urgent first) or by a path. */
export function alertSorter<T extends HasSeverity>(
  sortBy: string | undefined,
  severities: SeverityLook,
): ((alerts: readonly T[]) => T[]) | undefined {
  if (sortBy === undefined) return undefined;
  return sortBy === 'severity'
    ? (alerts) => sortBySeverity(alerts, severities)
    : (alerts) => sortByPath(alerts, sortBy);
}
