/**
 * The allocator's streaming strategy, for a partner whose pay a cap trimmed when its rows
 * cannot all be held (calc --explain): the rows are summed per service and month, and per
 * day, as they pass; `allocate` runs on one item per service and month; the months a cap
 * cuts partway are spread over their days, latest first. Then each row's fate is known
 * from its day alone (untouched, gone, or partial), and only the rows of a day cut partway
 * are held, to be ordered by id and trimmed as `allocate` would. Memory follows services,
 * months and days, not rows.
 */
import { Decimal, ScaledSum, ZERO } from '../money/index.js';
import { allocate, order, trimLatest } from './allocate.js';
import type { TraceEvent } from './trace.js';
import type { PartnerResult } from './types.js';

/** What a row's day means for it: kept whole, taken whole, or to be looked at with its day's other rows. */
export type Fate = 'untouched' | 'gone' | 'partial';

/** A bucket's positive items, and what each cap takes from them. */
interface Cut {
  positive: Decimal;
  serviceTrim: Decimal;
  campaignTrim: Decimal;
}

/** By service, then month (or day): a cut. */
type Buckets = Map<string, Map<string, Cut>>;

/** Total over services of a bucket's campaign trim, and of what the service caps leave of it. */
function across(buckets: Buckets, b: string): { campaignTrim: Decimal; remaining: Decimal } {
  let campaignTrim = ZERO;
  let remaining = ZERO;
  for (const m of buckets.values()) {
    const c = m.get(b);
    if (!c) continue;
    campaignTrim = campaignTrim.plus(c.campaignTrim);
    remaining = remaining.plus(c.positive.minus(c.serviceTrim));
  }
  return { campaignTrim, remaining };
}

/** untouched, gone (every item loses all), or partial (items must be looked at one by one). */
function fateIn(buckets: Buckets, service: string, b: string): Fate {
  const c = buckets.get(service)?.get(b);
  if (!c) return 'untouched';
  const all = across(buckets, b);
  if (c.serviceTrim.isZero() && all.campaignTrim.isZero()) return 'untouched';
  if (c.serviceTrim.eq(c.positive) && all.campaignTrim.isZero()) return 'gone';
  if (!all.campaignTrim.isZero() && all.campaignTrim.eq(all.remaining)) return 'gone';
  return 'partial';
}

/** An earning row's amount as the allocator reads it: its sign, and itself added exactly to a sum. */
export interface RowAmount {
  readonly negative: boolean;
  addTo(sum: ScaledSum): void;
}

/** An event's amount as a RowAmount. */
export function amountOf(e: TraceEvent): RowAmount {
  return { negative: e.amount.isNegative(), addTo: (sum) => sum.addDecimal(e.amount) };
}

function sumInto(store: Map<string, Map<string, ScaledSum>>, service: string, bucket: string, amount: RowAmount): void {
  let m = store.get(service);
  if (!m) store.set(service, (m = new Map()));
  let sum = m.get(bucket);
  if (!sum) m.set(bucket, (sum = new ScaledSum()));
  amount.addTo(sum);
}

/**
 * One capped partner of one campaign: `add` every earning row (its service, date and exact
 * amount), then `plan` once, then ask each row's `fate`, `hold` the partial ones, and
 * write `rest()`: the held rows trimmed, then the summary items and lines.
 */
export class BucketAllocator {
  /** Positive rows per service and month ('' for the negative ones, never trimmed), and per service and day. */
  private monthSums = new Map<string, Map<string, ScaledSum>>();
  private daySums = new Map<string, Map<string, ScaledSum>>();
  private readonly months: Buckets = new Map();
  private readonly days: Buckets = new Map();
  /** Each bucket's fate, worked out once (buckets do not change after planning): by service, then month or day. */
  private readonly monthFates = new Map<string, Map<string, Fate>>();
  private readonly dayFates = new Map<string, Map<string, Fate>>();
  /** A row's fate by service and date, once known. */
  private readonly fates = new Map<string, Map<string, Fate>>();
  private readonly held: TraceEvent[] = [];
  private tail: TraceEvent[] = [];

  add(service: string, date: string, amount: RowAmount): void {
    // Services keep the order of their first rows (it orders a month's items across services); months are summed from days in plan.
    if (!this.monthSums.has(service)) this.monthSums.set(service, new Map());
    if (amount.negative) return sumInto(this.monthSums, service, '', amount);
    sumInto(this.daySums, service, date, amount);
  }

