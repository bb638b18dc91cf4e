import { execFileSync } from 'node:child_process';

/** vitest global setup: the CLI tests run the built program, exactly as `npm start` does. */
export default function setup(): void {
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], {
    stdio: 'inherit',
  });
}
