/** Reseller ids that mean "no reseller" in exports. */
const NO_RESELLER = new Set(['', '-1', '0']);
function resellerOf(partnerId, resellerId) {
    // A direct sale with the partner's own id in the reseller column has no reseller.
    return NO_RESELLER.has(resellerId) || resellerId === partnerId ? null : resellerId;
}
export class ClaimsNeededError extends Error {
    campaignId;
    constructor(campaignId) {
        super(`campaign ${campaignId} credits by claims but no claims.csv was read`);
        this.campaignId = campaignId;
    }
}
/** The partner credited with a transactions row, or null when nobody is (NOT_CREDITED). */
export function creditRow(c, r, claims) {
    switch (c.credit) {
        case 'transacting_partner':
            return r.partnerId || null;
        case 'reseller':
            return resellerOf(r.partnerId, r.resellerId);
        default: {
            if (!claims || !c.claims)
                throw new ClaimsNeededError(c.id);
            return claims.find(c.claims.types, r.customerId, r.subscriptionId, '', r.date)?.partnerId ?? null;
        }
    }
}
/**
 * The partner credited with a usage row. By claims for claiming_partner / pal; else
 * the transacting partner (or reseller) of the row's subscription in transactions.csv,
 * or of the customer when exactly one partner transacts it. Null: nobody, or nobody
 * unambiguously.
 */
export function creditUsage(c, u, claims, dir) {
    if (c.credit === 'claiming_partner' || c.credit === 'pal') {
        if (!claims || !c.claims)
            throw new ClaimsNeededError(c.id);
        return claims.find(c.claims.types, u.customerId, u.subscriptionId, u.workload, u.date)?.partnerId ?? null;
    }
    const sub = u.subscriptionId ? dir.subscriptions.get(u.subscriptionId) : undefined;
    if (sub && sub.customerId === u.customerId)
        return c.credit === 'reseller' ? resellerOf(sub.partnerId, sub.resellerId) : sub.partnerId;
    const cust = dir.customers.get(u.customerId);
    if (!cust)
        return null;
    if (c.credit === 'reseller') {
        const resellers = [...cust.resellers].filter((id) => !NO_RESELLER.has(id) && !cust.partners.has(id));
        return resellers.length === 1 ? resellers[0] : null;
    }
    return cust.partners.size === 1 ? cust.partners.values().next().value : null;
}
