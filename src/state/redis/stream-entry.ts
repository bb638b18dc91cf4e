/** What intake appends for one POST /alerts: the notification as received, and where and when. */
export interface IntakeRecord {
  /** The validated notification (JSON-serialisable). */
  notification: unknown;
  /** The `{path}` of POST /alerts/{path}; undefined for POST /alerts. */
  receiverPath: string | undefined;
  /** ms since the epoch, on the receiving replica's clock. */
  receivedAt: number;
}

export interface StreamEntry extends IntakeRecord {
  /** The stream id, to ack once every message from it is delivered or dead-lettered. */
  id: string;
}

/** Stream fields as field, value pairs; no path field for POST /alerts. */
export function encodeRecord(record: IntakeRecord): string[] {
  const fields = ['notification', JSON.stringify(record.notification), 'received_at', String(record.receivedAt)];
  if (record.receiverPath !== undefined) fields.push('path', record.receiverPath);
  return fields;
}

/** An entry as XREADGROUP / XAUTOCLAIM return it; undefined when it is not one intake wrote. */
export function decodeEntry(id: string, fields: readonly string[]): StreamEntry | undefined {
  const get = (name: string) => {
    for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === name) return fields[i + 1];
    return undefined;
  };
  const text = get('notification');
  const receivedAt = Number(get('received_at'));
  if (text === undefined || !Number.isFinite(receivedAt)) return undefined;
  try {
    return { id, notification: JSON.parse(text) as unknown, receiverPath: get('path'), receivedAt };
  } catch {
    return undefined;
  }
}
