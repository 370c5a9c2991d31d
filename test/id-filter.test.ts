/** Repeated transaction ids are found in fixed memory past the exact-set limit. */
import { describe, expect, it } from 'vitest';
import { IdFilter } from '../src/input/id-filter.js';

describe('IdFilter', () => {
  it('is exact for small files', () => {
    const f = new IdFilter();
    expect(f.add('T1')).toBe(false);
    expect(f.add('T2')).toBe(false);
    expect(f.add('T1')).toBe(true);
  });

  it('flags a repeat as a suspect once past 100,000 ids, and no id that is new', () => {
    const f = new IdFilter();
    for (let i = 0; i < 150_000; i++) expect(f.add(`T${i}`)).toBe(false);
    expect(f.suspects.size).toBe(0);
    f.add('T42'); // seen while the set was exact, before the switch to the filter
    f.add('T149999'); // seen after the switch
    expect([...f.suspects].sort()).toEqual(['T149999', 'T42']);
  });
});
