/**
 * Requests whose body Discord's OpenAPI spec refused, from every emulator of this test file
 * that does not expect refusals. A vitest setup file takes them after each test and fails the
 * test if there are any: a body the spec refuses is a bug in the sender even where the test
 * itself only looked at something else.
 */
import type { ReceivedRequest } from './types.js';

const pending: ReceivedRequest[] = [];

export function recordSpecViolation(request: ReceivedRequest): void {
  pending.push(request);
}

/** The violations recorded since the last call, and forgets them. */
export function takeSpecViolations(): ReceivedRequest[] {
  return pending.splice(0);
}
