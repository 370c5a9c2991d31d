/**
 * The trace: for every row, who it was credited to, which filter or gate it passed or
 * failed with the values compared, and what it earned (units x rate, revenue x FX x
 * percent) and what a cap trimmed. Summary lines carry what rows alone cannot: a
 * customer's netting or limits, a tier's pay, rounding, the campaign cap, the minimum.
 *
 * Caps trim in a stated order: earning items are taken by date, then transaction id
 * (summary lines last); the earliest fill the cap, the latest are trimmed.
 */
import { formatMoney, ZERO, type Decimal } from '../money/index.js';
import type { Reason } from './reasons.js';
import type { PartnerResult, TxRow } from './types.js';

export type TraceStatus = 'earned' | 'counted' | 'excluded' | 'adjustment' | 'rounding' | 'cap' | 'minimum' | 'payout';

export interface TraceEvent {
  kind: 'row' | 'customer' | 'service' | 'partner';
  campaign: string;
  partner: string;
  service?: string;
  customer?: string;
  transactionId?: string;
  /** The row's subscription (reconcile matches on it). */
  subscriptionId?: string;
  file?: string;
  line?: number;
  date?: string;
  status: TraceStatus;
  reason?: Reason;
  detail: string;
  sku?: string;
  units?: number;
  rate?: Decimal;
  fx?: { rate: Decimal; source: string };
  /** Exact, in the campaign currency, before caps. */
  amount: Decimal;
  /** What caps took from it (zero or negative). */
  trimmed: Decimal;
  /** amount + trimmed: this item's share of what is paid. */
  paid: Decimal;
  /** Of `trimmed`, what the service cap took (the rest is the campaign cap's). Set by allocate. */
  serviceTrimmed?: Decimal;
}

/**
 * Words told on many rows (a date outside the period, a partner's gate, a licence
 * program, a SKU no service pays): each made once and numbered, so a trace writer can
 * quote each once.
 */
export class Phrases {
  readonly texts: string[] = [];
  private readonly ids = new Map<string, number>();

  id(text: string): number {
    let i = this.ids.get(text);
    if (i === undefined) this.ids.set(text, (i = this.texts.push(text) - 1));
    return i;
  }
}

/**
 * Where calc --explain tells each row as it is read: the rows a campaign excludes before
 * they accumulate (~9 in 10 of a year's rows) as the fields of their line, with no event
 * object; the others as events whose verdict waits for the end of the run.
 */
export interface AtOnce {
  /** `phrase`: the number of `detail` in the run's Phrases, or -1 when the words are the row's own. */
  excluded(
    campaign: string,
    partner: string,
    service: string | undefined,
    reason: Reason,
    detail: string,
    phrase: number,
    r: TxRow,
    file: string | undefined,
  ): void;
  /** A row that accumulated in `slot` of its service's table, told as if its customer and service qualify: CampaignRun.settle decides after finish. */
  pending(p: PendingRow): void;
}

/**
 * What a row that accumulated earns if its customer and service qualify (units x rate,
 * revenue x FX x percent), or that it only counts: decided once by the engine, handed
 * to the trace as data. Shared by rows of one SKU and unit count.
 */
