import { isDeepStrictEqual } from 'node:util';
import type { Config } from './schema.js';
import type { ResolvedConfig } from './load.js';

/** `live`: a reload applies it to what runs. `restart`: it is read once, when the service starts. */
export type ReloadMode = 'live' | 'restart';

export interface ReloadRule {
  mode: ReloadMode;
  why: string;
}

type Section<K extends keyof Config> = ReloadRule & {
  /** Keys of the section that differ from the section's own rule. */
  keys?: { [S in keyof NonNullable<Config[K]>]?: ReloadRule };
};

/**
 * What a reload (SIGHUP, a watched file changing) applies, and what waits for a restart.
 * Every top-level key of the config has a rule (the type checks it); where a section is
 * split, its `keys` say which keys differ. The reloader reports changed `restart` keys.
 */
export const RELOAD_TABLE: { [K in keyof Config]-?: Section<K> } = {
  server: {
    mode: 'restart',
    why: 'the listening socket, body limit and request timeouts are set when the server starts',
    keys: { auth: { mode: 'live', why: 'every request checks the credentials of the running config' } },
  },
  discord: { mode: 'restart', why: 'the HTTP client is built once, with its base URL and timeout' },
  delivery: {
    mode: 'restart',
    why: "the scheduler's queues, retries, breakers and dead letters are built once",
    keys: {
      digest_after: { mode: 'live', why: 'read each time a target decides between rich messages and a digest' },
      digest_template: { mode: 'live', why: 'read each time a digest is rendered' },
    },
  },
  rate_limit: { mode: 'restart', why: 'buckets and channel windows are built once and hold what they learnt' },
  templates: { mode: 'live', why: 'a reload compiles the templates anew and swaps them with the config' },
  log: { mode: 'live', why: 'a reload sets the level of the running logger' },
  dedup: { mode: 'restart', why: 'the memory of seen notifications is built once, with its window and size' },
  message_memory: { mode: 'restart', why: 'the memory of posted messages is built once, with its TTL and size' },
  ui: { mode: 'live', why: 'every request under /ui/ asks whether the page is on' },
  heartbeat: { mode: 'restart', why: 'the heartbeat timer is started once, with its alert name, timeout and target' },
  reload: { mode: 'live', why: 'a reload re-reads what to watch; the debounce is read at each change' },
  severities: { mode: 'live', why: 'each runtime config carries its own severity model' },
  targets: { mode: 'live', why: 'delivery looks each target up in the running config; queued messages keep theirs' },
  routes: { mode: 'live', why: 'each notification is routed with the running config' },
  state: { mode: 'restart', why: 'the connection to the shared store and the dispatcher lease are set up once' },
};

/** The rule of a key (`section` or `section.key`): the most specific entry decides. */
export function reloadRule(key: string): ReloadRule | undefined {
  const [top, sub] = key.split('.', 2) as [keyof Config, string | undefined];
  const section: Section<keyof Config> | undefined = RELOAD_TABLE[top];
  if (section === undefined) return undefined;
  const rule = sub === undefined ? undefined : (section.keys as Record<string, ReloadRule> | undefined)?.[sub];
  return rule ?? section;
}

/**
 * The keys that differ between the config the process started with and `next`, and that
 * only a restart applies: `section.key` inside a mapping, else the section.
 */
export function restartPending(started: ResolvedConfig, next: ResolvedConfig): string[] {
  const pending: string[] = [];
  for (const top of Object.keys(RELOAD_TABLE) as (keyof Config)[]) {
    const a: unknown = started[top];
    const b: unknown = next[top];
    if (isDeepStrictEqual(a, b)) continue;
    const changed =
      isMapping(a) && isMapping(b)
        ? [...new Set([...Object.keys(a), ...Object.keys(b)])]
            .filter((k) => !isDeepStrictEqual(a[k], b[k]))
            .map((k) => `${top}.${k}`)
        : [top];
    pending.push(...changed.filter((k) => reloadRule(k)?.mode === 'restart'));
  }
  return pending;
}

const isMapping = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Map);
