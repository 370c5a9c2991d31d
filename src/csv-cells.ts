/** The CSV cell rules every writer uses (outputs, traces, rejects, payment files): RFC 4180 quoting, and no cell a spreadsheet would run as a formula. */
/** Whether a spreadsheet could read the text as a formula: it starts with = + - @ tab or CR. */
export function formulaStart(s: string): boolean {
  const c = s.charCodeAt(0);
  return c === 61 || c === 43 || c === 45 || c === 64 || c === 9 || c === 13;
}

/** Quotes a cell per RFC 4180 and neutralises text that a spreadsheet would run as a formula. */
export function csvCell(v: string | number | boolean): string {
  if (typeof v !== 'string') return String(v);
  // One pass over the text (a trace writes millions of cells): does it need quoting, is it a formula?
  let s = v;
  let quote = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 34 || c === 44 || c === 10 || c === 13) {
      quote = true;
      break;
    }
  }
  if (formulaStart(s) && !/^[+-]?\d+(\.\d+)?$/.test(s)) s = `'${s}`;
  return quote ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(cells: readonly (string | number | boolean)[]): string {
  return cells.map(csvCell).join(',') + '\n';
}
