/** Steps 5-7: round per service, service cap, campaign cap, minimum payout, payout currency. */
import { minDec, roundMoney, ZERO } from '../money/index.js';
export function capService(c, earnedExact, cap) {
    const earned = roundMoney(earnedExact, c.currency, c.rounding);
    return { earned, amount: cap ? minDec(earned, cap) : earned };
}
export function settle(c, services, ineligible, partner, fx, payoutDate) {
    const subtotal = services.reduce((s, r) => s.plus(r.amount), ZERO);
    const total = c.cap ? minDec(subtotal, c.cap) : subtotal;
    const payoutCurrency = partner?.payoutCurrency || c.currency;
    let status;
    if (ineligible)
        status = 'ineligible';
    else if (!services.some((s) => s.qualified))
        status = 'not_qualified';
    else if (c.minimumPayout && total.lt(c.minimumPayout.amount))
        status = 'below_minimum';
    else
        status = 'payable';
    const paid = status === 'payable' ? total : ZERO;
    const carriedForward = status === 'below_minimum' && c.minimumPayout?.below === 'carry_forward' ? total : undefined;
    if (payoutCurrency === c.currency)
        return { subtotal, total, status, payout: paid, payoutCurrency, carriedForward };
    if (paid.isZero())
        return { subtotal, total, status, payout: ZERO, payoutCurrency, carriedForward };
    if (!fx)
        throw new PayoutFxNeededError(c.currency, payoutCurrency, payoutDate);
    const q = fx.rate(c.currency, payoutCurrency, payoutDate);
    return {
        subtotal,
        total,
        status,
        payout: roundMoney(paid.times(q.rate), payoutCurrency, c.rounding),
        payoutCurrency,
        payoutFx: { rate: q.rate, date: q.quoteDate ?? payoutDate, source: q.source },
        carriedForward,
    };
}
export class PayoutFxNeededError extends Error {
    from;
    to;
    day;
    constructor(from, to, day) {
        super(`paying in ${to} needs an exchange rate ${from}->${to} for ${day}: give fx.csv`);
        this.from = from;
        this.to = to;
        this.day = day;
    }
}
