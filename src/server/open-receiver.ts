import { isIP } from 'node:net';

/** 127.0.0.0/8, ::1 (also IPv4-mapped) and localhost: reachable from this host only. */
export function isLoopback(address: string): boolean {
  const host = address.toLowerCase().replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host === '::1') return true;
  const v4 = host.startsWith('::ffff:') ? host.slice('::ffff:'.length) : host;
  return isIP(v4) === 4 && v4.startsWith('127.');
}

/**
 * Without server.auth the receiver, /api and /ui answer anyone who can reach the address:
 * fine on loopback, worth a warning anywhere else.
 */
export function openReceiverWarning(address: string, authConfigured: boolean): string | undefined {
  if (authConfigured || isLoopback(address)) return undefined;
  return 'server.auth is not set and alertcord listens beyond loopback: POST /alerts, /api and /ui are open to anything that can reach this address (set server.auth, or a NetworkPolicy)';
}
