/**
 * Where transaction rows come from: one or more files, each canonical
 * (incent's own columns), a Partner Center export (a preset), or another layout through a
 * --columns mapping. Streaming layouts are read once. Billing layouts (seat
 * subscriptions) are read twice: first to rebuild each subscription's seats per charge
 * cycle, then to hand each line to the engine with its share of the seat change.
 * Invalid rows stop the run, or with --on-invalid skip are set aside as rejects.
 */
import { basename } from 'node:path';
import { parse } from 'csv-parse/sync';
import { InvalidInputError, type Diagnostic } from '../diagnostics.js';
import type { TxRow } from '../engine/types.js';
import { isIsoDate } from '../dates.js';
import { DECIMAL_RE } from '../money/index.js';
import { readCsv, CsvReadError, type CsvHeader, type CsvSettings, type ReadStats } from './csv.js';
import { IdFilter } from './id-filter.js';
import { RowProblems, show } from './row-errors.js';
import { sniffFile } from './sniff.js';
import { CANONICAL_INDEX, TX_COLUMNS, TransactionReader } from './transactions.js';
import { detect, headerLookup, type BoundPreset } from './presets/index.js';
import { bindMapping, mappingMissing, type Mapping } from './presets/mapping.js';
import { chargeClass, type ChargeClass } from './presets/charge-types.js';
import { IdCase } from './id-case.js';
import { wholeQuantity } from './presets/partner-center.js';
import type { DateFormat } from './presets/us-date.js';
import { seatChanges, type Cycle } from './seats.js';
import { checksIds, confirmRepeats, findRepeats } from './repeats.js';

export interface SourceOptions {
  /** --preset NAME: skip detection. */
  preset?: string;
  /** --columns mapping.yaml, loaded. */
  mapping?: Mapping;
  /** ChargeType classes (built in plus --charge-types). */
  chargeTypes: ReadonlyMap<string, ChargeClass>;
  /** Rows with problems are set aside here instead of failing the run. */
  rejects?: RejectSink;
  /** How to read the files (--encoding). */
  csv?: CsvSettings;
  /** --date-format: how the exports write dates (default: each preset's, checked). */
  dateFormat?: DateFormat;
  /** --decimal-comma: amounts written 150,12. */
  decimalComma?: boolean;
  /** The campaigns' SKUs by lower-case spelling: a row's SKU that differs only in case takes the card's. */
  skuSpelling?: ReadonlyMap<string, string>;
  /** The run's GUID-shaped ids (shared with the other inputs' readers); a new one when absent. */
  idCase?: IdCase;
  /** Told once per file, after its rows reached the engine: its layout, rows, and lines skipped (--verbose). */
  onFileRead?(file: string, layout: string, stats: ReadStats): void;
  /** Bytes read so far across the files (for a progress bar). */
  onBytes?: (bytes: number) => void;
}

export interface RejectSink {
  reject(problems: readonly Diagnostic[], record: readonly string[]): void;
}

export interface Plan {
  file: string;
  layout: { kind: 'canonical' } | { kind: 'bound'; bound: BoundPreset };
}

/** Reads just the header of each file and decides its layout; every problem at once. */
function planFiles(files: readonly string[], opts: SourceOptions): Plan[] {
  const plans: Plan[] = [];
  const ctx = { ids: opts.idCase ?? new IdCase(), dateFormat: opts.dateFormat, decimalComma: opts.decimalComma };
  const errors: Diagnostic[] = [];
  for (const file of files) {
    let names: string[];
    try {
      const { headerLine, delimiter } = sniffFile(file, opts.csv?.encoding);
      names = ((parse(headerLine, { delimiter, bom: true, relax_column_count: true, relax_quotes: true }) as string[][])[0] ?? []).map((n) => n.trim());
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      errors.push({
        code: 'FILE_UNREADABLE',
        severity: 'error',
        file,
        message: code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'a folder, not a CSV file' : `unreadable header: ${(e as Error).message}`,
      });
      continue;
    }
    if (names.length === 0 || (names.length === 1 && names[0] === '')) {
      errors.push({ code: 'CSV_EMPTY', severity: 'error', file, line: 1, message: 'the file is empty: expected a header row' });
      continue;
    }
    if (opts.mapping) {
      const cols = headerLookup(names);
      const missing = mappingMissing(opts.mapping, (n) => cols(n) >= 0);
      if (missing.length) {
        errors.push({
          code: 'MISSING_COLUMN',
          severity: 'error',
          file,
          line: 1,
          message: `the --columns mapping reads column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}, which this file lacks`,
          expected: missing.join(', '),
          found: names.join(', '),
        });
        continue;
      }
      plans.push({ file, layout: { kind: 'bound', bound: bindMapping(opts.mapping, (n) => cols(n)) } });
      continue;
    }
    const d = detect(file, names, opts.preset);
    if ('code' in d) errors.push(d);
    else if (d.kind === 'canonical') plans.push({ file, layout: { kind: 'canonical' } });
    else plans.push({ file, layout: { kind: 'bound', bound: d.preset.bind(headerLookup(names), ctx) } });
  }
  if (errors.length) throw new InvalidInputError(errors);
  return plans;
}

