/** Step 2: row filters. Each returns the reason a row is excluded, or null. */
import type { Campaign, ServiceDef } from '../campaign/model.js';
import type { Reason } from './reasons.js';
import type { TxRow } from './types.js';

/**
 * The campaign service a row belongs to. A `service` column names it; without one the
 * rate cards / SKU lists decide. `eligible` is false when the service is known but does
 * not pay for the row's SKU (such rows still count as history for net-new status).
 */
export function serviceOf(c: Campaign, skuIndex: ReadonlyMap<string, ServiceDef>, r: TxRow): { def?: ServiceDef; eligible: boolean } {
  if (r.service !== '') {
    const def = c.services.find((s) => s.name === r.service);
    if (!def) return { eligible: false };
    return { def, eligible: def.skus === null || def.skus.has(r.sku) };
  }
  const def = skuIndex.get(r.sku);
  return { def, eligible: def !== undefined };
}

export function skuIndexOf(c: Campaign): Map<string, ServiceDef> {
  const m = new Map<string, ServiceDef>();
  for (const s of c.services) for (const sku of s.skus ?? []) if (!m.has(sku)) m.set(sku, s);
  return m;
}

/**
 * Period and as_of. Seats are counted net of removals dated up to as_of, so a seat
 * removal (negative quantity) after the period but on or before as_of still counts.
 */
export function dateReason(c: Campaign, asOf: string, r: TxRow, def: ServiceDef | undefined): Reason | null {
  if (r.date > asOf) return 'AFTER_AS_OF';
  if (r.date < c.period.start) return 'OUTSIDE_PERIOD';
  if (r.date > c.period.end) {
    const removal = def?.method.measure === 'units' && r.quantity !== null && r.quantity < 0;
    return removal ? null : 'OUTSIDE_PERIOD';
  }
  return null;
}

export function programReason(c: Campaign, r: TxRow): Reason | null {
  if (c.licensePrograms && !c.licensePrograms.has(r.licenseProgram)) return 'LICENSE_PROGRAM';
  if (c.subscriptionTypes && !c.subscriptionTypes.has(r.subscriptionType)) return 'SUBSCRIPTION_TYPE';
  return null;
}
