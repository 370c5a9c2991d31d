/**
 * The one cap allocator: which rows a cap trimmed, and by how much. Caps trim in a
 * stated order: earning items by date, then transaction id; the earliest fill the cap,
 * the latest are trimmed (summary lines last). `allocate` works on every item at once
 * (explain, reconcile, the uncapped partners of a trace); allocate-buckets.ts is its
 * streaming strategy for calc --explain, which sums rows per month and day first and
 * gives the same trims (a property test holds the two equal on random campaigns).
 */
import { formatMoney, ZERO, type Decimal } from '../money/index.js';
import type { PartnerResult } from './types.js';
import type { TraceEvent, TraceStatus } from './trace.js';

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
  // Items taken whole often share one amount (a day of equal rows): its negation is made once.
  let whole: Decimal | undefined;
  let wholeTrimmed: Decimal = ZERO;
  for (let i = items.length - 1; i >= 0 && left.gt(ZERO); i--) {
    const it = items[i]!;
    const paid = it.paid;
    if (!paid.gt(ZERO)) continue;
    if (paid.lt(left)) {
      if (it.trimmed.isZero()) {
        if (paid !== whole) wholeTrimmed = (whole = paid).negated();
        it.trimmed = wholeTrimmed;
      } else it.trimmed = it.trimmed.minus(paid);
      it.paid = ZERO;
      left = left.minus(paid);
    } else {
      it.trimmed = it.trimmed.minus(left);
      it.paid = paid.minus(left);
      left = ZERO;
    }
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
