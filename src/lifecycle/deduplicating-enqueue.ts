import type { Notification } from '../alertmanager/payload.js';
import type { ResolvedTarget } from '../config/load.js';
import type { EnqueueOptions, EnqueueResult } from '../delivery/delivery.js';
import type { DedupMemory } from './dedup.js';

type Enqueue = (n: Notification, targets: readonly ResolvedTarget[], options?: EnqueueOptions) => EnqueueResult;

/**
 * Queues a notification only for the targets that have not had this very state of the group.
 * Escalation posts (they carry a note) are never duplicates of the route's own post.
 */
export function deduplicatingEnqueue(
  dedup: Pick<DedupMemory, 'isDuplicate' | 'remember'>,
  enqueue: Enqueue,
  onDuplicate: (target: string) => void,
): Enqueue {
  return (n, targets, options) => {
    const fresh = options?.note ? [...targets] : targets.filter((t) => !dedup.isDuplicate(t.name, n));
    for (const t of targets) if (!fresh.includes(t)) onDuplicate(t.name);
    if (fresh.length === 0) return { ok: true, jobs: 0 };
    const result = enqueue(n, fresh, options);
    if (result.ok && !options?.note) for (const t of fresh) dedup.remember(t.name, n);
    return result;
  };
}
