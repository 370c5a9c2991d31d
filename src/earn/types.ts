import type { z } from 'zod';
import type { Decimal } from '../money/index.js';
import type { InlineRates, RateCard } from './rate-card.js';

/** What the engine knows about one qualifying customer of one service when it earns. */
export interface CustomerMeasure {
  customerId: string;
  /** Net counted units per SKU (already clamped by per-transaction limits). */
  unitsBySku: ReadonlyMap<string, number>;
  /** Billed revenue in the campaign currency, exact. */
  revenue: Decimal;
  /** Rows (transactions) of the customer that passed every filter. */
  transactions: number;
  /** Usage: active users (or the paying metric) by usageKey(sku, workload). */
  active?: ReadonlyMap<string, number>;
}

export interface EarnLine {
  customerId: string;
  sku?: string;
  units?: number;
  rate?: Decimal;
  base?: Decimal;
  amount: Decimal;
  note?: string;
}

/** Where a partner stands in a tier table (tiers method). */
export interface TierStanding {
  counted: number;
  counts: 'transactions' | 'customers';
  /** The highest tier reached (its at_least), if any. */
  reached?: number;
  /** The next tier's at_least, and how many more counted items it needs. */
  next?: number;
  toNext?: number;
}

export interface Earning {
  /** Exact, unrounded, in the campaign currency. */
  earned: Decimal;
  /** Per customer (or '*' for the service), what earned it; seat services leave it empty and give the counts below. */
  lines: EarnLine[];
  tier?: TierStanding;
  /** Seat services: the units paid for (after limits, each SKU netted at 0 or more), and the customers paid for. */
  paid?: { units: number; customers: number };
  /** How `earned` comes about, as the method says it: "8 x 48 (E3) + 6 x 73 (E5)", "20% of 3582", "the tier at 3: 50 x 4". */
  arithmetic?: string;
}

/** What a method needs of the run to tell a row's earning. */
export interface RowContext {
  /** The campaign currency. */
  currency: string;
  /** The rate from the row's currency to the campaign's on its date, and where it comes from. */
  fx(currency: string, date: string): { rate: Decimal; source: string };
}

/** A row that accumulated, as a method tells what it earns (one object refilled per row). */
export interface RowFacts {
  sku: string;
  quantity: number | null;
  /** Units the row counts for, after per-transaction limits. */
  units: number;
  amount: string | null;
  currency: string;
  date: string;
}

/** A qualifying customer of a service, as summary lines see it. */
export interface QualifyingCustomer {
  customerId: string;
  units: number;
  measure: CustomerMeasure;
}

/** A line that carries pay no row carries: a customer's netting or limits, its active users, a tier's pay. */
export interface SummaryLine {
  kind: 'customer' | 'service';
  customer?: string;
  status: 'earned' | 'adjustment';
  detail: string;
  amount: Decimal;
  units?: number;
}

/**
 * One earning method: its YAML key, its schema, which SKUs it pays for and how it
 * turns qualifying customers into money. One file per method, collected in index.ts.
 */
export interface EarningMethod<Raw, Resolved> {
  key: string;
  description: string;
  schema: z.ZodType<Raw, unknown>;
  /**
   * What the method is paid on: transactions.csv seat quantities, billed amounts or
   * counted rows, or usage.csv activity.
   */
  measure: 'units' | 'revenue' | 'count' | 'usage';
  /** Turns the parsed config into the engine's form; rate cards are already loaded. */
  resolve(raw: Raw, rateCard: RateCard | undefined): Resolved;
  /** The rate-card reference in the raw config, if any (a CSV path or an inline map). */
  rateCardRef(raw: Raw): string | InlineRates | undefined;
  /** SKUs this method pays for; null means every SKU of the service. */
  skus(cfg: Resolved): ReadonlySet<string> | null;
  /** Units a single row counts for (per-transaction limits); identity by default. */
  rowUnits?(cfg: Resolved, quantity: number): number;
  /** Why a row counts `units` of its `quantity` (the limit that applied), for explain. */
  rowLimitWords?(cfg: Resolved, quantity: number, units: number): string;
  /** Which limits applied to one customer's net units by SKU (explain), or [] when none did. */
  customerLimitWords?(cfg: Resolved, unitsBySku: ReadonlyMap<string, number>): string[];
  earn(cfg: Resolved, customers: readonly CustomerMeasure[]): Earning;
  /** What a row earns if its customer and service qualify, with its arithmetic; absent or undefined: the row only counts (its pay is on a summary line). */
  rowEarning?(cfg: Resolved, row: RowFacts, ctx: RowContext): RowEarning | undefined;
  /** Rows with the same key earn the same (one earning object shared by them); undefined: the row's earning is its own. */
  shareKey?(cfg: Resolved, row: RowFacts): string | undefined;
  /** The summary lines of one partner's qualified service, given its qualifying customers in id order. */
  summaryLines?(cfg: Resolved, service: string, qualifying: readonly QualifyingCustomer[], currency: string): SummaryLine[];
  /** Whether summaryLines needs to see this qualifying customer (per_unit: only one its netting or limits touch); absent: every one. The engine keeps only these. */
  summaryNeeds?(cfg: Resolved, customer: CustomerMeasure): boolean;
  /** A standing the service must reach to qualify beyond the customer gates (tiers: a tier); undefined when the method has none. */
  standing?(cfg: Resolved, customers: readonly CustomerMeasure[]): TierStanding | undefined;
  /** SKUs the config names itself (not in a rate card), which no other service may pay for. */
  listedSkus?(raw: Raw): readonly string[];
  /** usage.csv workloads the service pays for, which no other service may pay for. */
  workloads?(raw: Raw): readonly string[];
  /** A method paid on usage.csv (measure 'usage'): what the engine's usage steps read (workloads, window, metrics, rates). */
  usage?(cfg: Resolved): UsageSpec;
  /** The method's own checks of a schema-valid config (validate and calc report them with the campaign's). */
  check?(raw: Raw, ctx: MethodCheckContext): void;
}

/** How a usage method reads usage.csv: the engine's usage steps read this, never the method's config. */
export interface UsageSpec {
  rates: RateCard;
  workloads: ReadonlySet<string>;
  windowDays: number;
  /** Metrics of the counts shape; the largest pays. Null: events shape. */
  metrics: readonly string[] | null;
}

/** What a method's check knows of its service and campaign, and how it reports. */
export interface MethodCheckContext {
  service: string;
  /** Where the method's config is in the campaign file: ['services', name, key]. */
  path: (string | number)[];
  campaign: { as_of: string; period: { start: string; end: string } };
  /** `path`: where in the campaign file the problem is (diagnostics point at its line). */
  report(d: { code: string; severity: 'error' | 'warning'; path: (string | number)[]; message: string; expected: string; found: string }): void;
}

/**
 * What a row that accumulated earns if its customer and service qualify (units x rate,
 * revenue x FX x percent), or that it only counts: decided once by the engine, handed
 * to the trace as data. Shared by rows of one SKU and unit count.
 */
export interface RowEarning {
  status: 'earned' | 'counted';
  units?: number;
  rate?: Decimal;
  fx?: { rate: Decimal; source: string };
  amount: Decimal;
  /** exactText(amount). */
  amountText: string;
  detail: string;
  /** Rows of one SKU and unit count share this object (a writer may number it and write its words once). */
  shared?: boolean;
}
