/**
 * The trace: for every row, who it was credited to, which filter or gate it passed or
 * failed with the values compared, and what it earned (units x rate, revenue x FX x
 * percent) and what a cap trimmed. Summary lines carry what rows alone cannot: a
 * customer's netting or limits, a tier's pay, rounding, the campaign cap, the minimum.
 *
 * Caps trim in a stated order: earning items are taken by date, then transaction id
 * (summary lines last); the earliest fill the cap, the latest are trimmed.
 */
import { formatMoney, ZERO } from '../money/index.js';
/**
 * Words told on many rows (a date outside the period, a partner's gate, a licence
 * program, a SKU no service pays): each made once and numbered, so a trace writer can
 * quote each once.
 */
export class Phrases {
    texts = [];
    ids = new Map();
    id(text) {
        let i = this.ids.get(text);
        if (i === undefined)
            this.ids.set(text, (i = this.texts.push(text) - 1));
        return i;
    }
}
/** The event of a row excluded before it accumulates. */
export function excludedEvent(campaign, partner, service, reason, detail, r, file) {
    return {
        kind: 'row',
        campaign,
        partner,
        amount: ZERO,
        trimmed: ZERO,
        paid: ZERO,
        transactionId: r.id,
        file,
        line: r.line,
        date: r.date,
        customer: r.customerId,
        sku: r.sku,
        service,
        status: 'excluded',
        reason,
        detail,
    };
}
/** The `excluded` of an AtOnce that hands each row's event to `f` (JSON Lines). */
export function excludedTo(f) {
    return (campaign, partner, service, reason, detail, _phrase, r, file) => f(excludedEvent(campaign, partner, service, reason, detail, r, file));
}
/** The (date, id) order caps trim in; summary lines (no date) come last. */
export function order(a, b) {
    const da = a.date ?? '\uffff';
    const db = b.date ?? '\uffff';
    if (da !== db)
        return da < db ? -1 : 1;
    const ia = a.transactionId ?? '\uffff';
    const ib = b.transactionId ?? '\uffff';
    return ia < ib ? -1 : ia > ib ? 1 : 0;
}
/** Takes `excess` from the latest positive items first. */
export function trimLatest(items, excess) {
    let left = excess;
    for (let i = items.length - 1; i >= 0 && left.gt(0); i--) {
        const it = items[i];
        if (!it.paid.gt(0))
            continue;
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
export function allocate(campaign, currency, result, items, 
/** Per service, what items already written in full (no cap touched them) paid. */
paidBefore = new Map()) {
    const lines = [];
    const line = (p) => ({
        kind: 'service',
        campaign,
        partner: result.partnerId,
        amount: p.paid,
        trimmed: ZERO,
        ...p,
    });
    const all = [];
    for (const s of result.services) {
        const mine = items.filter((e) => e.service === s.service).sort(order);
        for (const e of mine) {
            e.trimmed = ZERO;
            e.paid = e.amount;
        }
        const exact = mine.reduce((a, e) => a.plus(e.amount), ZERO);
        const capAt = s.cap && exact.gt(s.cap) ? s.cap : undefined;
        if (capAt)
            trimLatest(mine, exact.minus(capAt));
        for (const e of mine)
            e.serviceTrimmed = e.trimmed;
        const sum = mine.reduce((a, e) => a.plus(e.paid), paidBefore.get(s.service) ?? ZERO);
        const diff = s.amount.minus(sum);
        if (!diff.isZero()) {
            const r = line({ service: s.service, status: 'rounding', detail: `${s.service}: ${sum.toString()} rounds to ${formatMoney(s.amount, currency)} ${currency}`, paid: diff });
            mine.push(r);
            lines.push(r);
        }
        all.push(...mine);
    }
    // The campaign cap, across services, in the same order.
    const subtotal = all.reduce((a, e) => a.plus(e.paid), ZERO);
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
