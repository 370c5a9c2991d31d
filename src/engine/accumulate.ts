/** Per (partner, service, customer) accumulators: memory follows customers, not rows. */
import { Decimal, ScaledSum, ZERO, type FxTable } from '../money/index.js';
import type { Campaign, ServiceDef } from '../campaign/model.js';
import type { TxRow } from './types.js';

const NO_UNITS: ReadonlyMap<string, number> = new Map();

/**
 * One customer of one partner and service. Kept small, since there is one per
 * (partner, service, customer): maps are made only when a second SKU or a foreign
 * currency turns up.
 */
export class CustomerAcc {
  rows = 0;
  units = 0;
  private sku: string | null = null;
  private skuUnits = 0;
  private bySku: Map<string, number> | null = null;
  /** Revenue in the campaign currency itself. */
  private home: ScaledSum | null = null;
  /** Other revenue by `currency` (fixed-rate currency) or `currency|date` (fx.csv rate of that day). */
  private foreign: Map<string, ScaledSum> | null = null;

  /** Usage, events shape: distinct users by usageKey(sku, workload). */
  private users: Map<string, Set<string>> | null = null;
  /** Usage, counts shape: the latest report per usageKey and metric. */
  private counts: Map<string, Map<string, MetricReport>> | null = null;

  constructor(readonly customerId: string) {}

  addUser(key: string, userId: string): void {
    this.users ??= new Map();
    let set = this.users.get(key);
    if (!set) this.users.set(key, (set = new Set()));
    set.add(userId);
  }

  /**
   * Keeps the latest report of a metric. Returns true when the new report replaces an
   * earlier one or is itself older (one row is superseded); two reports on one day
   * are an input error naming both lines.
   */
  addCount(key: string, metric: string, report: MetricReport): boolean {
    this.counts ??= new Map();
    let byMetric = this.counts.get(key);
    if (!byMetric) this.counts.set(key, (byMetric = new Map()));
    const prior = byMetric.get(metric);
    if (!prior) {
      byMetric.set(metric, report);
      return false;
    }
    if (prior.date === report.date) throw new DuplicateCountError(this.customerId, key, metric, prior, report);
    if (report.date > prior.date) byMetric.set(metric, report);
    return true;
  }

  /** The report of a metric that stands (the latest in the window). */
  latest(key: string, metric: string): MetricReport | undefined {
    return this.counts?.get(key)?.get(metric);
  }

  /** Active users (or the paying metric: the largest of `metrics`) by usageKey. */
  active(metrics: readonly string[] | null): Map<string, number> {
    const out = new Map<string, number>();
    if (metrics === null) for (const [key, set] of this.users ?? []) out.set(key, set.size);
    else {
      for (const [key, byMetric] of this.counts ?? []) {
        let best = 0;
        for (const m of metrics) best = Math.max(best, byMetric.get(m)?.value ?? 0);
        out.set(key, best);
      }
    }
    return out;
  }

  addUnits(sku: string, units: number): void {
    this.units += units;
    if (this.bySku) this.bySku.set(sku, (this.bySku.get(sku) ?? 0) + units);
    else if (this.sku === null || this.sku === sku) {
      this.sku = sku;
      this.skuUnits += units;
    } else {
      this.bySku = new Map([[this.sku, this.skuUnits]]);
      this.bySku.set(sku, (this.bySku.get(sku) ?? 0) + units);
    }
  }

  get unitsBySku(): ReadonlyMap<string, number> {
    if (this.bySku) return this.bySku;
    return this.sku === null ? NO_UNITS : new Map([[this.sku, this.skuUnits]]);
  }

  addRevenue(c: Campaign, r: TxRow): void {
    const cur = r.currency;
    let sum: ScaledSum | undefined;
    if (cur === c.currency) sum = this.home ??= new ScaledSum();
    else {
      const key = c.fixedFx.has(cur) ? cur : `${cur}|${r.date}`;
      this.foreign ??= new Map();
      sum = this.foreign.get(key);
      if (!sum) this.foreign.set(key, (sum = new ScaledSum()));
    }
    if (r.amountMicros !== undefined) sum.addMicros(r.amountMicros);
    else if (r.amount !== null) sum.addDecimal(new Decimal(r.amount));
  }

  /** Revenue in the campaign currency, exact: each currency-day sum at its own rate. */
  revenueIn(c: Campaign, fx: FxTable | undefined): Decimal {
    let total = this.home ? this.home.toDecimal() : ZERO;
    for (const [key, sum] of this.foreign ?? []) {
      const [cur, date] = key.split('|') as [string, string | undefined];
      total = total.plus(sum.toDecimal().times(rateToCampaign(c, cur, date, fx)));
    }
    return total;
  }
}

export interface MetricReport {
  date: string;
  value: number;
  line: number;
}

export class DuplicateCountError extends Error {
  constructor(
    readonly customerId: string,
    readonly key: string,
    readonly metric: string,
    readonly first: MetricReport,
    readonly second: MetricReport,
  ) {
    const [sku, workload] = key.split('\u0000');
    super(`customer ${customerId} has two ${metric} counts for ${workload} (${sku}) on ${second.date}: lines ${first.line} and ${second.line}`);
  }
}

export class FxNeededError extends Error {
  constructor(
    readonly currency: string,
    readonly to: string,
    readonly day: string,
  ) {
    super(`an amount in ${currency} on ${day} needs an exchange rate ${currency}->${to}: give fx.csv, or a fixed rate in the campaign's fx.fixed`);
  }
}

export function rateToCampaign(c: Campaign, cur: string, date: string | undefined, fx: FxTable | undefined): Decimal {
  if (cur === c.currency) return new Decimal(1);
  const fixed = c.fixedFx.get(cur);
  if (fixed) return fixed;
  if (!date) throw new Error(`internal: no date for ${cur}`);
  if (!fx) throw new FxNeededError(cur, c.currency, date);
  return fx.rate(cur, c.currency, date).rate;
}

export class PartnerAcc {
  rows = 0;
  readonly services = new Map<ServiceDef, Map<string, CustomerAcc>>();

  constructor(readonly partnerId: string) {}

  customer(def: ServiceDef, customerId: string): CustomerAcc {
    let byCustomer = this.services.get(def);
    if (!byCustomer) this.services.set(def, (byCustomer = new Map()));
    let acc = byCustomer.get(customerId);
    if (!acc) byCustomer.set(customerId, (acc = new CustomerAcc(customerId)));
    return acc;
  }
}
