/**
 * `${VAR}` and `${VAR:-fallback}` in string values. Substituted after YAML parsing, so a
 * value containing quotes or colons can never change the structure of the file.
 */
const REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

export interface EnvIssue {
  path: string;
  message: string;
}

export function substituteEnv(value: unknown, env: NodeJS.ProcessEnv, issues: EnvIssue[], path = ''): unknown {
  if (typeof value === 'string') {
    return value.replace(REFERENCE, (_, name: string, fallback: string | undefined) => {
      const found = env[name];
      if (found !== undefined && found !== '') return found;
      if (fallback !== undefined) return fallback;
      issues.push({ path: path || '(root)', message: `environment variable ${name} is not set` });
      // The reference stays: a field waiting for its secret is still a string of the right shape.
      return `\${${name}}`;
    });
  }
  if (Array.isArray(value)) return value.map((v, i) => substituteEnv(v, env, issues, `${path}[${i}]`));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = substituteEnv(v, env, issues, path ? `${path}.${k}` : k);
    }
    return out;
  }
  return value;
}
