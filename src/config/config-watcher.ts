import { existsSync, watch, type FSWatcher } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import type { ResolvedConfig } from './load.js';

export interface WatchedPaths {
  /** Files whose change means reload: the config file and every secret file it reads. */
  files: string[];
  /** Directories where any change means reload: the templates. */
  dirs: string[];
}

export function watchedPaths(configFile: string, config: ResolvedConfig): WatchedPaths {
  if (!config.reload.watch) return { files: [], dirs: [] };
  const files = [configFile, ...secretFiles(config)];
  const dirs: string[] = [];
  if (config.templates.dir !== undefined) {
    dirs.push(config.templates.dir);
    const partials = join(config.templates.dir, 'partials');
    if (existsSync(partials)) dirs.push(partials);
  }
  return { files, dirs };
}

/** Every `*_file` the config reads a secret from: webhook URLs, receiver and Redis credentials. */
export function secretFiles(config: ResolvedConfig): string[] {
  const files: string[] = [];
  for (const t of config.targets.values()) {
    if (t.webhook_url_file !== undefined) files.push(t.webhook_url_file);
    files.push(...(t.webhook_url_files ?? []));
  }
  const auth = config.server.auth;
  if (auth.bearer_token_file !== undefined) files.push(auth.bearer_token_file);
  if (auth.basic?.password_file !== undefined) files.push(auth.basic.password_file);
  // A new Redis URL needs a restart; watching it lets the reload say so.
  const redisUrlFile = config.state.redis?.url_file;
  if (redisUrlFile !== undefined) files.push(redisUrlFile);
  return files;
}

/**
 * Watches the directories that hold the config, its secrets and templates, not the files:
 * Kubernetes updates a mounted ConfigMap or Secret by renaming a `..data` symlink inside the
 * directory, which a watch on the old file never sees. A burst of events reloads once,
 * `debounceMs` after the first.
 */
export class ConfigWatcher {
  #watchers: FSWatcher[] = [];
  #pending: AbortController | undefined;
  #closed = false;

  constructor(private readonly o: { clock: Clock; log: Logger; debounceMs: () => number; onChange: () => void }) {}

  watch(paths: WatchedPaths): void {
    this.#closeWatchers();
    if (this.#closed) return;
    const byDir = new Map<string, Set<string> | 'any'>();
    for (const f of paths.files) {
      const dir = dirname(resolve(f));
      const names = byDir.get(dir);
      if (names === 'any') continue;
      byDir.set(dir, new Set([...(names ?? []), basename(f)]));
    }
    for (const d of paths.dirs) byDir.set(resolve(d), 'any');
    for (const [dir, names] of byDir) {
      try {
        const w = watch(dir, { persistent: false }, (_event, filename) => {
          const name = filename?.toString();
          // `..data` and friends: Kubernetes' atomic writer swapping a mounted volume.
          if (names === 'any' || name === undefined || names.has(name) || name.startsWith('..')) this.#changed();
        });
        w.on('error', (err) => this.o.log.warn({ dir, err: err.message }, 'stopped watching a config directory'));
        this.#watchers.push(w);
      } catch (err) {
        this.o.log.warn({ dir, err: (err as Error).message }, 'cannot watch a config directory: reload with SIGHUP');
      }
    }
  }

  close(): void {
    this.#closed = true;
    this.#pending?.abort();
    this.#closeWatchers();
  }

  #changed(): void {
    if (this.#pending || this.#closed) return;
    const pending = new AbortController();
    this.#pending = pending;
    void this.o.clock.sleep(this.o.debounceMs(), pending.signal).then(() => {
      this.#pending = undefined;
      if (!pending.signal.aborted && !this.#closed) this.o.onChange();
    });
  }

  #closeWatchers(): void {
    for (const w of this.#watchers) w.close();
    this.#watchers = [];
  }
}