/** Where a subscription was first seen, to refuse one subscription id under two customers. */
interface SubscriptionHome {
  customer: string;
  file: string;
  line: number;
}

/**
 * Streams every transaction row of `files` into `onRow`. In strict mode problems go
 * to `problems` (the caller fails the run); with a reject sink, bad rows are set aside.
 */
export async function streamTransactions(
  files: readonly string[],
  opts: SourceOptions,
  problems: RowProblems,
  onRow: (r: TxRow, file: string) => void,
): Promise<Record<string, string>> {
  const plans = planFiles(files, opts);
  const layouts: Record<string, string> = {};
  for (const p of plans) layouts[p.file] = p.layout.kind === 'canonical' ? 'canonical' : p.layout.bound.name;
  const ids = new IdFilter();
  try {
    return await streamPlans(plans, layouts, ids, opts, problems, onRow);
  } finally {
    ids.dispose();
  }
}

async function streamPlans(
  plans: readonly Plan[],
  layouts: Record<string, string>,
  ids: IdFilter,
  opts: SourceOptions,
  problems: RowProblems,
  onRow: (r: TxRow, file: string) => void,
): Promise<Record<string, string>> {
  // With rejects, repeated ids must be known before rows reach the engine: a first look.
  let repeated: Map<string, Set<number>> | undefined;
  if (opts.rejects) repeated = await findRepeats(plans.filter(checksIds), opts.csv);

  let current = '';
  const feed = (row: TxRow | undefined) => {
    if (row && problems.count === 0) onRow(row, current);
  };

  // Streaming layouts: canonical files, daily-rated usage, custom mappings.
  for (const plan of plans) {
    if (plan.layout.kind === 'bound' && plan.layout.bound.billing) continue;
    const bound = plan.layout.kind === 'bound' ? plan.layout.bound : undefined;
    current = plan.file;
    let reader: TransactionReader | undefined;
    const stats = await readCsv(
      plan.file,
      (h: CsvHeader) => {
        reader = bound
          ? presetReader(plan.file, bound, problems, ids, opts.skuSpelling)
          : new TransactionReader(plan.file, h.index, problems, ids, undefined, opts.skuSpelling);
        if (!bound) reader.idCase = opts.idCase;
        reader.reuse = true;
        if (opts.rejects) reader.noIdCheck = true;
        if (!reader.ok) throw new InvalidInputError(problems.all());
      },
      (rec, line, plain) => {
        if (repeated?.get(plan.file)?.has(line)) {
          const id = (bound ? (bound.map(rec).transaction_id ?? '') : (rec[reader!.idColumn] ?? '')).trim();
          return opts.rejects!.reject(
            [
              {
                code: 'INVALID_ROW',
                severity: 'error',
                file: plan.file,
                line,
                field: 'transaction_id',
                message: 'transaction_id is repeated',
                expected: 'a transaction_id used once',
                found: show(id),
              },
            ],
            rec,
          );
        }
        const canon = bound ? toCanonical(bound, rec, plan.file, line) : rec;
        // Only a canonical file's cells are the row's own text (presets and mappings make values).
        feed(
          checked(opts, problems, rec, () => {
            const keys = bound?.rowProblems?.(rec, plan.file, line);
            if (keys?.length) {
              for (const d of keys) problems.addDiagnostic(d);
              return undefined;
            }
            return reader!.toRow(canon, line, plain && !bound);
          }),
        );
      },
      opts.onBytes,
      opts.csv,
    );
    const dates = bound?.dateProblem?.(plan.file);
    if (dates) problems.addDiagnostic(dates);
    opts.onFileRead?.(plan.file, layouts[plan.file]!, stats);
  }
  if (!opts.rejects) await confirmRepeats(ids, plans, problems, opts.csv);
  if (problems.count) throw new InvalidInputError(problems.all());

  // Billing layouts: rebuild seats per subscription and charge cycle, then emit.
  const billing = plans.filter((p) => p.layout.kind === 'bound' && p.layout.bound.billing);
  if (billing.length === 0) return layouts;
  const cycles = new Map<string, Map<string, Cycle>>();
  const homes = new Map<string, SubscriptionHome>();
  const unknownTypes = new Map<string, { file: string; line: number; count: number; label: string }>();
  for (const [fi, plan] of billing.entries()) {
    const bound = (plan.layout as { bound: BoundPreset }).bound;
    const probe = presetReader(plan.file, bound, problems, ids, opts.skuSpelling);
    await readCsv(
      plan.file,
      () => undefined,
      (rec, line) => {
        const f = bound.billing!(rec);
        const sign = lineSign(f, opts.chargeTypes);
        if (sign === 'unknown') {
          const k = f.chargeType.toLowerCase();
          const u = unknownTypes.get(k);
          if (u) u.count++;
          else unknownTypes.set(k, { file: plan.file, line, count: 1, label: f.labels.chargeType });
          return;
        }
        if (billingProblems(f, plan.file, line).length || sign === 0) return;
        if (bound.rowProblems?.(rec, plan.file, line).length) return;
        // A line that will be set aside (or fail the run) cannot carry its cycle's change.
        const canon = toCanonical(bound, rec, plan.file, line);
        problems.capture = [];
        try {
          if (!probe.toRow(canon, line) || problems.capture.length) return;
        } finally {
          problems.capture = null;
        }
        // One subscription id under two customers: which customer's seats are they?
        const home = homes.get(f.subscription);
        if (!home) homes.set(f.subscription, { customer: f.customer, file: plan.file, line });
        else if (home.customer !== f.customer) {
          problems.addDiagnostic({
            code: 'SUBSCRIPTION_TWO_CUSTOMERS',
            severity: 'error',
            file: plan.file,
            line,
            field: f.labels.subscription,
            message: `subscription ${f.subscription} belongs to customer ${home.customer} on ${home.file === plan.file ? `line ${home.line}` : `${home.file}:${home.line}`} and to customer ${f.customer} here`,
            expected: 'each subscription under one customer',
            found: `${home.customer}, ${f.customer}`,
          });
          home.customer = f.customer;
        }
        // A fractional quantity (a one-time or usage line: 3.1618) carries revenue, not seats.
        const whole = wholeQuantity(f.quantity);
        const q = whole === null ? 0 : Number(whole) * sign;
        const key = `${f.customer}\u0000${f.subscription}\u0000${f.subscriptionType}`;
        let bySub = cycles.get(key);
        if (!bySub) cycles.set(key, (bySub = new Map()));
        const c = bySub.get(f.cycleStart);
        if (c) {
          c.seats += q;
          if (f.cycleEnd > c.end) c.end = f.cycleEnd;
        } else bySub.set(f.cycleStart, { seats: q, end: f.cycleEnd, first: `${fi}:${line}` });
      },
      opts.onBytes,
      opts.csv,
    );
    const dates = bound.dateProblem?.(plan.file);
    if (dates) problems.addDiagnostic(dates);
  }
  if (problems.count) throw new InvalidInputError(problems.all());
  if (unknownTypes.size && !opts.rejects) {
    throw new InvalidInputError(
      [...unknownTypes].map(([name, u]) => ({
        code: 'UNKNOWN_CHARGE_TYPE',
        severity: 'error' as const,
        file: u.file,
        line: u.line,
        field: u.label,
        message: `unknown ChargeType "${name}" (${u.count} line${u.count > 1 ? 's' : ''}); incent does not guess what it does to seats`,
        expected: `a known ChargeType, or add it with --charge-types FILE (YAML: "${name}: positive | negative | ignore")`,
        found: name,
      })),
    );
  }
  const change = seatChanges(cycles);
  cycles.clear();
  for (const [fi, plan] of billing.entries()) {
    const bound = (plan.layout as { bound: BoundPreset }).bound;
    const reader = presetReader(plan.file, bound, problems, ids, opts.skuSpelling);
    current = plan.file;
    const stats = await readCsv(
      plan.file,
      () => undefined,
      (rec, line) => {
        const f = bound.billing!(rec);
        const canon = toCanonical(bound, rec, plan.file, line);
        const key = `${fi}:${line}`;
        const delta = change.get(key);
        // The seat change sits on the cycle's first line, dated on the cycle's first day.
        canon[CANONICAL_INDEX.get('quantity')!] = String(delta ?? 0);
        if (delta !== undefined && delta !== 0) canon[CANONICAL_INDEX.get('date')!] = f.cycleStart;
        feed(
          checked(opts, problems, rec, () => {
            const before = problems.capture?.length ?? problems.count;
            if (lineSign(f, opts.chargeTypes) === 'unknown') {
              problems.add(
                plan.file,
                line,
                f.labels.chargeType,
                `unknown ChargeType "${f.chargeType}"`,
                'a known ChargeType, or --charge-types FILE',
                show(f.chargeType),
              );
            }
            for (const d of billingProblems(f, plan.file, line)) problems.addDiagnostic(d);
            for (const d of bound.rowProblems?.(rec, plan.file, line) ?? []) problems.addDiagnostic(d);
            const row = reader.toRow(canon, line);
            return (problems.capture?.length ?? problems.count) === before ? row : undefined;
          }),
        );
      },
      undefined,
      opts.csv,
    );
    opts.onFileRead?.(plan.file, layouts[plan.file]!, stats);
  }
  if (problems.count) throw new InvalidInputError(problems.all());
  return layouts;
}

