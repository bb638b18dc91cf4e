import { z } from 'zod';
import { DURATION_EXAMPLES, parseDuration } from './duration.js';

/**
 * "500ms", "90s", "1h30m", "1d" → milliseconds, as Prometheus reads durations. Numbers are
 * seconds, as in Alertmanager configs.
 */
export const durationSchema = z
  .union([
    z
      .number()
      .nonnegative()
      .transform((s) => s * 1000),
    z.string().describe(`A duration: units y, w, d, h, m, s, ms from the largest down (${DURATION_EXAMPLES})`),
  ])
  .transform((value, ctx) => {
    if (typeof value === 'number') return value;
    const parsed = parseDuration(value);
    if (parsed.ok) return parsed.ms;
    const shown = value.length > 32 ? `${value.slice(0, 32)}…` : value;
    ctx.addIssue({
      code: 'custom',
      message: `"${shown}" is not a duration: it ${parsed.reason} (${DURATION_EXAMPLES})`,
    });
    return z.NEVER;
  });

const SIZE = /^(\d+(?:\.\d+)?)\s*(B|KB|KiB|MB|MiB|GB|GiB)?$/i;
const SIZE_BYTES: Record<string, number> = {
  b: 1,
  kb: 1000,
  kib: 1024,
  mb: 1_000_000,
  mib: 1024 ** 2,
  gb: 1_000_000_000,
  gib: 1024 ** 3,
};

/** "10MiB", "512KB" or a number of bytes → bytes. */
export const sizeSchema = z.union([z.number().int().positive(), z.string()]).transform((value, ctx) => {
  if (typeof value === 'number') return value;
  const m = SIZE.exec(value.trim());
  if (!m) {
    ctx.addIssue({ code: 'custom', message: `"${value}" is not a size (examples: 10MiB, 512KiB, 1048576)` });
    return z.NEVER;
  }
  return Math.floor(Number(m[1]) * (SIZE_BYTES[(m[2] ?? 'b').toLowerCase()] ?? 1));
});
