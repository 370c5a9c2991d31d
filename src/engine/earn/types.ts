import type { z } from 'zod';
import type { Decimal } from '../../money/index.js';
import type { RateCard } from '../../campaign/rate-card.js';

/** What the engine knows about one qualifying customer of one service when it earns. */
export interface CustomerMeasure {
  customerId: string;
  /** Net counted units per SKU (already clamped by per-transaction limits). */
  unitsBySku: ReadonlyMap<string, number>;
  /** Billed revenue in the campaign currency, exact. */
  revenue: Decimal;
  /** Rows (transactions) of the customer that passed every filter. */
  transactions: number;
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

export interface Earning {
  /** Exact, unrounded, in the campaign currency. */
  earned: Decimal;
  lines: EarnLine[];
}

/**
 * One earning method: its YAML key, its schema, which SKUs it pays for and how it
 * turns qualifying customers into money. One file per method, collected in index.ts.
 */
export interface EarningMethod<Raw, Resolved> {
  key: string;
  description: string;
  schema: z.ZodType<Raw, unknown>;
  /** What a row must carry for this method: seat quantities, billed amounts, or nothing (counted). */
  measure: 'units' | 'revenue' | 'count';
  /** Turns the parsed config into the engine's form; rate cards are already loaded. */
  resolve(raw: Raw, rateCard: RateCard | undefined): Resolved;
  /** The rate-card reference in the raw config, if any (a CSV path or an inline map). */
  rateCardRef(raw: Raw): string | Record<string, Decimal> | undefined;
  /** SKUs this method pays for; null means every SKU of the service. */
  skus(cfg: Resolved): ReadonlySet<string> | null;
  /** Units a single row counts for (per-transaction limits); identity by default. */
  rowUnits?(cfg: Resolved, quantity: number): number;
  earn(cfg: Resolved, customers: readonly CustomerMeasure[]): Earning;
}
