/** CSV cells: RFC 4180 quoting and spreadsheet-formula neutralising, in one pass. */
import { describe, expect, it } from 'vitest';
import { csvCell, csvLine } from '../src/csv-cells.js';

describe('csvCell', () => {
  it('leaves plain text and numbers alone', () => {
    expect(csvCell('T1001')).toBe('T1001');
    expect(csvCell(12)).toBe('12');
    expect(csvCell('')).toBe('');
    expect(csvCell(true)).toBe('true');
  });

  it('quotes commas, quotes and line breaks, doubling inner quotes', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('cr\rhere')).toBe('"cr\rhere"');
  });

  it('neutralises formulas but not signed numbers', () => {
    expect(csvCell('=SUM(A1)')).toBe("'=SUM(A1)");
    expect(csvCell('@cmd')).toBe("'@cmd");
    expect(csvCell('+1+1')).toBe("'+1+1");
    expect(csvCell('\tx')).toBe("'\tx");
    expect(csvCell('-20')).toBe('-20');
    expect(csvCell('-20.50')).toBe('-20.50');
    expect(csvCell('=HYPERLINK("x","y")')).toBe(`"'=HYPERLINK(""x"",""y"")"`);
  });

  it('joins a line', () => {
    expect(csvLine(['a', 1, 'b,c'])).toBe('a,1,"b,c"\n');
  });
});
