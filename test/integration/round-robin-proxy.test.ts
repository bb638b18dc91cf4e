import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { startRoundRobinProxy, type RoundRobinProxy } from '../support/round-robin-proxy.js';

/** A backend that answers with its own name. */
async function backend(name: string): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.end(name));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return { server, port: (server.address() as AddressInfo).port };
}

const closing: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const close of closing.splice(0).reverse()) await close();
});

async function setup(mode: 'connection' | 'request'): Promise<{ proxy: RoundRobinProxy; servers: Server[] }> {
  const backends = await Promise.all(['a', 'b'].map(backend));
  for (const b of backends) {
    closing.push(
      () =>
        new Promise((resolve) => {
          b.server.closeAllConnections();
          b.server.close(resolve);
        }),
    );
  }
  const proxy = await startRoundRobinProxy(
    backends.map((b) => ({ host: '127.0.0.1', port: b.port })),
    mode,
  );
  closing.push(() => proxy.close());
  return { proxy, servers: backends.map((b) => b.server) };
}

async function names(url: string, n: number, dispatcher: Agent): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const answer = await request(url, { method: 'POST', body: 'x', dispatcher });
    out.push(await answer.body.text());
  }
  return out;
}

describe('round-robin proxy', () => {
  it('keeps a keep-alive connection on one backend in connection mode', async () => {
    const { proxy } = await setup('connection');
    const one = new Agent({ connections: 1 });
    closing.push(() => one.close());
    const seen = await names(proxy.url, 6, one);
    expect(new Set(seen).size).toBe(1);
    const other = new Agent({ connections: 1 });
    closing.push(() => other.close());
    const next = await names(proxy.url, 2, other);
    expect(next[0]).not.toBe(seen[0]);
    expect(proxy.counts).toEqual([1, 1]);
  });

  it('alternates every request in request mode', async () => {
    const { proxy } = await setup('request');
    const one = new Agent({ connections: 1 });
    closing.push(() => one.close());
    expect(await names(proxy.url, 4, one)).toEqual(['a', 'b', 'a', 'b']);
    expect(proxy.counts).toEqual([2, 2]);
  });

  it('skips a backend that refuses connections', async () => {
    for (const mode of ['connection', 'request'] as const) {
      const { proxy, servers } = await setup(mode);
      const first = servers[0];
      if (!first) throw new Error('no backend');
      first.closeAllConnections();
      await new Promise((resolve) => first.close(resolve));
      const agent = new Agent({ pipelining: 0 });
      closing.push(() => agent.close());
      expect(await names(proxy.url, 3, agent)).toEqual(['b', 'b', 'b']);
    }
  });
});