export interface Earning {
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

/** A pending row as the engine hands it to the trace (one object refilled per row: copy what you keep). */
export interface PendingRow {
  campaign: string;
  partner: string;
  service: string;
  row: TxRow;
  file: string | undefined;
  earning: Earning;
  slot: number;
}

/** A pending row's event (explain, JSON traces). */
export function pendingRowEvent(p: PendingRow): TraceEvent {
  const e = rowEvent(p.campaign, p.partner, p.service, p.row, p.file, p.earning.status, undefined, p.earning.detail);
  const g = p.earning;
  if (g.units !== undefined) e.units = g.units;
  if (g.rate !== undefined) e.rate = g.rate;
  if (g.fx !== undefined) e.fx = g.fx;
  e.amount = e.paid = g.amount;
  return e;
}

/** An input row's event, before what it earns or why it is excluded is filled in. */
export function rowEvent(
  campaign: string,
  partner: string,
  service: string | undefined,
  r: TxRow,
  file: string | undefined,
  status: TraceStatus,
  reason: Reason | undefined,
  detail: string,
): TraceEvent {
  return {
    kind: 'row',
    campaign,
    partner,
    amount: ZERO,
    trimmed: ZERO,
    paid: ZERO,
    transactionId: r.id,
    subscriptionId: r.subscriptionId,
    file,
    line: r.line,
    date: r.date,
    customer: r.customerId,
    sku: r.sku,
    service,
    status,
    reason,
    detail,
  };
}

/** The event of a row excluded before it accumulates. */
export function excludedEvent(
  campaign: string,
  partner: string,
  service: string | undefined,
  reason: Reason,
  detail: string,
  r: TxRow,
  file: string | undefined,
): TraceEvent {
  return rowEvent(campaign, partner, service, r, file, 'excluded', reason, detail);
}

/** The `excluded` of an AtOnce that hands each row's event to `f` (JSON Lines). */
export function excludedTo(f: (e: TraceEvent) => void): AtOnce['excluded'] {
  return (campaign, partner, service, reason, detail, _phrase, r, file) => f(excludedEvent(campaign, partner, service, reason, detail, r, file));
}

/** The (date, id) order caps trim in; summary lines (no date) come last. */
export function order(a: TraceEvent, b: TraceEvent): number {
  const da = a.date ?? '\uffff';
  const db = b.date ?? '\uffff';
  if (da !== db) return da < db ? -1 : 1;
  const ia = a.transactionId ?? '\uffff';
  const ib = b.transactionId ?? '\uffff';
  return ia < ib ? -1 : ia > ib ? 1 : 0;
}

/** Takes `excess` from the latest positive items first. */
export function trimLatest(items: TraceEvent[], excess: Decimal): void {
  let left = excess;
  for (let i = items.length - 1; i >= 0 && left.gt(0); i--) {
    const it = items[i]!;
    if (!it.paid.gt(0)) continue;
    const take = it.paid.lt(left) ? it.paid : left;
    it.trimmed = it.trimmed.minus(take);
    it.paid = it.paid.minus(take);
    left = left.minus(take);
  }
}

/**
 * Fills trimmed/paid on one partner's earning items of one campaign, given the
 * partner's result, and returns the summary lines that make the items add up to it:
 * per service rounding, and the minimum payout. Items are mutated in place.
 */
export function allocate(
  campaign: string,
  currency: string,
  result: PartnerResult,
  items: TraceEvent[],
  /** Per service, what items already written in full (no cap touched them) paid. */
  paidBefore: ReadonlyMap<string, Decimal> = new Map(),
): TraceEvent[] {
  const lines: TraceEvent[] = [];
  const line = (p: Partial<TraceEvent> & { status: TraceStatus; detail: string; paid: Decimal }): TraceEvent => ({
    kind: 'service',
    campaign,
    partner: result.partnerId,
    amount: p.paid,
    trimmed: ZERO,
    ...p,
  });
  const all: TraceEvent[] = [];
  for (const s of result.services) {
    const mine = items.filter((e) => e.service === s.service).sort(order);
    for (const e of mine) {
      e.trimmed = ZERO;
      e.paid = e.amount;
    }
    const exact = mine.reduce((a, e) => a.plus(e.amount), ZERO);
    const capAt = s.cap && exact.gt(s.cap) ? s.cap : undefined;
    if (capAt) trimLatest(mine, exact.minus(capAt));
    for (const e of mine) e.serviceTrimmed = e.trimmed;
    const sum = mine.reduce((a, e) => a.plus(e.paid), paidBefore.get(s.service) ?? ZERO);
    const diff = s.amount.minus(sum);
    if (!diff.isZero()) {
      const r = line({
        service: s.service,
        status: 'rounding',
        detail: `${s.service}: ${sum.toString()} rounds to ${formatMoney(s.amount, currency)} ${currency}`,
        paid: diff,
      });
      mine.push(r);
      lines.push(r);
    }
    all.push(...mine);
  }
  // The campaign cap, across services, in the same order (items already written count too).
  const before = [...paidBefore.values()].reduce((a, x) => a.plus(x), ZERO);
  const subtotal = all.reduce((a, e) => a.plus(e.paid), before);
  if (subtotal.gt(result.total)) {
    all.sort(order);
    trimLatest(all, subtotal.minus(result.total));
  }
  if (result.status === 'below_minimum' && result.total.gt(0)) {
    lines.push({
      ...line({
        status: 'minimum',
        detail: `${formatMoney(result.total, currency)} ${currency} is below the minimum payout: ${result.carriedForward ? 'carried forward' : 'forfeited'}`,
        paid: result.total.negated(),
      }),
      kind: 'partner',
    });
  }
  return lines;
}
