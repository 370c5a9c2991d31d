/**
 * Per (partner, service, customer) accumulators, kept in columns: memory follows the
 * customers and partners, not the rows. Customer and partner ids are interned once
 * per run; a service keeps one slot per (partner, customer) in typed arrays, and
 * only what few slots need (a SKU outside the service's column set, a foreign
 * currency, usage users and counts, a sum past 2^53 micro-units) goes in an object.
 */
import { Decimal, ScaledSum, ZERO, microsToDecimal, type FxTable } from '../money/index.js';
import type { Campaign, ServiceDef } from '../campaign/model.js';
import type { TxRow } from './types.js';
import { addUnitsExactly } from '../units.js';
import type { Interner } from './interner.js';

const NO_UNITS: ReadonlyMap<string, number> = new Map();
/** A service with at most this many named SKUs keeps units by SKU in columns. */
const SKU_COLUMNS = 16;

/** A user active in a workload: the day of their latest action, and the SKU (and its rate) that prices them. */
export interface ActiveUser {
  date: string;
  sku: string;
  rate: Decimal;
}

/** What few slots need, made on first use. */
class SlotExtra {
  /** Units of SKUs outside the service's columns. */
  bySku: Map<string, number> | null = null;
  /** Campaign-currency revenue the exact column cannot hold (past 2^53 micro-units, or more than 6 decimals). */
  home: ScaledSum | null = null;
  /** Other revenue by `currency` (fixed-rate currency) or `currency|date` (fx.csv rate of that day). */
  foreign: Map<string, ScaledSum> | null = null;
  /** Usage, events shape: by workload, each user once, with the SKU that prices them. */
  users: Map<string, Map<string, ActiveUser>> | null = null;
  /** Usage, counts shape: the latest report per usageKey and metric. */
  counts: Map<string, Map<string, MetricReport>> | null = null;
  /** Seats the per-transaction limits left uncounted (net seats before limits = units + this). */
  limitedAway = 0;
}

function grownInt(a: Int32Array, size: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(Math.max(size, a.length * 2));
  b.set(a);
  return b;
}

/** Columns grow a page (8,192 slots) at a time: no doubling, no copy, little slack. */
const PAGE_BITS = 13;
const PAGE = 1 << PAGE_BITS;
const IN_PAGE = PAGE - 1;
const INT32_MAX = 2 ** 31 - 1;
const INT32_MIN = -(2 ** 31);

class IntColumn {
  private readonly pages: Int32Array[] = [];
  constructor(private readonly width = 1) {}
  ensure(s: number): void {
    while (this.pages.length <= s >>> PAGE_BITS) this.pages.push(new Int32Array(PAGE * this.width));
  }
  get(s: number, k = 0): number {
    return this.pages[s >>> PAGE_BITS]![(s & IN_PAGE) * this.width + k]!;
  }
  set(s: number, v: number, k = 0): void {
    this.pages[s >>> PAGE_BITS]![(s & IN_PAGE) * this.width + k] = v;
  }
}

class FloatColumn {
  private readonly pages: Float64Array[] = [];
  ensure(s: number): void {
    while (this.pages.length <= s >>> PAGE_BITS) this.pages.push(new Float64Array(PAGE));
  }
  get(s: number): number {
    return this.pages[s >>> PAGE_BITS]![s & IN_PAGE]!;
  }
  set(s: number, v: number): void {
    this.pages[s >>> PAGE_BITS]![s & IN_PAGE] = v;
  }
}

/**
 * One service's accumulators: a slot per (partner, customer), in columns. A
 * customer's slots are chained (usually one: the partner it buys through).
 */
export class ServiceTable {
  size = 0;
  /** By customer index: its first slot + 1 (0: none yet). */
  private head = new Int32Array(1024);
  private readonly next = new IntColumn();
  private readonly partnerOf = new IntColumn();
  private readonly customerOf = new IntColumn();
  private readonly rowsOf = new IntColumn();
  /** Net units (exact: safe integers). */
  private readonly unitsOf = new FloatColumn();
  /** Campaign-currency revenue in exact micro-units (safe integers). */
  private readonly homeOf = new FloatColumn();
  /** Units by SKU column, one per SKU the service names; a sum past 32 bits moves to the slot's extra. */
  private readonly skuUnits: IntColumn;
  private readonly extra = new Map<number, SlotExtra>();
  private readonly skuColumn: Map<string, number> | null;
  private readonly skuNames: string[];

  constructor(readonly def: ServiceDef) {
    const skus = def.skus && def.skus.size <= SKU_COLUMNS ? [...def.skus].sort() : [];
    this.skuNames = skus;
    this.skuColumn = skus.length ? new Map(skus.map((s, i) => [s, i])) : null;
    this.skuUnits = new IntColumn(Math.max(1, skus.length));
  }

