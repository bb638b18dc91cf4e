/**
 * Discord's own OpenAPI spec as a second judge of request bodies. The emulator's rules are
 * written from the docs; the spec is Discord's machine-readable reading of the same API. Each
 * catches what the other misses, so a body must pass both. Where the two disagree, the spec's
 * README says the docs win; the two places where the spec alone would refuse what the docs allow
 * are read the docs' way here (see spec.test.ts for every disagreement).
 */
import { readFileSync } from 'node:fs';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import formats from 'ajv-formats';
import { FormErrors, type ErrorPath } from './form-errors.js';
import { discriminateComponents } from './spec-discriminate.js';
import { isIsoTimestamp, type BodyMode } from './validate.js';

interface Spec {
  components: { schemas: Record<string, unknown> };
}
const spec = JSON.parse(readFileSync(new URL('./discord-spec/openapi.json', import.meta.url), 'utf8')) as Spec;

const ROOT = 'https://discord.com/api/v10/openapi.json';
const SCHEMA: Record<BodyMode, string> = {
  create: 'IncomingWebhookRequestPartial',
  edit: 'IncomingWebhookUpdateRequestPartial',
};

function compile(): Record<BodyMode, ValidateFunction> {
  // verbose: errors carry the value, which Discord's messages quote.
  const ajv = new Ajv2020({ allErrors: true, strict: true, verbose: true });
  formats.default(ajv);
  // The docs ask for an ISO 8601 timestamp; JSON Schema's date-time (RFC 3339) also demands a
  // time and an offset, which Discord does not.
  ajv.addFormat('date-time', isIsoTimestamp);
  // The spec's own formats: snowflake also has a pattern; int32 and double bound numbers.
  ajv.addFormat('snowflake', /^(0|[1-9][0-9]*)$/);
  ajv.addFormat('int32', { type: 'number', validate: (n: number) => n >= -(2 ** 31) && n < 2 ** 31 });
  ajv.addFormat('double', { type: 'number', validate: (n: number) => Number.isFinite(n) });
  ajv.addKeyword('components');
  ajv.addSchema({ $id: ROOT, components: { schemas: discriminateComponents(spec.components.schemas) } });
  const get = (name: string) => ajv.getSchema(`${ROOT}#/components/schemas/${name}`)!;
  return { create: get(SCHEMA.create), edit: get(SCHEMA.edit) };
}

/** Discord counts lengths after trimming whitespace; JSON Schema counts the raw string. */
function trimmed(v: unknown): unknown {
  if (typeof v === 'string') return v.trim();
  if (Array.isArray(v)) return v.map(trimmed);
  if (typeof v !== 'object' || v === null) return v;
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, trimmed(x)]));
}

let validators: Record<BodyMode, ValidateFunction> | undefined;

const show = (v: unknown): string => (typeof v === 'string' ? v : (JSON.stringify(v) ?? String(v)));
const under = (path: string, parent: string) => path === parent || path.startsWith(`${parent}/`);
const segments = (pointer: string): ErrorPath =>
  pointer === ''
    ? []
    : pointer
        .slice(1)
        .split('/')
        .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));

/**
 * ajv reports every branch of a oneOf that failed, including `{type: null}` alternatives of
 * nullable fields; Discord names only what is wrong with the value given. Keep an error only
 * when nothing more specific was found at or below its path.
 */
function specific(errors: ErrorObject[]): ErrorObject[] {
  const wrapper = (e: ErrorObject) =>
    e.keyword === 'oneOf' ||
    e.keyword === 'anyOf' ||
    e.keyword === 'if' ||
    (e.keyword === 'type' && e.params.type === 'null');
  return errors.filter(
    (e) => !wrapper(e) || !errors.some((o) => o !== e && !wrapper(o) && under(o.instancePath, e.instancePath)),
  );
}

