import type { Request, RequestHandler } from 'express';

const prefixes = new WeakMap<Request, Buffer[]>();

/**
 * Runs `parse` (a body parser) while keeping the first `maxBytes` of the raw body, so a body
 * refused for its size can still be named in the log. The tap is attached in the same tick
 * as the parser's own listener, so neither misses a chunk.
 */
export function keepingBodyPrefix(parse: RequestHandler, maxBytes: number): RequestHandler {
  return (req, res, next) => {
    const chunks: Buffer[] = [];
    let kept = 0;
    const tap = (chunk: Buffer) => {
      // A copy: holding a slice would keep the whole chunk alive.
      const part = Buffer.from(chunk.subarray(0, maxBytes - kept));
      chunks.push(part);
      kept += part.length;
      if (kept >= maxBytes) req.off('data', tap);
    };
    req.on('data', tap);
    req.once('end', () => req.off('data', tap));
    prefixes.set(req, chunks);
    parse(req, res, next);
  };
}

/** The start of the raw body as read so far, as text (empty when nothing was read). */
export function bodyPrefix(req: Request): string {
  return Buffer.concat(prefixes.get(req) ?? []).toString('utf8');
}
