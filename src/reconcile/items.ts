/** Reconcile's items: their keys, categories and the report they make, as data (match.ts makes them, report/ words them). */
import { Decimal, ZERO } from '../money/index.js';
import type { Reason } from '../engine/reasons.js';
import type { TraceEvent } from '../engine/trace.js';
import type { PartnerStatus } from '../engine/types.js';
import type { Earning } from './earnings.js';

export const CATEGORIES = [
  'MATCHED',
  'UNDERPAID',
  'OVERPAID',
  'MISSING',
  'UNEXPECTED',
  'RATE_DIFFERS',
  'QUANTITY_DIFFERS',
  'FX_DIFFERS',
  'ADJUSTMENT',
  'REVERSED',
] as const;
export type Category = (typeof CATEGORIES)[number];

/** Categories that are a difference to raise with Microsoft (`--exit-code`). */
const OPEN: ReadonlySet<Category> = new Set(['UNDERPAID', 'OVERPAID', 'MISSING', 'UNEXPECTED']);

export type MatchLevel = 'transaction' | 'subscription' | 'customer' | 'partner' | 'earning';

export interface ItemKey {
  level: MatchLevel;
  partnerId: string;
  service?: string;
  transactionId?: string;
  /** An item of several transactions (a growth earning repeated on each): all of them. */
  transactionIds?: string[];
  subscriptionId?: string;
  customerId?: string;
  sku?: string;
  /** YYYY-MM of the transaction. */
  month?: string;
}

export interface Item {
  categories: Category[];
  key: ItemKey;
  /** incent's amount (null: incent has no row paying this). */
  expected: Decimal | null;
  /** Microsoft's amount in the campaign currency (null: no earning). */
  paid: Decimal | null;
  difference: Decimal;
  /** incent's rows (the explain events) and, for UNEXPECTED, the reasons of the rows it excluded under the key. */
  rows: TraceEvent[];
  reasons: { reason: Reason; rows: number }[];
  earnings: Earning[];
  /** Why incent expects what it does, beyond the rows' own arithmetic (a minimum payout). */
  notes: string[];
  disputeBy: string | null;
  /** Whether disputeBy is before the day reconcile judges deadlines on. */
  deadlinePassed: boolean;
  open: boolean;
}

export interface PartnerReconciliation {
  partnerId: string;
  name?: string;
  status?: PartnerStatus;
  expected: Decimal;
  paid: Decimal;
  difference: Decimal;
  counts: Partial<Record<Category, number>>;
  /** The earliest deadline among open differences. */
  disputeBy: string | null;
  deadlinePassed: boolean;
  items: Item[];
}

export interface CampaignReconciliation {
  id: string;
  name: string;
  program: string;
  currency: string;
  tolerance: Decimal;
  disputeWindowDays: number;
  partners: PartnerReconciliation[];
  /** Earnings lines of this program read, and distinct earnings. */
  lines: number;
  earnings: number;
}

function distinct(values: readonly Decimal[]): string[] {
  return [...new Set(values.map((v) => v.toString()))].sort();
}

function sameSet(a: readonly Decimal[], b: readonly Decimal[]): boolean {
  const x = distinct(a);
  const y = distinct(b);
  return x.length === y.length && x.every((v, i) => new Decimal(v).eq(new Decimal(y[i]!)));
}

/** The categories of an item, from its two sides. */
export function categorize(item: Item, tolerance: Decimal, currency: string): void {
  const cats: Category[] = [];
  const { expected, paid, earnings, rows } = item;
  if (earnings.some((e) => e.adjustment)) cats.push('ADJUSTMENT');
  else if (paid === null) cats.push('MISSING');
  else if (expected === null) cats.push('UNEXPECTED');
  else if (item.difference.abs().lte(tolerance)) cats.push('MATCHED');
  else cats.push(item.difference.isNegative() ? 'UNDERPAID' : 'OVERPAID');
  if (expected !== null && paid !== null && earnings.length && rows.length) {
    const msRates = earnings.flatMap((e) => e.lines.map((l) => l.earningRate)).filter((r): r is Decimal => r !== null);
    const ourRates = rows.map((r) => r.rate).filter((r): r is Decimal => r !== undefined);
    if (msRates.length && ourRates.length && !sameSet(msRates, ourRates)) cats.push('RATE_DIFFERS');
    const lines = earnings.flatMap((e) => e.lines);
    const seatRows = rows.filter((r) => r.units !== undefined);
    if (lines.every((l) => l.quantity !== null) && seatRows.length === rows.length && rows.length > 0) {
      const theirs = lines.reduce((a, l) => a.plus(l.quantity!), ZERO);
      const ours = rows.reduce((a, r) => a + (r.units ?? 0), 0);
      if (!theirs.eq(ours)) cats.push('QUANTITY_DIFFERS');
    }
    // Microsoft's earningExchangeRate converts to USD: comparable with incent's rate when the campaign is in USD.
    if (currency === 'USD') {
      const msFx = lines
        .filter((l) => l.transactionCurrency && l.transactionCurrency !== 'USD')
        .map((l) => l.earningExchangeRate)
        .filter((r): r is Decimal => r !== null);
      const ourFx = rows.map((r) => r.fx?.rate).filter((r): r is Decimal => r !== undefined);
      if (msFx.length && ourFx.length && !sameSet(msFx, ourFx)) cats.push('FX_DIFFERS');
    }
  }
  if (earnings.some((e) => e.reversed)) cats.push('REVERSED');
  item.categories = cats;
  item.open = cats.some((c) => OPEN.has(c));
}

export function newItem(key: ItemKey): Item {
  return {
    categories: [],
    key,
    expected: null,
    paid: null,
    difference: ZERO,
    rows: [],
    reasons: [],
    earnings: [],
    notes: [],
    disputeBy: null,
    deadlinePassed: false,
    open: false,
  };
}

/** Items in the order of their first row or line: date, then transaction, then earning id. */
export function itemOrder(a: Item, b: Item): number {
  const at = (i: Item) => i.rows[0]?.date ?? i.earnings[0]?.lines[0]?.transactionDate ?? i.earnings[0]?.earningDate ?? '\uffff';
  const id = (i: Item) => i.key.transactionId ?? i.rows[0]?.transactionId ?? i.earnings[0]?.earningId ?? '';
  const da = at(a);
  const db = at(b);
  if (da !== db) return da < db ? -1 : 1;
  return id(a) < id(b) ? -1 : id(a) > id(b) ? 1 : 0;
}

/** Whether any item anywhere is a difference beyond tolerance. */
export function hasDifferences(campaigns: readonly CampaignReconciliation[]): boolean {
  return campaigns.some((c) => c.partners.some((p) => p.items.some((i) => i.open)));
}
