/**
 * What a Kubernetes Service puts in front of several replicas, for tests that run more than one.
 *
 * - `connection` mode balances TCP connections, as kube-proxy does: a keep-alive connection
 *   (Alertmanager's) stays on one replica for as long as it lives.
 * - `request` mode balances every HTTP request, as a service mesh does.
 *
 * A replica that refuses connections (killed) is skipped, as an endpoint failing its readiness
 * probe is taken out of a Service; a connection that was on it is closed.
 */
import { createServer as createHttpServer, request as httpRequest, type Server as HttpServer } from 'node:http';
import { connect, createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';

export type BalanceMode = 'connection' | 'request';

export interface Backend {
  host: string;
  port: number;
}

export interface RoundRobinProxy {
  url: string;
  /** How many connections (connection mode) or requests (request mode) each backend got. */
  readonly counts: number[];
  close(): Promise<void>;
}

export async function startRoundRobinProxy(backends: readonly Backend[], mode: BalanceMode): Promise<RoundRobinProxy> {
  if (backends.length === 0) throw new Error('a proxy needs at least one backend');
  const counts = backends.map(() => 0);
  let next = 0;
  /** Backends in round-robin order, starting at the next one. */
  const rotation = (): number[] => {
    const start = next;
    next = (next + 1) % backends.length;
    return backends.map((_, i) => (start + i) % backends.length);
  };
  const server = mode === 'connection' ? tcpProxy(backends, rotation, counts) : httpProxy(backends, rotation, counts);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('proxy has no port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    counts,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        if ('closeAllConnections' in server) server.closeAllConnections();
        else closeSockets(server);
      }),
  };
}

const openSockets = new WeakMap<TcpServer, Set<Socket>>();

function closeSockets(server: TcpServer): void {
  for (const socket of openSockets.get(server) ?? []) socket.destroy();
}

function tcpProxy(backends: readonly Backend[], rotation: () => number[], counts: number[]): TcpServer {
  const sockets = new Set<Socket>();
  const server = createTcpServer((client) => {
    sockets.add(client);
    client.once('close', () => sockets.delete(client));
    client.pause();
    const order = rotation();
    const attempt = (k: number): void => {
      const index = order[k];
      const backend = index === undefined ? undefined : backends[index];
      if (index === undefined || backend === undefined) {
        client.destroy();
        return;
      }
      const upstream = connect(backend.port, backend.host);
      upstream.once('connect', () => {
        counts[index] = (counts[index] ?? 0) + 1;
        upstream.removeAllListeners('error');
        upstream.on('error', () => client.destroy());
        client.on('error', () => upstream.destroy());
        upstream.once('close', () => client.destroy());
        client.once('close', () => upstream.destroy());
        client.pipe(upstream);
        upstream.pipe(client);
        client.resume();
      });
      upstream.once('error', () => attempt(k + 1));
    };
    attempt(0);
  });
  openSockets.set(server, sockets);
  return server;
}

function httpProxy(backends: readonly Backend[], rotation: () => number[], counts: number[]): HttpServer {
  return createHttpServer((req, res) => {
    // The body is read first so that a refused backend can be skipped and the request sent on.
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const order = rotation();
      const attempt = (k: number): void => {
        const index = order[k];
        const backend = index === undefined ? undefined : backends[index];
        if (index === undefined || backend === undefined) {
          res.writeHead(502).end('no backend');
          return;
        }
        const upstream = httpRequest(
          { host: backend.host, port: backend.port, method: req.method, path: req.url, headers: req.headers },
          (answer) => {
            counts[index] = (counts[index] ?? 0) + 1;
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
          },
        );
        upstream.once('error', (error: NodeJS.ErrnoException) => {
          if (error.code === 'ECONNREFUSED' && !res.headersSent) attempt(k + 1);
          else if (!res.headersSent) res.writeHead(502).end(error.code ?? 'proxy error');
          else res.destroy();
        });
        upstream.end(body);
      };
      attempt(0);
    });
  });
}
