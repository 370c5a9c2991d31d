/**
 * Output paths are checked before a run computes anything: an output must not be a
 * folder, one of the run's inputs, another output of the same run, or in a folder
 * that does not exist or cannot be written. Refused with exit 1 and one line each.
 */
import { accessSync, constants, readdirSync, statSync, type Stats } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { InvalidInputError, type Diagnostic } from '../diagnostics.js';

export interface OutputPath {
  flag: string;
  path: string | undefined;
}

function statOf(p: string): Stats | undefined {
  try {
    return statSync(p);
  } catch {
    return undefined;
  }
}

/** Campaign files, rate cards and CSVs under the rules paths (they are the run's inputs too). */
export function filesUnder(paths: readonly string[], depth = 4): string[] {
  const out: string[] = [];
  const walk = (p: string, d: number) => {
    const st = statOf(p);
    if (!st) return;
    if (st.isFile()) out.push(p);
    else if (st.isDirectory() && d > 0) {
      let names: string[] = [];
      try {
        names = readdirSync(p);
      } catch {
        return;
      }
      for (const n of names) walk(join(p, n), d - 1);
    }
  };
  for (const p of paths) walk(p, depth);
  return out;
}

export function checkOutputs(outputs: readonly OutputPath[], inputs: readonly string[]): void {
  const problems: Diagnostic[] = [];
  const refuse = (o: OutputPath, message: string, expected: string) =>
    problems.push({ code: 'BAD_OUTPUT', severity: 'error', file: o.flag, message: `${o.flag} ${o.path}: ${message}`, expected, found: o.path ?? '' });
  const ins = inputs.map((p) => ({ path: resolve(p), st: statOf(p) }));
  const seen = new Map<string, OutputPath>();
  for (const o of outputs) {
    if (!o.path || o.path === '-') continue;
    const abs = resolve(o.path);
    const st = statOf(abs);
    if (st?.isDirectory()) {
      refuse(o, 'is a folder', 'a file name');
      continue;
    }
    const same = ins.find((i) => i.path === abs || (st && i.st && st.ino === i.st.ino && st.dev === i.st.dev));
    if (same) {
      refuse(o, "is one of the run's input files: it would be replaced", 'a file that is not an input');
      continue;
    }
    const twice = seen.get(abs);
    if (twice) {
      refuse(o, `is also ${twice.flag}: one would replace the other`, 'a different file for each output');
      continue;
    }
    seen.set(abs, o);
    const dir = dirname(abs);
    const dst = statOf(dir);
    if (!dst || !dst.isDirectory()) {
      refuse(o, `the folder ${dirname(o.path)} does not exist`, 'a file in an existing folder');
      continue;
    }
    try {
      accessSync(dir, constants.W_OK);
    } catch {
      refuse(o, `the folder ${dirname(o.path)} cannot be written`, 'a file in a folder you can write');
    }
  }
  if (problems.length) throw new InvalidInputError(problems);
}
