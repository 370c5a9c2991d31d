/** Calendar arithmetic over the whole range incent knows, 0001-01-01 .. 9999-12-31. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FIRST_DAY, LAST_DAY, daysBetween, isIsoDate, plusDays } from '../src/dates.js';
import { EligibilityBook } from '../src/engine/eligibility.js';

const pad = (n: number, w: number) => String(n).padStart(w, '0');
const day = fc
  .record({ y: fc.integer({ min: 1, max: 9999 }), m: fc.integer({ min: 1, max: 12 }), d: fc.integer({ min: 1, max: 31 }) })
  .map(({ y, m, d }) => `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`)
  .filter(isIsoDate);

describe('the time zone this run asked for', () => {
  it('is in effect (vitest.config.ts runs every file under UTC and under Pacific/Kiritimati, UTC+14)', () => {
    const zone = process.env.TZ;
    expect(['UTC', 'Pacific/Kiritimati']).toContain(zone);
    expect(Intl.DateTimeFormat().resolvedOptions().timeZone).toBe(zone === 'UTC' ? 'UTC' : 'Pacific/Kiritimati');
    // 2017-01-01 00:00 local is 2016-12-31 10:00 UTC in Kiritimati: 14 hours ahead.
    expect(new Date(2017, 0, 1).getTimezoneOffset()).toBe(zone === 'UTC' ? 0 : -14 * 60);
  });
});

describe('day arithmetic over 0001-01-01 .. 9999-12-31', () => {
  it('plusDays stays a valid date in range, and moves exactly n days unless it meets an end', () => {
    fc.assert(
      fc.property(day, fc.integer({ min: -4_000_000, max: 4_000_000 }), (d, n) => {
        const r = plusDays(d, n);
        expect(isIsoDate(r)).toBe(true);
        expect(r >= FIRST_DAY && r <= LAST_DAY).toBe(true);
        if (r !== FIRST_DAY && r !== LAST_DAY) expect(daysBetween(d, r)).toBe(n);
        if (n >= 0) expect(r >= d).toBe(true);
        else expect(r <= d).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('the ends: the day after 9999-12-31 is still 9999-12-31 (not +010000-01-01), the day before 0001-01-01 is itself', () => {
    expect(plusDays('9999-12-30', 1)).toBe('9999-12-31');
    expect(plusDays('9999-12-31', 1)).toBe(LAST_DAY);
    expect(plusDays('0001-01-01', -1)).toBe(FIRST_DAY);
    expect(plusDays('2016-02-28', 1)).toBe('2016-02-29');
    expect(isIsoDate('0000-01-01')).toBe(false);
  });

  it('a requirement met until 9999-12-31 has no unmet day in any span', () => {
    fc.assert(
      fc.property(day, day, (a, b) => {
        const [start, end] = a <= b ? [a, b] : [b, a];
        const book = new EligibilityBook([{ partnerId: 'P', requirement: 'r', from: FIRST_DAY, to: LAST_DAY, line: 2 }]);
        expect(book.firstUnmetDay('P', 'r', start, end)).toBeNull();
        // ending the day before `end` leaves exactly `end` unmet (when end is after start)
        if (end > start) {
          const cut = new EligibilityBook([{ partnerId: 'P', requirement: 'r', from: FIRST_DAY, to: plusDays(end, -1), line: 2 }]);
          expect(cut.firstUnmetDay('P', 'r', start, end)).toBe(end);
        }
      }),
      { numRuns: 500 },
    );
  });
});
