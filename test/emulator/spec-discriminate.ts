/**
 * The spec lists the kinds of component as a plain oneOf. Every branch requires its own `type`
 * value, so at most one branch can match, and the oneOf means "a known type, valid as that type".
 * Saying so to the validator keeps its errors on the branch the body chose, instead of one
 * "type must be 1" per other kind. The accepted bodies are the same.
 */
type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const PREFIX = '#/components/schemas/';

/** The single `type` value a schema requires, if it is such a tagged schema. */
function tag(schemas: Obj, ref: unknown): unknown {
  if (typeof ref !== 'string' || !ref.startsWith(PREFIX)) return undefined;
  const s = schemas[ref.slice(PREFIX.length)];
  if (!isObj(s) || !Array.isArray(s.required) || !s.required.includes('type') || !isObj(s.properties)) return undefined;
  const type = s.properties.type;
  return isObj(type) && Array.isArray(type.enum) && type.enum.length === 1 ? type.enum[0] : undefined;
}

function rewrite(node: unknown, schemas: Obj): unknown {
  if (Array.isArray(node)) return node.map((n) => rewrite(n, schemas));
  if (!isObj(node)) return node;
  const out: Obj = Object.fromEntries(Object.entries(node).map(([k, v]) => [k, rewrite(v, schemas)]));
  const branches = node.oneOf;
  if (!Array.isArray(branches) || Object.keys(node).length !== 1) return out;
  const refs = branches.map((b) => (isObj(b) ? b.$ref : undefined));
  const tags = refs.map((r) => tag(schemas, r));
  if (tags.some((t) => t === undefined) || new Set(tags).size !== tags.length) return out;
  delete out.oneOf;
  return {
    ...out,
    type: 'object',
    required: ['type'],
    properties: { type: { enum: tags } },
    allOf: tags.map((t, i) => ({
      if: { type: 'object', properties: { type: { const: t } }, required: ['type'] },
      then: { $ref: refs[i] },
    })),
  };
}

/** The schemas with each tagged oneOf written as if/then on `type`. */
export function discriminateComponents(schemas: Record<string, unknown>): Record<string, unknown> {
  return rewrite(schemas, schemas) as Record<string, unknown>;
}
