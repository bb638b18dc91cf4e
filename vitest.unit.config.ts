import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

/**
 * `npm run test:unit`: the fast tests only. No unit test runs the built program, so the build
 * the full suite starts with is skipped, and so are the slow suites (integration, e2e, browser,
 * helm, docker, hostile).
 */
export default defineConfig({
  ...base,
  test: { ...base.test, include: ['test/unit/**/*.test.ts'], globalSetup: [] },
});
