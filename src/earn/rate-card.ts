/** Rate cards: SKU -> rate, inline in the campaign or in a CSV beside it. */
import { parse } from 'csv-parse/sync';
import type { Diagnostic } from '../diagnostics.js';
import { Decimal, DECIMAL_RE } from '../money/index.js';

export interface RateEntry {
  sku: string;
  /** Set when the rate applies to one usage workload only (per_active_user cards). */
  workload?: string;
  rate: Decimal;
  service?: string;
  description?: string;
  file: string;
  line: number;
}

/** Keyed by SKU, or by rateKey(sku, workload) for a workload's own rate. */
export type RateCard = Map<string, RateEntry>;

export function rateKey(sku: string, workload?: string): string {
  return workload ? `${sku}\u0000${workload}` : sku;
}

/** The SKU's rate for a workload: the workload's own rate, else the SKU's rate. */
export function rateFor(card: RateCard, sku: string, workload?: string): RateEntry | undefined {
  return (workload ? card.get(rateKey(sku, workload)) : undefined) ?? card.get(sku);
}

/** The SKUs a card names (whatever their workloads). */
export function cardSkus(card: RateCard): Set<string> {
  return new Set([...card.values()].map((e) => e.sku));
}

/** A cell a spreadsheet would run as a formula. */
export const FORMULA_RE = /^[=+\-@\t\r]/;

/** Parses a rate-card CSV (`sku,rate` plus optional `service,description,workload`). Pure. */
export function parseRateCard(text: string, file: string): { card: RateCard; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const card: RateCard = new Map();
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: true, info: true }) as unknown as typeof records;
  } catch (e) {
    const err = e as { message: string; lines?: number };
    diagnostics.push({
      code: 'RATE_CARD_CSV',
      severity: 'error',
      file,
      line: err.lines,
      message: `not a readable CSV: ${err.message}`,
    });
    return { card, diagnostics };
  }
  const header = (records[0]?.record ?? []).map((h) => h.trim().toLowerCase());
  const iSku = header.indexOf('sku');
  const iRate = header.indexOf('rate');
  const iService = header.indexOf('service');
  const iDesc = header.indexOf('description');
  const iWorkload = header.indexOf('workload');
  if (iSku < 0 || iRate < 0) {
    diagnostics.push({
      code: 'RATE_CARD_HEADER',
      severity: 'error',
      file,
      line: 1,
      column: 1,
      message: 'a rate card needs the columns sku and rate',
      expected: 'sku,rate[,service,description]',
      found: header.join(',').slice(0, 200) || '(empty file)',
    });
    return { card, diagnostics };
  }
  for (let r = 1; r < records.length; r++) {
    const { record: rec, info } = records[r]!;
    // The line the record starts on (blank lines are skipped; a quoted cell may hold line breaks).
    const line = info.lines - rec.reduce((n, cell) => n + (cell.match(/\n/g)?.length ?? 0), 0);
    // A row of more or fewer cells than the header (a rate written 47,50) would read a cell as another column's.
    if (rec.length !== header.length) {
      diagnostics.push({
        code: 'RATE_CARD_ROW',
        severity: 'error',
        file,
        line,
        message: `expected ${header.length} fields (${header.join(',')}), found ${rec.length}`,
        expected: `${header.length} fields, as the header has`,
        found: `${rec.length} fields`,
      });
      continue;
    }
    const sku = (rec[iSku] ?? '').trim();
    const rateText = (rec[iRate] ?? '').trim();
    if (!sku) {
      diagnostics.push({ code: 'RATE_CARD_SKU', severity: 'error', file, line, field: 'sku', message: 'empty SKU', expected: 'a SKU id', found: '(empty)' });
      continue;
    }
    if (FORMULA_RE.test(sku)) {
      diagnostics.push({
        code: 'RATE_CARD_FORMULA',
        severity: 'error',
        file,
        line,
        field: 'sku',
        message: 'a SKU that starts like a spreadsheet formula is refused',
        expected: 'a SKU id',
        found: sku,
      });
      continue;
    }
    if (!DECIMAL_RE.test(rateText)) {
      diagnostics.push({
        code: 'RATE_NOT_NUMERIC',
        severity: 'error',
        file,
        line,
        field: 'rate',
        message: 'the rate is not a number',
        expected: 'a decimal number such as 73 or 12.50',
        found: rateText || '(empty)',
      });
      continue;
    }
    const rate = new Decimal(rateText);
    if (rate.isNegative()) {
      diagnostics.push({
        code: 'RATE_NEGATIVE',
        severity: 'error',
        file,
        line,
        field: 'rate',
        message: 'a rate cannot be negative',
        expected: 'a rate >= 0',
        found: rateText,
      });
      continue;
    }
    const workload = iWorkload >= 0 ? (rec[iWorkload] ?? '').trim() || undefined : undefined;
    const key = rateKey(sku, workload);
    const prior = card.get(key);
    if (prior) {
      diagnostics.push({
        code: 'RATE_CARD_DUPLICATE_SKU',
        severity: 'error',
        file,
        line,
        field: 'sku',
        message: `SKU ${sku}${workload ? ` (workload ${workload})` : ''} is listed twice (first on line ${prior.line})`,
        expected: 'each SKU (and workload) once',
        found: sku,
      });
      continue;
    }
    const service = iService >= 0 ? (rec[iService] ?? '').trim() || undefined : undefined;
    const description = iDesc >= 0 ? (rec[iDesc] ?? '').trim() || undefined : undefined;
    card.set(key, { sku, workload, rate, service, description, file, line });
  }
  return { card, diagnostics };
}

/** An inline YAML rate card: `SKU: rate`, or `SKU: { Workload: rate, ... }` for per-workload rates. */
export type InlineRates = Record<string, Decimal | Record<string, Decimal>>;

/** Builds a rate card from an inline YAML map. */
export function inlineRateCard(map: InlineRates, file: string, line: number): RateCard {
  const card: RateCard = new Map();
  for (const [sku, v] of Object.entries(map)) {
    if (Decimal.isDecimal(v)) card.set(sku, { sku, rate: v, file, line });
    else for (const [workload, rate] of Object.entries(v)) card.set(rateKey(sku, workload), { sku, workload, rate, file, line });
  }
  return card;
}
