function covers(c, day) {
    return c.from <= day && (c.to === null || day <= c.to);
}
function specificity(c) {
    return (c.subscriptionId ? 2 : 0) + (c.workload ? 1 : 0);
}
export class ClaimBook {
    byCustomer = new Map();
    constructor(claims) {
        for (const c of claims) {
            let list = this.byCustomer.get(c.customerId);
            if (!list)
                this.byCustomer.set(c.customerId, (list = []));
            list.push(c);
        }
    }
    /**
     * The claim of one of `types` that credits a row of `customerId` (its subscription
     * and workload, either may be empty) dated `day`: the most specific claim in force.
     */
    find(types, customerId, subscriptionId, workload, day) {
        let best;
        for (const c of this.byCustomer.get(customerId) ?? []) {
            if (!types.has(c.type) || !covers(c, day))
                continue;
            if (c.subscriptionId && c.subscriptionId !== subscriptionId)
                continue;
            if (c.workload && c.workload !== workload)
                continue;
            if (!best || specificity(c) > specificity(best))
                best = c;
        }
        return best;
    }
    /** The claims of `types` on a customer, whatever their dates (to explain a miss). */
    onCustomer(types, customerId) {
        return (this.byCustomer.get(customerId) ?? []).filter((c) => types.has(c.type));
    }
}
/**
 * Pairs of claims of the same type on the same customer, subscription and workload
 * whose spans overlap: at most one partner of record holds a claim at a time.
 */
export function overlappingClaims(claims) {
    const groups = new Map();
    for (const c of claims) {
        const key = `${c.type}\u0000${c.customerId}\u0000${c.subscriptionId}\u0000${c.workload}`;
        let g = groups.get(key);
        if (!g)
            groups.set(key, (g = []));
        g.push(c);
    }
    const out = [];
    for (const g of groups.values()) {
        g.sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : a.line - b.line));
        for (let i = 1; i < g.length; i++) {
            // The latest-ending span so far, so a long claim is caught against every later one.
            const prev = g.slice(0, i).reduce((a, b) => (a.to === null || (b.to !== null && a.to >= b.to) ? a : b));
            const cur = g[i];
            if (prev.to === null || cur.from <= prev.to)
                out.push([prev, cur]);
        }
    }
    return out;
}