  /** The slot of (partner, customer), made when new. */
  slot(partner: number, customer: number): number {
    if (customer >= this.head.length) this.head = grownInt(this.head, customer + 1);
    for (let s = this.head[customer]! - 1; s >= 0; s = this.next.get(s) - 1) if (this.partnerOf.get(s) === partner) return s;
    const s = this.size++;
    if ((s & IN_PAGE) === 0) {
      for (const c of [this.next, this.partnerOf, this.customerOf, this.rowsOf, this.skuUnits]) c.ensure(s);
      this.unitsOf.ensure(s);
      this.homeOf.ensure(s);
    }
    this.partnerOf.set(s, partner);
    this.customerOf.set(s, customer);
    this.next.set(s, this.head[customer]!);
    this.head[customer] = s + 1;
    return s;
  }

  private extraOf(s: number): SlotExtra {
    let e = this.extra.get(s);
    if (e === undefined) this.extra.set(s, (e = new SlotExtra()));
    return e;
  }

  addRows(s: number, n: number): void {
    this.rowsOf.set(s, this.rowsOf.get(s) + n);
  }

  addUnits(s: number, sku: string, units: number): void {
    this.unitsOf.set(s, addUnitsExactly(this.unitsOf.get(s), units));
    const k = this.skuColumn?.get(sku);
    if (k !== undefined) {
      const t = this.skuUnits.get(s, k) + units;
      if (t <= INT32_MAX && t >= INT32_MIN) return this.skuUnits.set(s, t, k);
    }
    const e = this.extraOf(s);
    e.bySku ??= new Map();
    e.bySku.set(sku, addUnitsExactly(e.bySku.get(sku) ?? 0, units));
  }

  /** Seats a row had that the per-transaction limits did not count (rare: kept beside the columns). */
  addLimitedAway(s: number, units: number): void {
    const e = this.extraOf(s);
    e.limitedAway = addUnitsExactly(e.limitedAway, units);
  }

  limitedAway(s: number): number {
    return this.extra.get(s)?.limitedAway ?? 0;
  }

  addRevenue(s: number, c: Campaign, r: TxRow): void {
    const cur = r.currency;
    if (cur === c.currency && r.amountMicros !== undefined) {
      const next = this.homeOf.get(s) + r.amountMicros;
      if (Number.isSafeInteger(next)) {
        this.homeOf.set(s, next);
        return;
      }
    }
    const e = this.extraOf(s);
    let sum: ScaledSum | undefined;
    if (cur === c.currency) sum = e.home ??= new ScaledSum();
    else {
      const key = c.fixedFx.has(cur) ? cur : `${cur}|${r.date}`;
      e.foreign ??= new Map();
      sum = e.foreign.get(key);
      if (!sum) e.foreign.set(key, (sum = new ScaledSum()));
    }
    if (r.amountMicros !== undefined) sum.addMicros(r.amountMicros);
    else if (r.amount !== null) sum.addDecimal(new Decimal(r.amount));
  }

  /**
   * A user's action in a workload (users told apart without regard to case): each user counts once per (customer, workload)
   * however many subscriptions or SKUs they were active on, priced at the SKU of their
   * latest action in the window; on a day with actions on two SKUs, the higher rate
   * (equal rates: the first SKU in sort order, so row order never changes the result).
   */
  addUser(s: number, workload: string, userId: string, date: string, sku: string, rate: Decimal): void {
    const e = this.extraOf(s);
    e.users ??= new Map();
    let byUser = e.users.get(workload);
    if (!byUser) e.users.set(workload, (byUser = new Map()));
    // A user is one whatever the case of its id (a UPN or an object id): U1@Contoso.com and u1@contoso.com are one user.
    const user = userKey(userId);
    const had = byUser.get(user);
    if (!had || date > had.date || (date === had.date && (rate.gt(had.rate) || (rate.eq(had.rate) && sku < had.sku)))) byUser.set(user, { date, sku, rate });
  }

  /**
   * Keeps the latest report of a metric. Returns true when the new report replaces an
   * earlier one or is itself older (one row is superseded); two reports on one day
   * are an input error naming both lines.
   */
  addCount(s: number, customerId: string, key: string, metric: string, report: MetricReport): boolean {
    const e = this.extraOf(s);
    e.counts ??= new Map();
    let byMetric = e.counts.get(key);
    if (!byMetric) e.counts.set(key, (byMetric = new Map()));
    const prior = byMetric.get(metric);
    if (!prior) {
      byMetric.set(metric, report);
      return false;
    }
    if (prior.date === report.date) throw new DuplicateCountError(customerId, key, metric, prior, report);
    if (report.date > prior.date) byMetric.set(metric, report);
    return true;
  }