  /** After every row is added: `allocate` on one item per service and month, then the months cut partway spread over their days. */
  plan(campaign: string, currency: string, result: PartnerResult, summary: TraceEvent[]): void {
    const partner = result.partnerId;
    for (const [service, byDay] of this.daySums) {
      const byMonth = this.monthSums.get(service)!;
      for (const [day, sum] of byDay) {
        const month = day.slice(0, 7);
        let m = byMonth.get(month);
        if (!m) byMonth.set(month, (m = new ScaledSum()));
        m.add(sum);
      }
    }
    const synthetic: TraceEvent[] = [];
    for (const [service, byMonth] of this.monthSums) {
      for (const [month, sum] of byMonth) {
        const amount = sum.toDecimal();
        synthetic.push({
          kind: 'row',
          campaign,
          partner,
          service,
          date: month || undefined,
          transactionId: month ? '' : undefined,
          status: 'earned',
          detail: '',
          amount,
          trimmed: ZERO,
          paid: amount,
        });
      }
    }
    const lines = allocate(campaign, currency, result, [...synthetic, ...summary]);
    for (const m of synthetic) {
      if (!m.date) continue;
      let byMonth = this.months.get(m.service!);
      if (!byMonth) this.months.set(m.service!, (byMonth = new Map()));
      const serviceTrim = (m.serviceTrimmed ?? ZERO).negated();
      byMonth.set(m.date, { positive: m.amount, serviceTrim, campaignTrim: m.trimmed.negated().minus(serviceTrim) });
    }
    for (const [service, byDay] of this.daySums)
      this.days.set(service, new Map([...byDay].map(([day, sum]) => [day, { positive: sum.toDecimal(), serviceTrim: ZERO, campaignTrim: ZERO }])));
    this.tail = [...summary, ...lines];
    const partial = new Set<string>();
    for (const [service, byMonth] of this.months) for (const m of byMonth.keys()) if (fateIn(this.months, service, m) === 'partial') partial.add(m);
    for (const m of partial) this.spreadToDays(m);
    this.monthSums = new Map();
    this.daySums = new Map();
  }

  /** A positive row's fate from its service and day (after `plan`). */
  fate(service: string, date: string): Fate {
    let byDay = this.fates.get(service);
    if (!byDay) this.fates.set(service, (byDay = new Map()));
    let f = byDay.get(date);
    if (f === undefined) {
      f = memo(this.monthFates, this.months, service, date.slice(0, 7));
      if (f === 'partial') f = memo(this.dayFates, this.days, service, date);
      byDay.set(date, f);
    }
    return f;
  }

  /** A row of a day cut partway: it waits for the others of its day. */
  hold(e: TraceEvent): void {
    this.held.push(e);
  }

  /** The held rows with their trims, a day at a time (within a day, the latest id gives first: the service cap, then the campaign cap); then the summary items and lines. */
  rest(): TraceEvent[] {
    const out: TraceEvent[] = [];
    const byDay = new Map<string, TraceEvent[]>();
    for (const e of this.held) {
      const list = byDay.get(e.date!);
      if (list) list.push(e);
      else byDay.set(e.date!, [e]);
    }
    for (const [day, list] of byDay) {
      list.sort(order);
      for (const e of list) {
        e.trimmed = ZERO;
        e.paid = e.amount;
      }
      for (const [service, days] of this.days) {
        const t = days.get(day)?.serviceTrim;
        if (t && !t.isZero())
          trimLatest(
            list.filter((e) => e.service === service),
            t,
          );
      }
      const c = across(this.days, day).campaignTrim;
      if (!c.isZero()) trimLatest(list, c);
      out.push(...list);
    }
    out.push(...this.tail);
    return out;
  }

  /** Spreads a month's trims over its days, latest day first: the service cap's, then the campaign cap's. */
  private spreadToDays(month: string): void {
    for (const [service, days] of this.days) {
      const cut = this.months.get(service)?.get(month);
      let left = cut?.serviceTrim ?? ZERO;
      for (const day of [...days.keys()]
        .filter((d) => d.startsWith(month))
        .sort()
        .reverse()) {
        const c = days.get(day)!;
        const take = c.positive.lt(left) ? c.positive : left;
        c.serviceTrim = take;
        left = left.minus(take);
      }
    }
    let left = across(this.months, month).campaignTrim;
    const allDays = new Set<string>();
    for (const days of this.days.values()) for (const d of days.keys()) if (d.startsWith(month)) allDays.add(d);
    for (const day of [...allDays].sort().reverse()) {
      // Within a day the campaign cap takes from the services by id later; here only its total matters.
      let dayLeft = ZERO;
      for (const days of this.days.values()) {
        const c = days.get(day);
        if (c) dayLeft = dayLeft.plus(c.positive.minus(c.serviceTrim));
      }
      let take = dayLeft.lt(left) ? dayLeft : left;
      left = left.minus(take);
      for (const days of this.days.values()) {
        const c = days.get(day);
        if (!c) continue;
        const room = c.positive.minus(c.serviceTrim);
        const t = room.lt(take) ? room : take;
        c.campaignTrim = t;
        take = take.minus(t);
      }
    }
  }
}

/** A bucket's fate, worked out once per service and bucket. */
function memo(fates: Map<string, Map<string, Fate>>, buckets: Buckets, service: string, b: string): Fate {
  let byBucket = fates.get(service);
  if (!byBucket) fates.set(service, (byBucket = new Map()));
  let f = byBucket.get(b);
  if (f === undefined) byBucket.set(b, (f = fateIn(buckets, service, b)));
  return f;
}
