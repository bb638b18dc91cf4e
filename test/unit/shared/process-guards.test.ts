import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/shared/logger.js';
import { installProcessGuards } from '../../../src/shared/process-guards.js';

const TOKEN = `SECRET-token-${'z'.repeat(55)}`;

function guarded() {
  const proc = new EventEmitter();
  const lines: string[] = [];
  const log = createLogger('info', { write: (l) => void lines.push(l) });
  const fatal: Error[] = [];
  const exits: number[] = [];
  installProcessGuards(proc, { log: () => log, fatal: (e) => void fatal.push(e), exit: (c) => void exits.push(c) });
  return { proc, lines, fatal, exits };
}

describe('process guards', () => {
  it('log an unhandled rejection, redacted, and keep running', () => {
    const { proc, lines, fatal, exits } = guarded();
    proc.emit('unhandledRejection', new Error(`POST https://discord.com/api/webhooks/123456789/${TOKEN} failed`));
    proc.emit('unhandledRejection', 'a bare string');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain('unhandled promise rejection; still running');
    expect(lines[0]).toContain('/webhooks/123456789/***');
    expect(lines.join('')).not.toContain(TOKEN);
    expect(lines[1]).toContain('a bare string');
    expect(fatal).toEqual([]);
    expect(exits).toEqual([]);
  });

  it('shut down once on an uncaught exception, and exit at once on a second', () => {
    const { proc, lines, fatal, exits } = guarded();
    const first = new Error('first');
    proc.emit('uncaughtException', first);
    expect(fatal).toEqual([first]);
    expect(exits).toEqual([]);
    proc.emit('uncaughtException', new Error('second'));
    expect(fatal).toEqual([first]);
    expect(exits).toEqual([1]);
    expect(lines[0]).toContain('uncaught exception: shutting down');
    expect(lines[1]).toContain('exiting now');
  });
});