  /** The slot of (partner, customer) if there is one. */
  find(partner: number, customer: number): number | undefined {
    if (customer >= this.head.length) return undefined;
    for (let s = this.head[customer]! - 1; s >= 0; s = this.next.get(s) - 1) if (this.partnerOf.get(s) === partner) return s;
    return undefined;
  }

  /** Each partner's slots, in the order they were made (the order rows first reached them). */
  slotsByPartner(): Map<number, number[]> {
    const out = new Map<number, number[]>();
    for (let s = 0; s < this.size; s++) {
      const p = this.partnerOf.get(s);
      let list = out.get(p);
      if (!list) out.set(p, (list = []));
      list.push(s);
    }
    return out;
  }

  /** A read-only view of one slot, for finishing and explaining. */
  view(s: number, customers: Interner): CustomerAcc {
    return new CustomerAcc(this, s, customers.names[this.customerOf.get(s)]!);
  }

  /** The customer (interned index) of a slot. */
  customer(s: number): number {
    return this.customerOf.get(s);
  }

  rows(s: number): number {
    return this.rowsOf.get(s);
  }

  units(s: number): number {
    return this.unitsOf.get(s);
  }

  unitsBySku(s: number): ReadonlyMap<string, number> {
    const k = this.skuNames.length;
    const extra = this.extra.get(s)?.bySku;
    if (k === 0) return extra ?? NO_UNITS;
    const out = new Map<string, number>();
    for (let i = 0; i < k; i++) {
      const u = this.skuUnits.get(s, i);
      if (u !== 0) out.set(this.skuNames[i]!, u);
    }
    for (const [sku, u] of extra ?? []) out.set(sku, (out.get(sku) ?? 0) + u);
    return out;
  }

  /** Revenue in the campaign currency, exact: each currency-day sum at its own rate. */
  revenueIn(s: number, c: Campaign, fx: FxTable | undefined): Decimal {
    const e = this.extra.get(s);
    const home = this.homeOf.get(s);
    let total = home === 0 ? ZERO : microsToDecimal(home);
    if (e?.home) total = total.plus(e.home.toDecimal());
    for (const [key, sum] of e?.foreign ?? []) {
      const [cur, date] = key.split('|') as [string, string | undefined];
      total = total.plus(sum.toDecimal().times(rateToCampaign(c, cur, date, fx)));
    }
    return total;
  }

  active(s: number, metrics: readonly string[] | null): Map<string, number> {
    const e = this.extra.get(s);
    const out = new Map<string, number>();
    if (metrics === null) {
      for (const [workload, byUser] of e?.users ?? []) {
        for (const u of byUser.values()) {
          const key = `${u.sku}\u0000${workload}`;
          out.set(key, (out.get(key) ?? 0) + 1);
        }
      }
    } else {
      for (const [key, byMetric] of e?.counts ?? []) {
        let best = 0;
        for (const m of metrics) best = Math.max(best, byMetric.get(m)?.value ?? 0);
        out.set(key, best);
      }
    }
    return out;
  }

  latest(s: number, key: string, metric: string): MetricReport | undefined {
    return this.extra.get(s)?.counts?.get(key)?.get(metric);
  }
}

/** One customer of one partner and service, as finishing and explaining read it. */
export class CustomerAcc {
  constructor(
    private readonly table: ServiceTable,
    private readonly slot: number,
    readonly customerId: string,
  ) {}

  get rows(): number {
    return this.table.rows(this.slot);
  }

  get units(): number {
    return this.table.units(this.slot);
  }

  get unitsBySku(): ReadonlyMap<string, number> {
    return this.table.unitsBySku(this.slot);
  }

  /** Net seats before per-transaction limits. */
  get netUnits(): number {
    return addUnitsExactly(this.table.units(this.slot), this.table.limitedAway(this.slot));
  }

  revenueIn(c: Campaign, fx: FxTable | undefined): Decimal {
    return this.table.revenueIn(this.slot, c, fx);
  }

  /** Active users (or the paying metric: the largest of `metrics`) by usageKey. */
  active(metrics: readonly string[] | null): Map<string, number> {
    return this.table.active(this.slot, metrics);
  }

  /** The report of a metric that stands (the latest in the window). */
  latest(key: string, metric: string): MetricReport | undefined {
    return this.table.latest(this.slot, key, metric);
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

/** A user id as users are told apart: without regard to case (user principal names and object ids are not case-sensitive). */
function userKey(userId: string): string {
  return userId.toLowerCase();
}
