/** Step 2: row filters. Each returns the reason a row is excluded, or null. */
import { isUsageService } from '../campaign/model.js';
export function serviceIndexOf(c) {
    const bySku = new Map();
    const byName = new Map();
    for (const s of c.services) {
        if (isUsageService(s))
            continue;
        if (!byName.has(s.name))
            byName.set(s.name, s);
        for (const sku of s.skus ?? [])
            if (!bySku.has(sku))
                bySku.set(sku, s);
    }
    return { byName, bySku };
}
/**
 * The campaign service a row belongs to. A `service` column names it; without one the
 * rate cards / SKU lists decide.
 */
export function serviceOf(index, r) {
    return r.service !== '' ? index.byName.get(r.service) : index.bySku.get(r.sku);
}
/**
 * Whether the row's service pays for its SKU. Rows of a known service whose SKU it
 * does not pay for still count as history for net-new status.
 */
export function paysFor(def, r) {
    return def.skus === null || def.skus.has(r.sku);
}
/**
 * Period and as_of. Seats are counted net of removals dated up to as_of, so a seat
 * removal (negative quantity) after the period but on or before as_of still counts.
 */
export function dateReason(c, asOf, r, def) {
    if (r.date > asOf)
        return 'AFTER_AS_OF';
    if (r.date < c.period.start)
        return 'OUTSIDE_PERIOD';
    if (r.date > c.period.end) {
        const removal = def?.method.measure === 'units' && r.quantity !== null && r.quantity < 0;
        return removal ? null : 'OUTSIDE_PERIOD';
    }
    return null;
}
/**
 * Licence program and subscription type: `eligible` lists what may earn, `exclude`
 * what never does. An empty value (a usage row whose subscription is unknown) only
 * fails an `eligible` list.
 */
export function programReason(c, r) {
    if (c.licensePrograms && !c.licensePrograms.has(r.licenseProgram))
        return 'LICENSE_PROGRAM';
    if (c.subscriptionTypes && !c.subscriptionTypes.has(r.subscriptionType))
        return 'SUBSCRIPTION_TYPE';
    if (c.exclude?.licensePrograms.has(r.licenseProgram))
        return 'LICENSE_PROGRAM';
    if (c.exclude?.subscriptionTypes.has(r.subscriptionType))
        return 'SUBSCRIPTION_TYPE';
    return null;
}
/**
 * Why the campaign's `exclude` block excludes a customer (CUSTOMER_EXCLUDED), or null.
 * A customer whose id is the credited partner's own counts as partner owned.
 */
export function customerExclusion(c, customerId, partnerId, country, flags) {
    const x = c.exclude;
    if (!x)
        return null;
    if (country && x.countries.has(country))
        return 'country_not_served';
    for (const f of flags ?? []) {
        if (x.flags.has(f))
            return f;
        if (f === 'public_sector' && country && x.publicSectorCountries.has(country))
            return 'public_sector';
    }
    if (x.flags.has('partner_owned') && customerId === partnerId)
        return 'partner_owned';
    return null;
}
