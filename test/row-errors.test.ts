/** The row checks every input reader shares (src/input/row-errors.ts). */
import { describe, expect, it } from 'vitest';
import { checkId, countryCell, RowProblems } from '../src/input/row-errors.js';

describe('an id a spreadsheet rewrote in scientific notation', () => {
  const refused = (v: string) => {
    const p = new RowProblems();
    checkId(p, 'f.csv', 2, 'partner_id', v);
    return p.count === 1;
  };

  it('is refused as Excel writes it: a digit, maybe decimals, E+ and the exponent, in either case', () => {
    for (const v of ['1.00E+06', '4.56789E+15', '1E+06', '9.9e+20']) expect(refused(v), v).toBe(true);
  });

  it('is refused when a tool wrote a whole number with decimals (1000001.0), as a script reading ids as numbers does', () => {
    for (const v of ['1000001.0', '7.00']) expect(refused(v), v).toBe(true);
  });

  it('leaves ids alone that only look numeric, or hold an E elsewhere (GUIDs starting 1e, 1E5 with no sign)', () => {
    for (const v of ['1000001', '1.5', '1E5', '1e2504e0-4f89-41d3-9a0c-0305e82c3301', 'T1.0E+06', '', 'E+06', '12E+06', 'v1.0', '10', '1.05'])
      expect(refused(v), v).toBe(false);
  });
});

describe('a country cell', () => {
  const read = (v: string) => {
    const p = new RowProblems();
    return [countryCell(p, 'f.csv', 2, 'customer_country', v), p.count];
  };

  it('reads a two-letter code in either case as upper case; empty stays empty', () => {
    expect([read('DE'), read('cn'), read('Gb'), read('')]).toEqual([
      ['DE', 0],
      ['CN', 0],
      ['GB', 0],
      ['', 0],
    ]);
  });

  it('refuses what no market list could match', () => {
    for (const v of ['USA', 'Germany', 'U', 'U1', 'ÜS']) expect(read(v)[1], v).toBe(1);
  });
});
