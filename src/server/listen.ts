import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Listening {
  server: Server;
  /** Where to reach it: a wildcard address is reached on the loopback. */
  url: string;
  /** The address bound, as the OS reports it. */
  address: string;
}

/** Listens on `host:port` (0: any free port), cutting off clients that send slowly. */
export async function listen(
  app: RequestListener,
  host: string,
  port: number,
  requestTimeoutMs: number,
): Promise<Listening> {
  // Slow-body clients are cut off (408) instead of holding a connection and a parser forever.
  const server = createServer(
    {
      requestTimeout: requestTimeoutMs,
      headersTimeout: Math.min(60_000, requestTimeoutMs),
      connectionsCheckingInterval: Math.min(1000, requestTimeoutMs),
    },
    app,
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${shown === '0.0.0.0' ? '127.0.0.1' : shown}:${address.port}`;
  return { server, url, address: address.address };
}
