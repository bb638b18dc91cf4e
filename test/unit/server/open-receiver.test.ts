import { describe, expect, it } from 'vitest';
import { isLoopback, openReceiverWarning } from '../../../src/server/open-receiver.js';

describe('isLoopback', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.255.3.4', true],
    ['::1', true],
    ['[::1]', true],
    ['::ffff:127.0.0.1', true],
    ['localhost', true],
    ['LOCALHOST', true],
    ['0.0.0.0', false],
    ['::', false],
    ['10.0.0.5', false],
    ['128.0.0.1', false],
    ['127.example.com', false],
    ['::ffff:10.0.0.1', false],
  ])('%s → %s', (address, loopback) => {
    expect(isLoopback(address)).toBe(loopback);
  });
});

describe('openReceiverWarning', () => {
  it('warns only without auth on an address beyond loopback', () => {
    expect(openReceiverWarning('0.0.0.0', false)).toContain('server.auth is not set');
    expect(openReceiverWarning('0.0.0.0', true)).toBeUndefined();
    expect(openReceiverWarning('127.0.0.1', false)).toBeUndefined();
  });
});
