import { existsSync, readFileSync } from 'node:fs';
import { DockerfileParser, JSONInstruction, ModifiableInstruction } from 'dockerfile-ast';
import { validate } from 'dockerfile-utils';
import { describe, expect, it } from 'vitest';

/**
 * No container engine runs in CI, so the image is checked without building it: the
 * Dockerfile linter of the VS Code Docker tooling (dockerfile-utils), then the properties
 * the image must have, read from the parsed Dockerfile.
 */
const text = readFileSync('Dockerfile', 'utf8');

interface Step {
  keyword: string;
  args: string;
  flags: Record<string, string | null>;
  json: string[] | undefined;
}
interface Stage {
  image: string;
  name: string | undefined;
  steps: Step[];
}

function stages(): Stage[] {
  const out: Stage[] = [];
  for (const i of DockerfileParser.parse(text).getInstructions()) {
    const keyword = i.getKeyword();
    const args = i.getArgumentsContent() ?? '';
    if (keyword === 'FROM') {
      const [image = '', as, name] = args.split(/\s+/);
      out.push({ image, name: as?.toUpperCase() === 'AS' ? name : undefined, steps: [] });
      continue;
    }
    const flags =
      i instanceof ModifiableInstruction
        ? Object.fromEntries(i.getFlags().map((f) => [f.getName(), f.getValue()]))
        : {};
    const json = i instanceof JSONInstruction ? i.getJSONStrings().map((s) => s.getJSONValue()) : undefined;
    out.at(-1)?.steps.push({ keyword, args, flags, json });
  }
  return out;
}

const dockerignore = readFileSync('.dockerignore', 'utf8')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith('#'));

describe('Dockerfile', () => {
  const all = stages();
  const final = all.at(-1)!;
  const steps = (keyword: string, stage: Stage = final) => stage.steps.filter((s) => s.keyword === keyword);

  it('passes the Dockerfile linter without a diagnostic', () => {
    expect(validate(text).map((d) => `line ${d.range.start.line + 1}: ${d.message}`)).toEqual([]);
  });

  it('builds in one stage with dev dependencies and runs on Node 24 with production dependencies only', () => {
    expect(all.length).toBeGreaterThanOrEqual(2);
    for (const stage of all)
      expect(stage.image).toMatch(/^(node:24-(slim|bookworm-slim|trixie-slim)|gcr\.io\/distroless\/nodejs24)/);
    const build = all.find((s) => steps('RUN', s).some((r) => r.args.includes('npm run build')));
    expect(build, 'a stage runs npm run build').toBeDefined();
    expect(steps('RUN', build!).some((r) => /npm ci(?!.*--omit=dev)/.test(r.args))).toBe(true);

    const copies = steps('COPY');
    const modules = copies.find((c) => c.args.endsWith('node_modules'));
    const source = all.find((s) => s.name === modules?.flags.from);
    expect(source, 'node_modules comes from a named stage').toBeDefined();
    expect(steps('RUN', source!).some((r) => /npm ci\b.*--omit=dev/.test(r.args))).toBe(true);
    expect(source).not.toBe(build);
    expect(copies.find((c) => c.args.endsWith('dist'))?.flags.from).toBe(build!.name);
  });

  it('runs as a fixed non-root uid with NODE_ENV=production, port 9094 and node dist/cli.js', () => {
    const user = steps('USER').at(-1)?.args ?? '';
    expect(user).toMatch(/^[0-9]+(:[0-9]+)?$/);
    expect(Number(user.split(':')[0])).toBeGreaterThan(0);
    expect(steps('ENV').map((e) => e.args)).toContain('NODE_ENV=production');
    expect(steps('EXPOSE').map((e) => e.args)).toEqual(['9094']);
    expect(steps('ENTRYPOINT').at(-1)?.json).toEqual(['node', 'dist/cli.js']);
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { bin: Record<string, string>; type: string };
    expect(pkg.bin.alertcord).toBe('dist/cli.js');
  });

  it('gives node the V8 flags npm start gives it (the figures bench:memory measures)', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: { start: string } };
    const flags = pkg.scripts.start.split(/\s+/).filter((t) => t.startsWith('--'));
    expect(flags).toContain('--max-semi-space-size=2');
    expect(steps('ENV').map((e) => e.args)).toContain(`NODE_OPTIONS=${flags.join(' ')}`);
  });

  it('ships package.json (dist/ is ES modules), the templates, the web page, its samples and the example config', () => {
    const fromContext = steps('COPY')
      .filter((c) => !c.flags.from)
      .flatMap((c) => c.args.split(/\s+/).slice(0, -1));
    expect(fromContext).toEqual(
      expect.arrayContaining(['package.json', 'templates', 'ui', 'samples', 'config.example.yaml']),
    );
  });

  it('copies only files that exist and that .dockerignore keeps in the build context', () => {
    const sources = all.flatMap((s) =>
      steps('COPY', s)
        .filter((c) => !c.flags.from)
        .flatMap((c) => c.args.split(/\s+/).slice(0, -1)),
    );
    expect(sources.length).toBeGreaterThan(0);
    for (const source of sources) {
      expect(existsSync(source), source).toBe(true);
      expect(dockerignore, source).not.toContain(source.split('/')[0]);
    }
    for (const heavy of ['node_modules', '.git', '.tools', 'dist']) expect(dockerignore).toContain(heavy);
  });
});
