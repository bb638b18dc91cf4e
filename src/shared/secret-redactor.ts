/** Shorter values are not treated as secrets: redacting "a" or "am" would shred every line. */
export const MIN_SECRET_LENGTH = 6;
const MASK = '***';

/**
 * Replaces every known secret value in a text, whatever field, error or message carried it.
 * One indexOf pass per secret over the text: linear in its length for a bounded set of
 * secrets. A secret is also searched in its JSON-escaped form, as it appears in a log line.
 */
export class SecretRedactor {
  #secrets: string[] = [];

  constructor(secrets: Iterable<string> = []) {
    this.set(secrets);
  }

  /** The secrets of the running config: replaced as a whole on reload. */
  set(secrets: Iterable<string>): void {
    const forms = new Set<string>();
    for (const s of secrets) {
      if (s.length < MIN_SECRET_LENGTH) continue;
      forms.add(s);
      forms.add(JSON.stringify(s).slice(1, -1));
    }
    // Longest first, so a secret that contains another is masked whole.
    this.#secrets = [...forms].sort((a, b) => b.length - a.length);
  }

  redact(text: string): string {
    let out = text;
    for (const secret of this.#secrets) out = replaceAll(out, secret);
    return out;
  }
}

function replaceAll(text: string, secret: string): string {
  let at = text.indexOf(secret);
  if (at === -1) return text;
  let out = '';
  let from = 0;
  while (at !== -1) {
    out += text.slice(from, at) + MASK;
    from = at + secret.length;
    at = text.indexOf(secret, from);
  }
  return out + text.slice(from);
}
