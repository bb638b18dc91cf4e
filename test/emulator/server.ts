/**
 * HTTP front of the emulator: routing, injected faults, and the gates every request passes
 * (global limit, webhook bucket, webhook token) before an endpoint runs. Answers carry the
 * webhook bucket's rate-limit headers, as Discord's do, and every request is logged with its
 * token masked.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { loggedBody, parseBody, readRaw, type ParsedBody } from './body.js';
import { WebhookApi } from './handlers.js';
import { bucketHash } from './ids.js';
import { RateLimits } from './ratelimit.js';
import { CHANNEL_WRITE_MESSAGE, errors, json, proxyAnswer, rateLimited, serverError, type Reply } from './replies.js';
import { recordSpecViolation } from './spec-guard.js';
import { Store } from './store.js';
import type { ThreadInfo } from './threads.js';
import type {
  Counts,
  CreateWebhookOptions,
  Emulator,
  EmulatorOptions,
  Faults,
  ReceivedRequest,
  StoredMessage,
  WebhookHandle,
} from './types.js';

const ROUTE = /^\/api(?:\/v(\d+))?\/webhooks\/([^/]+)\/([^/]+)(?:\/messages\/([^/]+))?\/?$/;
const TOKEN_SEGMENT = /^(\/api(?:\/v\d+)?\/webhooks\/[^/]+\/)[^/]+/;
const LOGGED_METHODS = ['POST', 'PATCH', 'GET', 'DELETE'] as const;
type LoggedMethod = (typeof LOGGED_METHODS)[number];

interface Route {
  /** 6 for the unversioned path */
  version: number;
  webhookId: string;
  token: string;
  messageId: string | undefined;
}

function parseRoute(pathname: string): Route | undefined {
  const m = ROUTE.exec(pathname);
  if (!m) return undefined;
  return { version: m[1] ? Number(m[1]) : 6, webhookId: m[2]!, token: m[3]!, messageId: m[4] };
}

const isLogged = (method: string): method is LoggedMethod => (LOGGED_METHODS as readonly string[]).includes(method);

class EmulatorServer implements Emulator {
  url = '';
  private faults: Faults = {};
  private readonly store: Store;
  private readonly limits: RateLimits;
  private readonly api: WebhookApi;
  private readonly now: () => number;
  private readonly v6: boolean;
  private readonly allowSpecViolations: boolean;
  private readonly server: Server;

