import { LIMITS } from '../discord/limits.js';
import type { UrlChange } from '../discord/distinct-urls.js';
import type { DiscordMessage } from '../discord/message.js';
import type { Group } from './group-queue.js';
import type { Job } from './job.js';
import type { Lane, Packed } from './lane.js';
import type { MessagePlanner } from './message-planner.js';
import { forgetPlan, nextPart } from './next-part.js';
import { joinDigest, joinMessages } from './pack.js';

/** Groups looked at behind the one being sent, for messages to pack with it. */
const PACK_LOOKAHEAD = 50;

interface PackedRequest {
  message: DiscordMessage;
  /** The head first. */
  pack: Packed[];
  /** Embed urls made distinct across the pack: cuts like those of fitting. */
  urlChanges: UrlChange[];
}

const routeOf = (job: Job) => job.routes?.[job.sent];
/** Only new messages share a request: an edit or delete changes one message already there. */
const joinable = (job: Job): boolean =>
  job.sent === job.parts!.length - 1 && (routeOf(job)?.kind ?? 'post') === 'post' && !job.alone;

/**
 * The head's part with the new messages of groups behind it that fit into the same request,
 * each claimed for this request. Looks a bounded way behind: one that does not fit (silent,
 * too big, another thread) waits for its own turn.
 */
export function packBehind(
  lane: Lane,
  planner: MessagePlanner,
  head: Packed,
  part: DiscordMessage,
  behind: Iterator<Group> | undefined,
): PackedRequest {
  const request: PackedRequest = { message: part, pack: [head], urlChanges: [] };
  if (!behind || !joinable(head.job)) return request;
  for (let n = 0, next = behind.next(); !next.done && n < PACK_LOOKAHEAD; n++, next = behind.next()) {
    const group = next.value;
    const job = group.jobs[0]!;
    if (blockedQuietly(lane, planner, job)) continue;
    const planned = job.parts !== undefined;
    const part = renderQuietly(lane, planner, job);
    const sameThread = routeOf(job)?.threadId === routeOf(head.job)?.threadId;
    // A digest that no longer fits the embeds goes into the content, if there is room.
    const join = lane.digest ? joinDigest : joinMessages;
    const joined = part && joinable(job) && sameThread ? join(request.message, part) : undefined;
    if (!joined) {
      // A plan made only to try packing is kept only when the group shares no message: else,
      // by its own turn, another group's plan may have changed what it planned against.
      if (!planned && planner.reach(job).length > 1) forgetPlan(job);
      continue;
    }
    lane.claim(job, planner);
    request.message = joined.message;
    request.urlChanges.push(...joined.urlChanges);
    request.pack.push({ group, job });
    // A digest may still fill the content once the embeds are full.
    if (!lane.digest && (request.message.embeds?.length ?? 0) >= LIMITS.embedsPerMessage) break;
  }
  return request;
}

/** A job whose reach cannot be told is left for its own turn, which records why. */
function blockedQuietly(lane: Lane, planner: MessagePlanner, job: Job): boolean {
  try {
    return lane.blocked(job, planner);
  } catch {
    return true;
  }
}

/** A job that fails to render is left for its own turn, which records why. */
function renderQuietly(lane: Lane, planner: MessagePlanner, job: Job): DiscordMessage | undefined {
  try {
    return nextPart(job, planner, lane.digest);
  } catch {
    return undefined;
  }
}
