import type { HelperOptions } from 'handlebars';
import { CAPACITY_KEY } from './compile-leaf.js';
import { cutToCapacity } from './cut-to-capacity.js';

/** Cuts a value to the capacity of the leaf being rendered (from a helper's options), when it has one. */
export function cutFor(value: string, options: HelperOptions | undefined): string {
  const capacity = (options?.data as Record<string, unknown> | undefined)?.[CAPACITY_KEY];
  return typeof capacity === 'number' ? cutToCapacity(value, capacity) : value;
}