  constructor(opts: EmulatorOptions) {
    this.now = opts.now ?? Date.now;
    this.v6 = opts.unversionedIsV6 ?? true;
    this.allowSpecViolations = opts.allowSpecViolations ?? false;
    this.store = new Store(opts.autoArchiveMinutes ?? 1440);
    this.limits = new RateLimits({
      webhook: opts.webhookLimit ?? { limit: 5, windowMs: 2000 },
      channel: opts.channelLimit === undefined ? { limit: 30, windowMs: 60_000 } : opts.channelLimit,
      global: opts.globalLimit === undefined ? { limit: 50, windowMs: 1000 } : opts.globalLimit,
    });
    this.api = new WebhookApi(this.store, this.limits);
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        console.error('discord emulator: unexpected error', err);
        if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
        res.end('emulator error');
      });
    });
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}`;
  }

  get requests(): ReceivedRequest[] {
    return this.store.requests;
  }

  get messages(): StoredMessage[] {
    return this.store.messages;
  }

  createWebhook(opts?: CreateWebhookOptions): WebhookHandle {
    return this.store.createWebhook(opts);
  }

  archiveThread(threadId: string): void {
    if (!this.store.threads.archive(threadId)) throw new Error(`discord emulator: no thread ${threadId}`);
  }

  thread(threadId: string): ThreadInfo | undefined {
    return this.store.threads.info(threadId, this.now());
  }

  deleteWebhook(id: string): void {
    this.store.deleteWebhook(id);
  }

  messagesFor(webhookId: string): StoredMessage[] {
    return this.store.messagesFor(webhookId);
  }

  setFaults(f: Faults): void {
    this.faults = {
      ...f,
      ...(f.force429 ? { force429: { ...f.force429 } } : {}),
      ...(f.forceAnswer ? { forceAnswer: { ...f.forceAnswer } } : {}),
    };
  }

  counts(): Counts {
    return this.store.counts();
  }

  reset(): void {
    this.store.clear();
    this.limits.clear();
    this.faults = {};
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const at = this.now();
    const raw = await readRaw(req);
    if (this.faults.latencyMs) await delay(this.faults.latencyMs);
    const url = new URL(req.url ?? '/', 'http://emulator.invalid');
    const method = req.method ?? '';
    const body = await parseBody(raw, req.headers['content-type']);
    const route = parseRoute(url.pathname);
    const outcome = this.process(method, route, url.searchParams, body, at);

    if (isLogged(method)) {
      const entry: ReceivedRequest = {
        method,
        webhookId: route?.webhookId ?? '',
        path: url.pathname.replace(TOKEN_SEGMENT, '$1:token') + url.search,
        query: Object.fromEntries(url.searchParams),
        body: loggedBody(body),
        status: outcome === 'reset' ? 0 : outcome.status,
        at,
        responseBody: outcome === 'reset' ? undefined : (outcome.json ?? outcome.text?.body),
      };
      if (outcome !== 'reset' && outcome.scope) entry.scope = outcome.scope;
      if (outcome !== 'reset' && outcome.specErrors) {
        entry.specErrors = outcome.specErrors;
        if (!this.allowSpecViolations) recordSpecViolation(entry);
      }
      this.store.requests.push(entry);
    }
    if (outcome === 'reset') {
      req.socket.destroy();
      return;
    }
    write(res, outcome);
  }

  private process(
    method: string,
    route: Route | undefined,
    query: URLSearchParams,
    body: ParsedBody,
    now: number,
  ): Reply | 'reset' {
    const random = this.faults.random ?? Math.random;
    const { resetRate, serverErrorRate } = this.faults;
    if (resetRate && random() < resetRate) return 'reset';
    if (serverErrorRate && random() < serverErrorRate) {
      const status = ([500, 502, 503] as const)[Math.min(2, Math.floor(random() * 3))]!;
      return this.withBucket(route, serverError(status), now);
    }
    const forced = this.faults.forceAnswer;
    if (forced && forced.count > 0) {
      forced.count--;
      return forced.json === undefined
        ? proxyAnswer(forced.status)
        : this.withBucket(route, json(forced.status, forced.json), now);
    }
    if (!route) return errors.notFound();
    if (![6, 9, 10].includes(route.version)) return errors.invalidVersion();
    const allowed = route.messageId === undefined ? ['POST', 'GET', 'DELETE'] : ['GET', 'PATCH', 'DELETE'];
    if (!allowed.includes(method)) return errors.methodNotAllowed();

    const legacy = route.version === 6 && this.v6;
    const reply = this.gate(route, legacy, now) ?? this.dispatch(method, route, query, body, now, legacy);
    return this.withBucket(route, reply, now);
  }

  /** Forced 429s first, then the global limit, then the webhook's own bucket. */
  private gate(route: Route, legacy: boolean, now: number): Reply | undefined {
    const forced = this.faults.force429;
    if (forced && forced.count > 0) {
      forced.count--;
      const scope = forced.scope ?? (forced.global ? 'global' : 'user');
      const shared = scope === 'shared' ? { code: 20028, message: CHANNEL_WRITE_MESSAGE } : {};
      const global = forced.global ?? scope === 'global';
      return rateLimited({ retryMs: forced.retryAfter * 1000, scope, global, legacy, ...shared });
    }
    const globalMs = this.limits.takeGlobal(now);
    if (globalMs !== undefined) return rateLimited({ retryMs: globalMs, scope: 'global', legacy });
    const webhookMs = this.limits.takeWebhook(route.webhookId, now);
    if (webhookMs !== undefined) return rateLimited({ retryMs: webhookMs, scope: 'user', legacy });
    return undefined;
  }

  private dispatch(
    method: string,
    route: Route,
    query: URLSearchParams,
    body: ParsedBody,
    now: number,
    legacy: boolean,
  ): Reply {
    const hook = this.store.hooks.get(route.webhookId);
    if (!hook || hook.deleted) return errors.unknownWebhook();
    if (route.token !== hook.token) return errors.invalidToken();
    return this.api.handle({ method, hook, messageId: route.messageId, query, body, now, legacy });
  }

  /** Adds the bucket headers; the bucket is shown as it stands, even on a hidden-limit 429. */
  private withBucket(route: Route | undefined, reply: Reply, now: number): Reply {
    if (!route || reply.edge) return reply;
    const s = this.limits.webhookState(route.webhookId, now);
    reply.headers = {
      'X-RateLimit-Limit': String(s.limit),
      'X-RateLimit-Remaining': String(s.remaining),
      'X-RateLimit-Reset': (s.resetAt / 1000).toFixed(3),
      'X-RateLimit-Reset-After': (s.resetAfterMs / 1000).toFixed(3),
      'X-RateLimit-Bucket': bucketHash(route.webhookId),
      ...reply.headers,
    };
    return reply;
  }
}

function write(res: ServerResponse, reply: Reply): void {
  const headers: Record<string, string | number> = reply.edge
    ? { Server: 'cloudflare', ...reply.headers }
    : { Via: '1.1 google', ...reply.headers };
  if (reply.json !== undefined) {
    const text = JSON.stringify(reply.json);
    res.writeHead(reply.status, {
      ...headers,
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(text),
    });
    res.end(text);
  } else if (reply.text) {
    res.writeHead(reply.status, {
      ...headers,
      'Content-Type': reply.text.type,
      'Content-Length': Buffer.byteLength(reply.text.body),
    });
    res.end(reply.text.body);
  } else {
    res.writeHead(reply.status, headers);
    res.end();
  }
}

/** Starts an emulator on 127.0.0.1 with a free port. */
export async function startEmulator(opts: EmulatorOptions = {}): Promise<Emulator> {
  const emulator = new EmulatorServer(opts);
  await emulator.listen();
  return emulator;
}
