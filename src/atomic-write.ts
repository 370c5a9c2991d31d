/** Output files are written whole or not at all: a temporary file, then a rename. */
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { trackTemp, untrackTemp } from './temp-files.js';

/** The hidden temporary name an output is written under before it takes its name. */
export function tempNameFor(file: string): string {
  return join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
}

export function writeAtomic(file: string, content: string): void {
  const tmp = trackTemp(tempNameFor(file));
  try {
    writeFileSync(tmp, content);
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  } finally {
    untrackTemp(tmp);
  }
}
