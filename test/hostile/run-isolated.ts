import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { CaseResult } from './measure-case.js';

export interface IsolatedOptions {
  bytes: number;
  bodyLimit?: number | undefined;
  /** How long a case may take to deliver before its wait is cut (reported as not drained). */
  capMs: number;
  /** A case that has not finished by then blocks its process for good: it is killed. */
  killAfterMs: number;
}

export type IsolatedResult = CaseResult | { name: string; killedAfterMs: number };

const RUNNER = fileURLToPath(new URL('./run-cases.ts', import.meta.url));

/**
 * Runs the named cases in a child process, in order, and restarts the child past a case that
 * had to be killed: a synchronous loop that never returns cannot be interrupted from inside.
 */
export async function runIsolated(
  names: string[],
  o: IsolatedOptions,
  onResult: (r: IsolatedResult) => void = () => {},
): Promise<IsolatedResult[]> {
  const results: IsolatedResult[] = [];
  let rest = [...names];
  while (rest.length > 0) {
    const done = await runChild(rest, o, (r) => {
      results.push(r);
      onResult(r);
    });
    rest = rest.slice(done);
  }
  return results;
}

/** Resolves with how many of `names` got a result (a killed one included). */
function runChild(names: string[], o: IsolatedOptions, onResult: (r: IsolatedResult) => void): Promise<number> {
  const args = ['--import', 'tsx', RUNNER, '--bytes', String(o.bytes), '--cap', String(o.capMs)];
  if (o.bodyLimit !== undefined) args.push('--body-limit', String(o.bodyLimit));
  const child = spawn(process.execPath, [...args, ...names], { stdio: ['ignore', 'pipe', 'inherit'] });
  let count = 0;
  let timer: NodeJS.Timeout | undefined;
  const arm = (name: string) => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      onResult({ name, killedAfterMs: o.killAfterMs });
      count += 1;
      child.kill('SIGKILL');
    }, o.killAfterMs);
  };
  createInterface({ input: child.stdout }).on('line', (line) => {
    if (line.startsWith('STARTED ')) arm(JSON.parse(line.slice(8)) as string);
    else if (line.startsWith('RESULT ')) {
      clearTimeout(timer);
      count += 1;
      onResult(JSON.parse(line.slice(7)) as CaseResult);
    }
  });
  return new Promise((resolve, reject) =>
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (count === 0 && signal !== 'SIGKILL') reject(new Error(`the case runner exited with ${code ?? signal}`));
      else resolve(Math.max(count, 1));
    }),
  );
}
