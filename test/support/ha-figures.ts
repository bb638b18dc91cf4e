/**
 * What the high-availability tests and `npm run bench:ha` judge, read from the Discord
 * emulator alone: what the channel shows at the end (as the client shows it), and which
 * alerts Discord was asked to post more than once around a replica's death.
 */
import type { Emulator, ReceivedRequest, StoredMessage } from '../emulator/index.js';
import { channelState, shownParts } from './channel-state.js';

const ALERT_ID = /A\d{6}/g;

/** Alert ids in a request body, whether or not the client would show them. */
export function idsIn(body: unknown): string[] {
  return [...new Set(JSON.stringify(body ?? '').match(ALERT_ID) ?? [])];
}

/** A list's size with its first few entries, for a failure message or a figure. */
export const few = (list: readonly string[]): string =>
  `${list.length}${list.length > 0 ? ` (${list.slice(0, 5).join(', ')}${list.length > 5 ? ', …' : ''})` : ''}`;

/** A message Discord accepted: an execute (POST) answered 2xx. */
export const isPost = (q: ReceivedRequest): boolean => q.method === 'POST' && q.status >= 200 && q.status < 300;

export interface HaFigures {
  alerts: number;
  /** Alerts named in what the channel shows at the end. */
  named: number;
  /** Alerts never named, first few. */
  missing: string[];
  status400: number;
  status429: number;
  /** Alerts still shown firing at the end. */
  firing: string[];
  /** Alerts shown by more than one live message at the end: only the last one may show an alert. */
  shownTwice: string[];
  /** Groups shown by more than one live message at the end: each group has one message. */
  spread: string[];
  /**
   * Groups posted twice across the kill: an alert that a message posted before the kill still
   * shows is shown by a message posted after it too. The new dispatcher did not know the
   * first message, so that one is never edited again.
   */
  postedTwice: string[];
  /**
   * Groups of which some alert was posted (POST) before the kill and posted again after it,
   * duplicated or moved: the lifecycle moves a group that outgrew a shared digest into a
   * message of its own and edits the digest without it, with or without a kill.
   */
  repostedAfterKill: string[];
  /** Groups named in the posts Discord answered in the last `inFlightMs` before the kill. */
  inFlight: string[];
  /** Kill → the first request Discord got afterwards (a killed process sends nothing). */
  failoverMs: number | undefined;
}

export interface FigureInput {
  /** Every alert id sent. */
  ids: readonly string[];
  /** The group (Alertmanager's group key, or its labels) each alert belongs to. */
  groupOf: ReadonlyMap<string, string>;
  /** When the dispatcher was killed, if it was. */
  killAt?: number | undefined;
  /**
   * A post answered this long before the kill may not have been recorded by the killed
   * process: its group may be posted again. Default 2000 ms, one webhook bucket window.
   */
  inFlightMs?: number;
}

export function haFigures(emulator: Emulator, o: FigureInput): HaFigures {
  const state = channelState(emulator.messages);
  const named = new Set(state.named);
  const firing = new Set(state.firing);
  const shownBy = new Map<string, number>();
  const messagesOf = new Map<string, Set<string>>();
  for (const m of emulator.messages) {
    const ids = new Set(shownParts(m).flatMap((p) => p.ids));
    for (const id of ids) {
      shownBy.set(id, (shownBy.get(id) ?? 0) + 1);
      const g = o.groupOf.get(id);
      if (g !== undefined) messagesOf.set(g, (messagesOf.get(g) ?? new Set()).add(m.id));
    }
  }
  const counts = emulator.counts();
  const groupsOf = (ids: Iterable<string>) => {
    const groups = new Set<string>();
    for (const id of ids) {
      const g = o.groupOf.get(id);
      if (g !== undefined) groups.add(g);
    }
    return groups;
  };
  let postedTwice: string[] = [];
  let repostedAfterKill: string[] = [];
  let inFlight: string[] = [];
  let failoverMs: number | undefined;
  const killAt = o.killAt;
  if (killAt !== undefined) {
    const posts = emulator.requests.filter(isPost);
    const before = new Set(posts.filter((q) => q.at < killAt).flatMap((q) => idsIn(q.body)));
    const again = posts.filter((q) => q.at >= killAt).flatMap((q) => idsIn(q.body).filter((id) => before.has(id)));
    repostedAfterKill = [...groupsOf(again)].sort();
    const shownBy = (live: (m: StoredMessage) => boolean) =>
      new Set(emulator.messages.filter(live).flatMap((m) => shownParts(m).flatMap((p) => p.ids)));
    const shownByOld = shownBy((m) => m.createdAt < killAt);
    const shownByNew = shownBy((m) => m.createdAt >= killAt);
    postedTwice = [...groupsOf([...before].filter((id) => shownByOld.has(id) && shownByNew.has(id)))].sort();
    const window = o.inFlightMs ?? 2000;
    inFlight = [
      ...groupsOf(posts.filter((q) => q.at < killAt && q.at >= killAt - window).flatMap((q) => idsIn(q.body))),
    ].sort();
    const next = emulator.requests.find((q) => q.at >= killAt);
    failoverMs = next === undefined ? undefined : next.at - killAt;
  }
  return {
    alerts: o.ids.length,
    named: o.ids.filter((id) => named.has(id)).length,
    missing: o.ids.filter((id) => !named.has(id)).slice(0, 10),
    status400: counts.status400,
    status429: counts.byStatus[429] ?? 0,
    firing: o.ids.filter((id) => firing.has(id)),
    shownTwice: o.ids.filter((id) => (shownBy.get(id) ?? 0) > 1),
    spread: [...messagesOf].filter(([, messages]) => messages.size > 1).map(([g]) => g),
    postedTwice,
    repostedAfterKill,
    inFlight,
    failoverMs,
  };
}

/**
 * Waits until `done()` holds and Discord got no request for `quietMs` (so a late duplicate or
 * edit is seen), or until `timeoutMs`. Returns whether it settled that way.
 */
export async function settle(
  emulator: Emulator,
  done: () => boolean,
  o: { quietMs: number; timeoutMs: number },
): Promise<boolean> {
  const deadline = Date.now() + o.timeoutMs;
  for (;;) {
    const last = emulator.requests.at(-1)?.at ?? 0;
    if (done() && Date.now() - last >= o.quietMs) return true;
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 200));
  }
}
