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
  heartbeat: Heartbeat | undefined;
  watcher: { close(): void };
  delivery: Delivery;
  drainTimeoutMs: number;
  sink: MessageSink;
  log: Logger;
}

/**
 * Readiness off, stop accepting, drain deliveries up to the deadline, close the Discord client
 * and the connections left. Once: a second call waits for the first.
 */
export function shutdownSequence(p: ShutdownParts): () => Promise<void> {
  let shuttingDown: Promise<void> | undefined;
  return () =>
    (shuttingDown ??= (async () => {
      p.notReady();
      // From here notifications still in flight are refused (503): stopped timers never send.
      p.router.stop();
      const closed = new Promise<void>((resolve) => p.server.close(() => resolve()));
      p.server.closeIdleConnections();
      await p.heartbeat?.stop();
      p.watcher.close();
      await p.delivery.drain(p.drainTimeoutMs);
      await p.sink.close();
      p.server.closeAllConnections();
      await closed;
      p.log.info('alertcord stopped');
    })());
}
