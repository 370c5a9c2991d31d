export function customerGate(def, netNew, units, revenue) {
    const q = def.qualify;
    if (!q)
        return null;
    if (q.netNew && !netNew)
        return 'CUSTOMER_NOT_NET_NEW';
    if (q.unitsPerCustomer !== undefined && units < q.unitsPerCustomer)
        return 'CUSTOMER_BELOW_MINIMUM';
    if (q.revenuePerCustomer !== undefined && revenue.lt(q.revenuePerCustomer))
        return 'CUSTOMER_BELOW_MINIMUM';
    return null;
}
/** How many qualifying customers the partner gate needs. */
export function customersNeeded(t) {
    if (!t)
        return 0;
    if (t.moreThan !== undefined)
        return t.moreThan + 1;
    return t.atLeast ?? 0;
}
