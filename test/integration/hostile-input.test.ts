import { connect } from 'node:net';
import { Pool } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isEmptyMessage, validateMessageBody } from '../emulator/validate.js';
import { hostileCorpus, oversized, type HostileCase } from '../hostile/corpus.js';
import { eventually, startTestService, testConfig, type TestService } from '../support/service.js';

const SEED = 20261201;
const COUNT = 10_000;
const BODY_LIMIT = 4 * 1024 * 1024;

/**
 * The receiver under a deterministic corpus of hostile requests. Every request must get the
 * status its case expects, the process must stay up, every message it renders must be one
 * Discord accepts (checked by the emulator's own validator), and nothing may pollute
 * Object.prototype.
 */
describe('hostile input', () => {
  let service: TestService;
  let pool: Pool;
  const rendered = { messages: 0, invalid: [] as unknown[], pinging: 0 };
  const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).sort();

  beforeAll(async () => {
    service = await startTestService(
      testConfig({
        server: { host: '127.0.0.1', port: 0, request_timeout: '2s' },
        log: { level: 'warn' },
        delivery: { queue_limit: 100_000 },
        targets: { d: { dry_run: true } },
        routes: [{ targets: ['d'] }],
      }),
    );
    // Validate every would-be Discord message as it is printed; keep none of them.
    const printed = service.printed;
    printed.push = (...lines: string[]) => {
      for (const line of lines) {
        const { message } = JSON.parse(line) as { message: Record<string, unknown> };
        rendered.messages += 1;
        const errors = validateMessageBody(message, 'create');
        if (errors.count > 0 || isEmptyMessage(message)) rendered.invalid.push(errors.tree);
        const mentions = message.allowed_mentions as { parse?: unknown[] } | undefined;
        if (!mentions || (mentions.parse?.length ?? 1) > 0) rendered.pinging += 1;
      }
      return printed.length;
    };
    pool = new Pool(service.url, { connections: 8, pipelining: 1 });
  });

  afterAll(async () => {
    await pool?.close();
    await service?.shutdown();
  });

  async function send(c: HostileCase): Promise<number> {
    const res = await pool.request({
      path: '/alerts',
      method: 'POST',
      headers: c.contentType ? { 'content-type': c.contentType } : {},
      body: c.body,
    });
    await res.body.dump();
    return res.statusCode;
  }

  it(`answers ${COUNT} generated hostile requests with the right status`, async () => {
    const heapBefore = process.memoryUsage().heapUsed;
    const byKind = new Map<string, Map<number, number>>();
    const wrong: { kind: string; status: number; expect: number[]; body: string }[] = [];
    const cases = hostileCorpus(SEED, COUNT);
    const worker = async () => {
      for (let next = cases.next(); !next.done; next = cases.next()) {
        const c = next.value;
        const status = await send(c);
        const counts = byKind.get(c.kind) ?? new Map<number, number>();
        counts.set(status, (counts.get(status) ?? 0) + 1);
        byKind.set(c.kind, counts);
        if (!c.expect.includes(status))
          wrong.push({ kind: c.kind, status, expect: c.expect, body: String(c.body).slice(0, 300) });
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    for (const c of oversized(BODY_LIMIT)) {
      const status = await send(c);
      if (!c.expect.includes(status)) wrong.push({ kind: c.kind, status, expect: c.expect, body: '(4 MiB)' });
    }

    const summary = [...byKind].map(([kind, s]) => `${kind}: ${[...s].map(([code, n]) => `${n}×${code}`).join(' ')}`);
    console.log(`hostile corpus (seed ${SEED}): ${COUNT} requests\n  ${summary.join('\n  ')}`);
    expect(wrong.slice(0, 5)).toEqual([]);
    expect(wrong).toHaveLength(0);

    // Everything accepted gets rendered; every rendered message is one Discord accepts.
    await eventually(() => expect(service.delivery.queued).toBe(0), 60_000);
    console.log(
      `rendered ${rendered.messages} messages, ${rendered.invalid.length} invalid, ${rendered.pinging} without allowed_mentions {parse: []}`,
    );
    expect(rendered.messages).toBeGreaterThan(0);
    expect(rendered.invalid.slice(0, 3)).toEqual([]);
    expect(rendered.pinging).toBe(0);

    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeKeys);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((await fetch(`${service.url}/healthz`)).status).toBe(200);
    const grownMiB = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
    console.log(`heap grew ${grownMiB.toFixed(1)} MiB`);
    expect(grownMiB).toBeLessThan(512);
  }, 240_000);

  it('cuts off a client that trickles its body (408), and keeps serving', async () => {
    const { port } = new URL(service.url);
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1');
      let received = '';
      const trickle = setInterval(() => socket.write('{'), 200);
      socket.on('data', (d) => (received += d.toString()));
      socket.on('close', () => {
        clearInterval(trickle);
        resolve(received);
      });
      socket.on('error', (err) => {
        clearInterval(trickle);
        if (received) resolve(received);
        else reject(err);
      });
      socket.write(
        'POST /alerts HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n',
      );
    });
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect((await fetch(`${service.url}/healthz`)).status).toBe(200);
  }, 20_000);
});
