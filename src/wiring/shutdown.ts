import type { Server } from 'node:http';
import type { Delivery } from '../delivery/delivery.js';
import type { MessageSink } from '../discord/client.js';
import type { Heartbeat } from '../routing/heartbeat.js';
import type { Router } from '../routing/router.js';
import type { Logger } from '../shared/logger.js';

export interface ShutdownParts {
  /** Turns readiness off, so the load balancer stops sending first. */
  notReady: () => void;
  router: Router;
  server: Server;
  heartbeat: () => Heartbeat | undefined;
  watcher: { close(): void };
  delivery: Delivery;
  drainTimeoutMs: number;
  sink: MessageSink;
  log: Logger;
  /** With Redis: what is not delivered stays in the stream for the next dispatcher. */
  cluster?: {
    stopDispatching(): Promise<void>;
    /** After the drain: ack what was delivered, release the lease. */
    handOver(): Promise<void>;
    close(): Promise<void>;
  };
}

/**
 * Readiness off, stop accepting, drain deliveries up to the deadline, close the Discord client
 * and the connections left. Once: a second call waits for the first. With Redis the reading of
 * the stream stops first, nothing is dead-lettered for the shutdown, and the lease is released
 * after the drain so that a standby takes over at once.
 */
export function shutdownSequence(p: ShutdownParts): () => Promise<void> {
  let shuttingDown: Promise<void> | undefined;
  return () =>
    (shuttingDown ??= (async () => {
      p.notReady();
      // From here notifications still in flight are refused (503): stopped timers never send.
      if (p.cluster) await p.cluster.stopDispatching();
      p.router.stop(p.cluster !== undefined);
      const closed = new Promise<void>((resolve) => p.server.close(() => resolve()));
      p.server.closeIdleConnections();
      await p.heartbeat()?.stop();
      p.watcher.close();
      await p.delivery.drain(p.drainTimeoutMs, { keepUnsent: p.cluster !== undefined });
      await p.cluster?.handOver();
      await p.sink.close();
      await p.cluster?.close();
      p.server.closeAllConnections();
      await closed;
      p.log.info('alertcord stopped');
    })());
}
