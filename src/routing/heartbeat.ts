import { z } from 'zod';
import type { Alert, Notification } from '../alertmanager/payload.js';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import { noJournal, type StateJournal } from '../state/journal.js';
import type { JournalEntries, Restorable, RestoreCount } from '../state/restorable.js';

export interface HeartbeatOptions {
  /** The always-firing alert Alertmanager sends (Prometheus' Watchdog). */
  alertname: string;
  timeoutMs: number;
  clock: Clock;
  log: Logger;
  /** Posts the "pipeline silent" and "pipeline back" notices. */
  notify: (notice: Notification) => void;
  onSeen: (atMs: number) => void;
  onSilentChange: (silent: boolean) => void;
  /** Where last-seen and silent are recorded (space `heartbeat`, keyed by the alertname). */
  journal?: StateJournal;
}

/** What the next process needs to go on watching: when the beat was last seen, since when it is missing. */
const watchSchema = z.object({ lastSeen: z.number(), silentSince: z.number().optional() });

/** Takes the heartbeat out of what arrives: what intake hands notifications through. */
export interface HeartbeatObserver {
  observe(n: Notification): Notification | undefined;
}

const NOTICE_ALERTNAME = 'AlertingPipelineSilent';
const ZERO_TIME = '0001-01-01T00:00:00Z';

/**
 * Dead man's switch. Alertmanager repeats an always-firing heartbeat alert; when it stops
 * arriving, something between Prometheus and alertcord is broken and no alert can reach
 * Discord, so alertcord says so itself. The heartbeat is never posted.
 */
export class Heartbeat implements HeartbeatObserver, Restorable {
  #lastSeen: number;
  #silentSince: number | undefined;
  readonly #stop = new AbortController();
  readonly #loop: Promise<void>;

  constructor(private readonly o: HeartbeatOptions) {
    // A restart gives the heartbeat one full timeout to arrive.
    this.#lastSeen = o.clock.now();
    this.#loop = this.#watch();
  }

  observe(n: Notification): Notification | undefined {
    const beats = n.alerts.filter((a) => this.#isBeat(a));
    if (beats.length === 0) return n;
    if (beats.some((a) => a.status === 'firing')) this.#seen();
    const rest = n.alerts.filter((a) => !this.#isBeat(a));
    return rest.length > 0 ? { ...n, alerts: rest } : undefined;
  }

  /**
   * Goes on from what the previous process saw: a takeover neither raises a false "pipeline
   * silent" alarm (the beat was seen recently) nor repeats one already raised.
   */
  restore(entries: JournalEntries): RestoreCount {
    let dropped = 0;
    let restored = 0;
    for (const [key, raw] of entries) {
      const watch = key === this.o.alertname ? watchSchema.safeParse(raw) : undefined;
      if (!watch?.success) {
        dropped += 1;
        continue;
      }
      restored += 1;
      this.#lastSeen = watch.data.lastSeen;
      this.o.onSeen(watch.data.lastSeen);
      this.#silentSince = watch.data.silentSince;
      if (watch.data.silentSince !== undefined) this.o.onSilentChange(true);
    }
    return { restored, dropped };
  }

  async stop(): Promise<void> {
    this.#stop.abort();
    await this.#loop;
  }

  #isBeat(a: Alert): boolean {
    return a.labels.alertname === this.o.alertname;
  }

  #seen(): void {
    const now = this.o.clock.now();
    this.#lastSeen = now;
    this.o.onSeen(now);
    const silentSince = this.#silentSince;
    this.#silentSince = undefined;
    this.#record();
    if (silentSince !== undefined) {
      const silentFor = now - silentSince;
      this.o.onSilentChange(false);
      this.o.log.info({ heartbeat: this.o.alertname }, 'heartbeat is back: alerting pipeline recovered');
      this.o.notify(this.#notice('resolved', now, silentFor));
    }
  }

  async #watch(): Promise<void> {
    const step = Math.max(1000, Math.min(15_000, this.o.timeoutMs / 10));
    while (!this.#stop.signal.aborted) {
      await this.o.clock.sleep(step, this.#stop.signal);
      const now = this.o.clock.now();
      if (this.#silentSince === undefined && now - this.#lastSeen > this.o.timeoutMs) {
        this.#silentSince = this.#lastSeen;
        this.#record();
        this.o.onSilentChange(true);
        this.o.log.error(
          { heartbeat: this.o.alertname, lastSeen: new Date(this.#lastSeen).toISOString() },
          'heartbeat missing: alerting pipeline silent',
        );
        this.o.notify(this.#notice('firing', now, now - this.#lastSeen));
      }
    }
  }

  #record(): void {
    const watch = {
      lastSeen: this.#lastSeen,
      ...(this.#silentSince !== undefined ? { silentSince: this.#silentSince } : {}),
    };
    (this.o.journal ?? noJournal).put('heartbeat', this.o.alertname, watch);
  }

  #notice(status: 'firing' | 'resolved', now: number, silentForMs: number): Notification {
    const since = new Date(this.#lastSeen).toISOString();
    const minutes = Math.round(silentForMs / 60_000);
    const labels = { alertname: NOTICE_ALERTNAME, severity: 'critical', heartbeat: this.o.alertname };
    const annotations =
      status === 'firing'
        ? {
            summary: `Alerting pipeline silent since ${since}`,
            description: `No ${this.o.alertname} heartbeat from Alertmanager for ${minutes} min. Prometheus, Alertmanager or the network to alertcord may be down: alerts may not be reaching Discord.`,
          }
        : {
            summary: 'Alerting pipeline is back',
            description: `The ${this.o.alertname} heartbeat arrived again after ${minutes} min of silence.`,
          };
    const alert: Alert = {
      status,
      labels,
      annotations,
      startsAt: since,
      endsAt: status === 'resolved' ? new Date(now).toISOString() : ZERO_TIME,
      generatorURL: '',
      fingerprint: `alertcord-heartbeat-${this.o.alertname}`,
    };
    return {
      version: '4',
      groupKey: `alertcord:heartbeat:${this.o.alertname}`,
      truncatedAlerts: 0,
      status,
      receiver: 'alertcord-heartbeat',
      groupLabels: { alertname: NOTICE_ALERTNAME },
      commonLabels: labels,
      commonAnnotations: annotations,
      externalURL: '',
      alerts: [alert],
    };
  }
}
