/**
 * The engine's Interner (customer and partner ids, the explain spool's names): the same
 * numbers a Map would give, in the order strings come, through its table's growth and
 * through strings whose hashes are equal.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Interner } from '../src/engine/interner.js';

/** What an Interner answers, by a Map. */
function reference(strings: readonly string[]): { numbers: number[]; names: string[] } {
  const m = new Map<string, number>();
  const names: string[] = [];
  const numbers = strings.map((s) => {
    let i = m.get(s);
    if (i === undefined) m.set(s, (i = names.push(s) - 1));
    return i;
  });
  return { numbers, names };
}

describe('Interner', () => {
  it('numbers strings as a Map does, and finds only those it has', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('', 'C1', 'C2', '\u00e9', '\ud83d\ude00')), { maxLength: 300 }),
        fc.string(),
        (strings, other) => {
          const i = new Interner();
          const { numbers, names } = reference(strings);
          expect(strings.map((s) => i.of(s))).toEqual(numbers);
          expect(i.names).toEqual(names);
          expect(strings.map((s) => i.find(s))).toEqual(numbers);
          expect(i.find(other)).toBe(names.includes(other) ? names.indexOf(other) : undefined);
        },
      ),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 200) },
    );
  });

  it('keeps its numbers as its table grows (50,000 customers, each asked twice)', () => {
    const i = new Interner();
    const ids = Array.from({ length: 50_000 }, (_, k) => `C${k}`);
    // the first time in order: 0, 1, 2, ...; the second time the same numbers, asked in reverse
    expect(ids.map((s) => i.of(s))).toEqual(ids.map((_, k) => k));
    expect([...ids].reverse().map((s) => i.of(s))).toEqual(ids.map((_, k) => 49_999 - k));
    expect(i.find('C49999')).toBe(49_999);
    expect(i.find('C50000')).toBeUndefined();
  });

  it('tells apart two strings of one hash ("costarring" and "liquid" under FNV-1a)', () => {
    const i = new Interner();
    expect([i.of('costarring'), i.of('liquid'), i.of('costarring'), i.of('liquid')]).toEqual([0, 1, 0, 1]);
    expect([i.find('liquid'), i.find('costarring')]).toEqual([1, 0]);
  });
});
