import type { Logger } from './logger.js';

/** The part of `process` the guards listen on (an EventEmitter in tests). */
export interface ProcessEvents {
  on(event: 'unhandledRejection', listener: (reason: unknown) => void): unknown;
  on(event: 'uncaughtException', listener: (err: Error) => void): unknown;
}

export interface GuardOptions {
  /** The service's (redacting) logger once it runs, another one before. */
  log: () => Logger;
  /** After an uncaught exception: stop, drain what can be drained, exit non-zero. */
  fatal: (err: Error) => void;
  exit: (code: number) => void;
}

/**
 * A promise nobody awaited that rejects is a bug somewhere, not a reason to lose the queue:
 * it is logged and the service keeps running (Node would exit). After an uncaught exception the
 * process state is unknown, so it shuts down as on SIGTERM (visible dead letters rather than
 * a silent loss) and exits 1; a second one while that runs exits at once.
 */
export function installProcessGuards(proc: ProcessEvents, o: GuardOptions): void {
  proc.on('unhandledRejection', (reason) => {
    o.log().error({ err: reason }, 'unhandled promise rejection; still running');
  });
  let fatal = false;
  proc.on('uncaughtException', (err) => {
    o.log().fatal(
      { err },
      fatal ? 'uncaught exception while shutting down: exiting now' : 'uncaught exception: shutting down',
    );
    if (fatal) return o.exit(1);
    fatal = true;
    o.fatal(err);
  });
}
