import { z } from 'zod';

const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/;
const DURATION_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** "250ms", "30s", "5m", "1h" → milliseconds. Numbers are seconds, as in Alertmanager configs. */
export const durationSchema = z
  .union([
    z
      .number()
      .nonnegative()
      .transform((s) => s * 1000),
    z.string().regex(DURATION, 'not a duration (examples: 500ms, 30s, 5m, 1h)'),
  ])
  .transform((value, ctx) => {
    if (typeof value === 'number') return value;
    const m = DURATION.exec(value);
    if (!m) {
      ctx.addIssue({ code: 'custom', message: `"${value}" is not a duration (examples: 500ms, 30s, 5m, 1h)` });
      return z.NEVER;
    }
    return Number(m[1]) * DURATION_MS[m[2] as keyof typeof DURATION_MS];
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
