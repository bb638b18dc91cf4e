import { UNPRINTABLE } from './char-classes.js';
import type { Leaf } from './compile-leaf.js';
import { cutToCapacity } from './cut-to-capacity.js';

/** A rendered switch (`if:`, `inline:`) is off when it renders empty or "false". */
export const isOff = (s: string): boolean => s.trim() === '' || s.trim() === 'false';
export const run = (l: Leaf | undefined, ctx: unknown): string | undefined => {
  if (!l) return undefined;
  const raw = l(ctx);
  // Cut first: cleaning and trimming then see only what the field can show.
  const out = (l.capacity === undefined ? raw : cutToCapacity(raw, l.capacity)).replace(UNPRINTABLE, '').trim();
  return out === '' ? undefined : out;
};

/** Decimal ("15158332"), hex ("#e74c3c", "0xe74c3c"); anything else leaves the colour out. */
export function parseColor(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const s = raw.trim();
  const n = /^(#|0x)[0-9a-f]{1,6}$/i.test(s)
    ? parseInt(s.replace(/^(#|0x)/i, ''), 16)
    : /^\d+$/.test(s)
      ? Number(s)
      : NaN;
  return Number.isInteger(n) && n >= 0 && n <= 0xffffff ? n : undefined;
}
