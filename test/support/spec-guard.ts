/** Fails any test during which an emulator received a body Discord's OpenAPI spec refuses. */
import { afterEach, expect } from 'vitest';
import { takeSpecViolations } from '../emulator/spec-guard.js';

afterEach(() => {
  const refused = takeSpecViolations().map((r) => ({ method: r.method, path: r.path, errors: r.specErrors }));
  expect(refused, "request bodies Discord's OpenAPI spec refuses").toEqual([]);
});
