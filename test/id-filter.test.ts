/** Repeated transaction ids are found exactly, in fixed memory past the exact-map limit. */
import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { IdFilter } from '../src/input/id-filter.js';

const made: IdFilter[] = [];
function filter(): IdFilter {
  const f = new IdFilter();
  made.push(f);
  return f;
}
afterEach(() => made.splice(0).forEach((f) => f.dispose()));

describe('IdFilter', () => {
  it('answers at once, with the first place, while the ids fit the exact map', () => {
    const f = filter();
    const a = f.fileIndex('a.csv');
    expect(f.add('T1', a, 2)).toBeNull();
    expect(f.add('T2', a, 3)).toBeNull();
    expect(f.add('T1', a, 4)).toEqual({ file: a, line: 2 });
    expect(f.candidates()).toEqual([]);
  });

  it('past 100,000 ids, groups the places of each repeat, and no id that is new', () => {
    const f = filter();
    const a = f.fileIndex('a.csv');
    const b = f.fileIndex('b.csv');
    // 300,000 distinct ids: more than every partition buffer holds, so partitions spill to disk
    for (let i = 0; i < 300_000; i++) expect(f.add(`T${i}`, a, i + 2)).toBeNull();
    expect(f.candidates()).toEqual([]);
    f.add('T42', b, 7); // first seen in the exact phase, on a.csv line 44
    f.add('T299999', b, 9); // first seen after the switch, on a.csv line 300,001
    const groups = f.candidates().sort((x, y) => x[0]!.line - y[0]!.line);
    expect(groups).toEqual([
      [
        { file: a, line: 44 },
        { file: b, line: 7 },
      ],
      [
        { file: a, line: 300_001 },
        { file: b, line: 9 },
      ],
    ]);
    // asked twice, the same answer; disposed, the spill files are gone
    expect(f.candidates()).toHaveLength(2);
    const dir = (f as unknown as { dir: string | null }).dir;
    expect(dir && existsSync(dir)).toBeTruthy();
    f.dispose();
    expect(existsSync(dir!)).toBe(false);
  });
});
