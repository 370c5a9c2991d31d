import type { Diagnostic } from '../diagnostics.js';
import { editDistance } from '../campaign/suggest.js';

/** Collects problems found in input rows, keeping the first `limit` and counting the rest. */
export class RowProblems {
  readonly list: Diagnostic[] = [];
  count = 0;
  /**
   * While set, row problems go here instead (--on-invalid skip: the caller sets the
   * row aside with them) and do not count as failures of the run.
   */
  capture: Diagnostic[] | null = null;
  constructor(private readonly limit = 200) {}

  add(file: string, line: number, field: string, message: string, expected: string, found: string): void {
    this.addDiagnostic({ code: 'INVALID_ROW', severity: 'error', file, line, field, message, expected, found });
  }

  addDiagnostic(d: Diagnostic): void {
    if (this.capture) {
      this.capture.push(d);
      return;
    }
    this.count++;
    if (this.list.length < this.limit) this.list.push(d);
  }

  /** A view that renames fields in messages (a preset's source column names). */
  relabel(label: (field: string) => string): RowProblems {
    const base = this as RowProblems;
    const view = Object.create(base) as RowProblems;
    view.addDiagnostic = (d: Diagnostic) => base.addDiagnostic(d.field ? { ...d, field: label(d.field) } : d);
    view.add = (file, line, field, message, expected, found) =>
      view.addDiagnostic({ code: 'INVALID_ROW', severity: 'error', file, line, field, message, expected, found });
    return view;
  }

  /** The diagnostics, with a closing one that says how many more were not listed. */
  all(): Diagnostic[] {
    const hidden = this.count - this.list.length;
    if (hidden <= 0) return this.list;
    const last = this.list[this.list.length - 1];
    return [...this.list, { code: 'MORE_PROBLEMS', severity: 'error', file: last?.file ?? '', message: `... and ${hidden} more problems` }];
  }
}

/** Checks that a header has the required columns; reports the missing ones at line 1. */
export function requireColumns(
  file: string,
  index: ReadonlyMap<string, number>,
  required: readonly string[],
  problems: RowProblems,
  /** Every column the reader reads: a header name that is nearly one of them (and it is absent) is an error. */
  known?: readonly string[],
): boolean {
  const missing = required.filter((c) => !index.has(c));
  const near = known ? nearlyKnown(file, index, known) : [];
  for (const d of near) problems.addDiagnostic(d);
  if (missing.length === 0) return near.length === 0;
  problems.addDiagnostic({
    code: 'MISSING_COLUMN',
    severity: 'error',
    file,
    line: 1,
    field: missing.join(', '),
    message: `the header lacks the required column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`,
    expected: `columns ${required.join(', ')}`,
    found: [...index.keys()].join(', ') || '(no columns)',
  });
  return false;
}

const squeeze = (n: string) => n.replace(/[^a-z0-9]/g, '');

/**
 * Header names that are nearly a column the reader reads, which the header lacks:
 * spelt with spaces or hyphens (`subscription type`), or within two letters
 * (`ammount`). Other columns are ignored, as exports carry many; these would be
 * ignored too, and the column they meant read as empty (a trial paid as a paid
 * subscription, revenue read as none), so they are errors.
 */
function nearlyKnown(file: string, index: ReadonlyMap<string, number>, known: readonly string[]): Diagnostic[] {
  const absent = known.filter((c) => !index.has(c));
  const out: Diagnostic[] = [];
  for (const name of index.keys()) {
    if (name === '' || known.includes(name)) continue;
    const meant = absent.find((c) => squeeze(c) === squeeze(name)) ?? absent.find((c) => c.length >= 6 && editDistance(c, name) <= 2);
    if (meant === undefined) continue;
    out.push({
      code: 'MISSING_COLUMN',
      severity: 'error',
      file,
      line: 1,
      field: meant,
      message: `the header has ${JSON.stringify(name)}, not ${meant}: incent would ignore it and read ${meant} as empty; name the column ${meant}`,
      expected: meant,
      found: name,
    });
  }
  return out;
}

/**
 * A country cell (customer_country, partners.csv's country) as campaigns' market lists
 * write it: ISO 3166-1 alpha-2 in upper case (`de` is DE). Undefined when the cell is not
 * two letters (`USA`, `Germany`): no list would ever match it, so a customer in an
 * excluded market would be paid.
 */
function countryCode(v: string): string | undefined {
  if (v.length !== 2) return undefined;
  const a = v.charCodeAt(0);
  const b = v.charCodeAt(1);
  if (a >= 65 && a <= 90 && b >= 65 && b <= 90) return v;
  const u = v.toUpperCase();
  return /^[A-Z]{2}$/.test(u) ? u : undefined;
}

/** Adds the problem of a country cell that is not a two-letter code; returns the code ('' for an empty cell). */
export function countryCell(problems: RowProblems, file: string, line: number, field: string, v: string): string {
  if (v === '') return '';
  const code = countryCode(v);
  if (code === undefined) problems.add(file, line, field, 'not a two-letter country code', 'an ISO 3166-1 alpha-2 code such as US or DE', show(v));
  return code ?? '';
}

/** A number in scientific notation, as a spreadsheet rewrites a long numeric id it opened (1.00E+06, 4.56789E+15). */
const SCIENTIFIC = /^\d(\.\d+)?e\+\d+$/i;
/** A whole number written with decimals, as a tool that read the ids as numbers writes them back (1000001.0). */
const DECIMALS = /^\d+\.0+$/;

/**
 * Adds the problem of an id cell that a tool rewrote as a number: in scientific notation
 * (a spreadsheet: its digits are lost) or with decimals (`1000001.0`: a script that read
 * the column as numbers). As an id it would name nobody: a partner paid nothing, a
 * customer counted apart. The cheap tests first: a point or an E second, or `.0` last.
 */
export function checkId(problems: RowProblems, file: string, line: number, field: string, v: string): void {
  const why = rewrittenId(field, v);
  if (why) problems.add(file, line, field, why.message, why.expected, show(v));
}

/** What is wrong with an id cell a tool rewrote as a number (see checkId), or undefined. */
export function rewrittenId(field: string, v: string): { message: string; expected: string } | undefined {
  const c = v.charCodeAt(1);
  if ((c === 46 || c === 69 || c === 101) && SCIENTIFIC.test(v))
    return {
      message: `${field} is a number in scientific notation, as a spreadsheet rewrites a long id: its digits are lost`,
      expected: 'the id as exported: open the file with the column as text, or export it again',
    };
  if (v.charCodeAt(v.length - 1) === 48 && v.includes('.') && DECIMALS.test(v))
    return {
      message: `${field} is a whole number written with decimals, as a tool that read the ids as numbers writes it`,
      expected: `the id as exported, such as ${v.slice(0, v.indexOf('.'))}`,
    };
  return undefined;
}

export function show(v: string): string {
  return v === '' ? '(empty)' : JSON.stringify(v);
}
