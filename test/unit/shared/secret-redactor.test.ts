import { describe, expect, it } from 'vitest';
import { SecretRedactor } from '../../../src/shared/secret-redactor.js';

describe('SecretRedactor', () => {
  it('masks every occurrence of every secret, the longest first', () => {
    const r = new SecretRedactor(['hunter22', 'hunter22-and-more']);
    expect(r.redact('a hunter22-and-more b hunter22hunter22 c')).toBe('a *** b ****** c');
  });

  it('masks the JSON-escaped form too, as a log line holds it', () => {
    const r = new SecretRedactor(['pa"ss\\word']);
    expect(r.redact(JSON.stringify({ msg: 'pa"ss\\word' }))).toBe('{"msg":"***"}');
  });

  it('leaves values too short to be secrets alone', () => {
    const r = new SecretRedactor(['am', 'admin', '']);
    expect(r.redact('admin am')).toBe('admin am');
  });

  it('set replaces the secrets: a reload drops the old ones', () => {
    const r = new SecretRedactor(['first-secret']);
    r.set(['second-secret']);
    expect(r.redact('first-secret second-secret')).toBe('first-secret ***');
  });

  it('runs in linear time on a long text full of near misses', () => {
    const r = new SecretRedactor(['a'.repeat(50) + 'b']);
    const started = performance.now();
    const out = r.redact('a'.repeat(1_000_000));
    // A generous guard: only a quadratic scan would come near a second.
    expect(performance.now() - started).toBeLessThan(1000);
    expect(out).toHaveLength(1_000_000);
  });
});
