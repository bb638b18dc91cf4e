/**
 * Discord reports every problem of a request body at once, as a tree mirroring the body with
 * `_errors` lists at the leaves. Collecting into one tree lets a test see all violations of a
 * message, and lets the app's logs be checked against the shape it will meet in production.
 */

export interface FormError {
  code: string;
  message: string;
}

export type ErrorPath = readonly (string | number)[];
export type ErrorTree = { [key: string]: unknown };

export class FormErrors {
  readonly tree: ErrorTree = {};
  private readonly added: { path: ErrorPath; error: FormError }[] = [];

  add(path: ErrorPath, code: string, message: string): void {
    let node = this.tree;
    for (const key of path) node = (node[String(key)] ??= {}) as ErrorTree;
    ((node._errors ??= []) as FormError[]).push({ code, message });
    this.added.push({ path, error: { code, message } });
  }

  get count(): number {
    return this.added.length;
  }

  /**
   * Adds what `other` found at the paths where this tree has no error yet: a second reading of
   * the same rule (a length, a type) then does not show up twice in different words.
   */
  addNew(other: FormErrors): void {
    const own = new Set(this.added.map((a) => pathKey(a.path)));
    for (const { path, error } of other.added) {
      if (!own.has(pathKey(path))) this.add(path, error.code, error.message);
    }
  }
}

const pathKey = (path: ErrorPath) => JSON.stringify(path.map(String));

/** API v6 shape: each `_errors` list becomes a plain list of messages, with no code wrapper. */
export function legacyTree(tree: ErrorTree): unknown {
  const keys = Object.keys(tree).filter((k) => k !== '_errors');
  const own = ((tree._errors as FormError[] | undefined) ?? []).map((e) => e.message);
  if (keys.length === 0) return own;
  const out: Record<string, unknown> = {};
  for (const k of keys) out[k] = legacyTree(tree[k] as ErrorTree);
  if (own.length > 0) out._errors = own;
  return out;
}

/** Walks a tree along a path; handy in tests: errorsAt(body.errors, ['embeds', 0, 'title']). */
export function errorsAt(tree: unknown, path: ErrorPath): FormError[] | undefined {
  let node = tree as ErrorTree | undefined;
  for (const key of path) node = node?.[String(key)] as ErrorTree | undefined;
  return node?._errors as FormError[] | undefined;
}
