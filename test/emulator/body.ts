/**
 * Reads a request body the way Discord's API does: JSON, or the payload_json part of a
 * multipart upload, or form-encoded fields. Any other content type counts as no body at all,
 * which is why a missing Content-Type header ends in "Cannot send an empty message".
 */
import type { IncomingMessage } from 'node:http';

export type ParsedBody =
  | { kind: 'empty' }
  | { kind: 'json'; value: unknown }
  | { kind: 'invalid-json'; raw: string }
  | { kind: 'ignored'; raw: string };

export async function readRaw(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function parseJson(text: string): ParsedBody {
  try {
    return { kind: 'json', value: JSON.parse(text) as unknown };
  } catch {
    return { kind: 'invalid-json', raw: text };
  }
}

export async function parseBody(raw: Buffer, contentType: string | undefined): Promise<ParsedBody> {
  if (raw.length === 0) return { kind: 'empty' };
  const text = raw.toString('utf8');
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/json') return parseJson(text);
  if (type === 'application/x-www-form-urlencoded') {
    return { kind: 'json', value: Object.fromEntries(new URLSearchParams(text)) };
  }
  if (type === 'multipart/form-data') {
    try {
      const form = await new Response(raw, { headers: { 'content-type': contentType ?? '' } }).formData();
      const payload = form.get('payload_json');
      return typeof payload === 'string' ? parseJson(payload) : { kind: 'empty' };
    } catch {
      return { kind: 'ignored', raw: text };
    }
  }
  return { kind: 'ignored', raw: text };
}

/** What the request log keeps: the parsed value, or the raw text, or undefined. */
export function loggedBody(body: ParsedBody): unknown {
  if (body.kind === 'json') return body.value;
  if (body.kind === 'empty') return undefined;
  return body.raw;
}