/** Runs a row's validation; with a reject sink, a row with problems is set aside. */
function checked(opts: SourceOptions, problems: RowProblems, rec: readonly string[], validate: () => TxRow | undefined): TxRow | undefined {
  if (!opts.rejects) return validate();
  problems.capture = [];
  try {
    const row = validate();
    if (problems.capture.length) {
      opts.rejects.reject(problems.capture, rec);
      return undefined;
    }
    return row;
  } finally {
    problems.capture = null;
  }
}

function presetReader(file: string, bound: BoundPreset, problems: RowProblems, ids: IdFilter, skuSpelling?: ReadonlyMap<string, string>): TransactionReader {
  const reader = new TransactionReader(file, CANONICAL_INDEX, problems, ids, bound.labels, skuSpelling);
  if (bound.idFromLine) reader.noIdCheck = true;
  return reader;
}

/** A preset row as a canonical record (TX_COLUMNS order); rows without ids are named file:line. */
function toCanonical(bound: BoundPreset, rec: string[], file: string, line: number): string[] {
  const v = bound.map(rec);
  if (bound.idFromLine) v.transaction_id = `${basename(file)}:${line}`;
  return TX_COLUMNS.map((c) => v[c] ?? '');
}

/** The sign a billing line's seats count with: its amount's, else its ChargeType's. */
function lineSign(f: { amount: string; chargeType: string }, types: ReadonlyMap<string, ChargeClass>): 1 | -1 | 0 | 'unknown' {
  const cls = chargeClass(types, f.chargeType);
  if (cls === undefined) return 'unknown';
  if (cls === 'ignore') return 0;
  const a = f.amount.trim();
  if (a.startsWith('-') && /[1-9]/.test(a)) return -1;
  if (/[1-9]/.test(a)) return 1;
  return cls === 'negative' ? -1 : 1;
}

function billingProblems(
  f: { cycleStart: string; quantity: string; amount: string; labels: { cycleStart: string; quantity: string; amount: string } },
  file: string,
  line: number,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const bad = (field: string, message: string, expected: string, found: string) =>
    out.push({ code: 'INVALID_ROW', severity: 'error', file, line, field, message, expected, found });
  if (!isIsoDate(f.cycleStart)) bad(f.labels.cycleStart, 'not a date', 'a date M/D/YYYY', show(f.cycleStart));
  if (!DECIMAL_RE.test(f.quantity.trim()))
    bad(f.labels.quantity, 'not a number of seats', 'a whole number such as 5 (or 6.0); a fraction such as 3.1618 carries revenue only', show(f.quantity));
  if (f.amount.trim() !== '' && !DECIMAL_RE.test(f.amount.trim())) bad(f.labels.amount, 'not a number', 'a decimal amount such as 12.50 or -4', show(f.amount));
  return out;
}

export { CsvReadError };