const typeError = (e: ErrorObject, path: ErrorPath): [string, string] => {
  const types = ([] as string[]).concat(e.params.type as string | string[]).filter((t) => t !== 'null');
  const v = show(e.data);
  switch (types[0]) {
    case 'string':
      return ['BASE_TYPE_STRING', `Could not interpret "${v}" as string.`];
    case 'integer':
    case 'number':
      return ['NUMBER_TYPE_COERCE', `Value "${v}" is not int.`];
    case 'boolean':
      return ['BASE_TYPE_BOOLEAN', 'Must be either true or false.'];
    case 'array':
      return ['LIST_TYPE_CONVERT', 'Only iterables may be used in a ListType'];
    case 'object':
      return path.length === 0
        ? ['DICT_TYPE_CONVERT', 'Only dictionaries may be used in a DictType']
        : ['MODEL_TYPE_CONVERT', 'Only dictionaries may be used in a ModelType'];
    default:
      return ['SPEC_TYPE', `Must be ${types.join(' or ')}.`];
  }
};

/** Discord's code and message for one ajv error (choices are merged by the caller). */
function discordError(e: ErrorObject, path: ErrorPath): [string, string] {
  const limit = e.params.limit as number;
  switch (e.keyword) {
    case 'type':
      return typeError(e, path);
    case 'maxLength':
    case 'maxItems':
      return ['BASE_TYPE_MAX_LENGTH', `Must be ${limit} or fewer in length.`];
    case 'minLength':
    case 'minItems':
      return ['BASE_TYPE_MIN_LENGTH', `Must be ${limit} or more in length.`];
    case 'minimum':
      return ['NUMBER_TYPE_MIN', `int value should be greater than or equal to ${limit}.`];
    case 'maximum':
      return ['NUMBER_TYPE_MAX', `int value should be less than or equal to ${limit}.`];
    case 'required':
      return ['BASE_TYPE_REQUIRED', 'This field is required'];
    case 'pattern':
      return ['NUMBER_TYPE_COERCE', `Value "${show(e.data)}" is not snowflake.`];
    case 'format':
      if (e.params.format === 'uri') return ['URL_TYPE_INVALID_URL', 'Not a well formed URL.'];
      if (e.params.format === 'date-time')
        return ['DATE_TIME_TYPE_PARSE', `Could not parse ${show(e.data)}. Should be ISO8601.`];
      if (e.params.format === 'snowflake') return ['NUMBER_TYPE_COERCE', `Value "${show(e.data)}" is not snowflake.`];
      return ['NUMBER_TYPE_COERCE', `Value "${show(e.data)}" is not ${String(e.params.format)}.`];
    default:
      return [`SPEC_${e.keyword.toUpperCase()}`, e.message ?? e.keyword];
  }
}

/** What the spec refuses in `body`, as a Discord error tree (empty when it passes). */
export function specErrors(body: unknown, mode: BodyMode): FormErrors {
  validators ??= compile();
  const validate = validators[mode];
  const out = new FormErrors();
  if (validate(trimmed(body))) return out;
  const choices = new Map<string, { path: ErrorPath; values: unknown[] }>();
  const seen = new Set<string>();
  for (const e of specific(validate.errors ?? [])) {
    const missing = e.keyword === 'required' ? [String(e.params.missingProperty)] : [];
    const path = [...segments(e.instancePath), ...missing];
    const key = JSON.stringify(path);
    if (e.keyword === 'const' || e.keyword === 'enum') {
      const values = e.keyword === 'const' ? [e.params.allowedValue] : (e.params.allowedValues as unknown[]);
      const c = choices.get(key) ?? { path, values: [] };
      c.values.push(...values);
      choices.set(key, c);
      continue;
    }
    const [code, message] = discordError(e, path);
    if (seen.has(key + code)) continue;
    seen.add(key + code);
    out.add(path, code, message);
  }
  for (const { path, values } of choices.values()) {
    out.add(path, 'BASE_TYPE_CHOICES', `Value must be one of {${values.map((v) => show(v)).join(', ')}}.`);
  }
  return out;
}
