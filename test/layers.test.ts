/**
 * The layout a newcomer reads from src/'s listing: imports only run downward, from the
 * command line to the money module, and no file grows past 400 lines. docs/architecture.md
 * draws the same layers.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/** Each area of src/ (a folder, or a file at the top) and its level: an area imports only areas of a lower level. */
const LEVELS: Record<string, number> = {
  money: 0,
  dates: 0,
  diagnostics: 0,
  units: 0,
  version: 0,
  'temp-files': 0,
  'csv-cells': 0,
  bytes: 0,
  fields: 1,
  'atomic-write': 1,
  config: 1,
  earn: 2,
  campaign: 3,
  engine: 4,
  input: 5,
  ledger: 5,
  reconcile: 6,
  report: 7,
  commands: 8,
  cli: 9,
};

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

const areaOf = (file: string) =>
  relative('src', file)
    .split('/')[0]!
    .replace(/\.[jt]s$/, '');

describe('the layers of src/', () => {
  const files = sources('src');

  it('every area has a level', () => {
    expect(files.map(areaOf).filter((a) => LEVELS[a] === undefined)).toEqual([]);
  });

  it('imports run downward only: an area imports areas of a lower level (or itself)', () => {
    const upward: string[] = [];
    for (const file of files) {
      const from = areaOf(file);
      for (const m of readFileSync(file, 'utf8').matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)) {
        const to = areaOf(normalize(join(dirname(file), m[1]!)));
        if (to !== from && !(LEVELS[to]! < LEVELS[from]!)) upward.push(`${file} imports ${m[1]} (${from} ${LEVELS[from]} -> ${to} ${LEVELS[to]})`);
      }
    }
    expect(upward).toEqual([]);
  });

  it('no file is over 400 lines', () => {
    const long = files.map((f) => [f, readFileSync(f, 'utf8').split('\n').length - 1] as const).filter(([, n]) => n > 400);
    expect(long).toEqual([]);
  });
});
