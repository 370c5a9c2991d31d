/**
 * Every temporary file or folder a run makes (an output's hidden `.NAME.PID.tmp`, the
 * trace spool, the repeated-id spill files) is tracked here while it exists, so that
 * SIGINT and SIGTERM can remove them all before the process exits (src/cli.ts).
 */
import { rmSync } from 'node:fs';

const live = new Set<string>();

export function trackTemp(path: string): string {
  live.add(path);
  return path;
}

export function untrackTemp(path: string): void {
  live.delete(path);
}

/** Removes every tracked temporary path (on a signal); errors are ignored, the process is ending. */
export function removeAllTemps(): void {
  for (const p of live) {
    try {
      rmSync(p, { recursive: true, force: true });
    } catch {
      // nothing more can be done while exiting
    }
  }
  live.clear();
}
