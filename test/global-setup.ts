import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The newest modification time among the files the build reads. */
function newestSource(): number {
  let newest = Math.max(statSync('package.json').mtimeMs, statSync('tsconfig.build.json').mtimeMs);
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else newest = Math.max(newest, statSync(p).mtimeMs);
    }
  };
  walk('src');
  return newest;
}

// Most tests run the command line in-process; the end-to-end ones (signals, the reading thread,
// standard input, the package) run the built binary, as users do. Build it once per test run,
// unless dist/ is already newer than every source file.
export default function setup(): void {
  const built = 'dist/cli.js';
  if (existsSync(built) && statSync(built).mtimeMs > newestSource()) return;
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
}
