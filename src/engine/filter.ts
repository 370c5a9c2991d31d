/** Step 2: row filters. Each returns the reason a row is excluded, or null. */
import { isUsageService, type Campaign, type ServiceDef } from '../campaign/model.js';
import type { CustomerExclusion, Reason } from './reasons.js';
import type { TxRow } from './types.js';

/** How rows find their service: by the `service` column, else by SKU (rate cards / SKU lists). */
export interface ServiceIndex {
  byName: ReadonlyMap<string, ServiceDef>;
  /** By name in lower case: a `service` cell `o365` names the service O365 (two services named alike are refused when the campaign loads). */
  byLowerName: ReadonlyMap<string, ServiceDef>;
  bySku: ReadonlyMap<string, ServiceDef>;
}

export function serviceIndexOf(c: Campaign): ServiceIndex {
  const bySku = new Map<string, ServiceDef>();
  const byName = new Map<string, ServiceDef>();
  const byLowerName = new Map<string, ServiceDef>();
  for (const s of c.services) {
    if (isUsageService(s)) continue;
    if (!byName.has(s.name)) byName.set(s.name, s);
    if (!byLowerName.has(s.name.toLowerCase())) byLowerName.set(s.name.toLowerCase(), s);
    for (const sku of s.skus ?? []) if (!bySku.has(sku)) bySku.set(sku, s);
  }
  return { byName, byLowerName, bySku };
}

/**
 * The campaign service a row belongs to. A `service` column names it, in any letter
 * case; without one the rate cards / SKU lists decide.
 */
export function serviceOf(index: ServiceIndex, r: TxRow): ServiceDef | undefined {
  if (r.service === '') return index.bySku.get(r.sku);
  return index.byName.get(r.service) ?? index.byLowerName.get(r.service.toLowerCase());
}

/**
 * Whether the row's service pays for its SKU. Rows of a known service whose SKU it
 * does not pay for still count as history for net-new status.
 */
export function paysFor(def: ServiceDef, r: TxRow): boolean {
  return def.skus === null || def.skus.has(r.sku);
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

/** A campaign's licence programs in lower case, made once per list. */
const lowerCased = new WeakMap<ReadonlySet<string>, ReadonlySet<string>>();

/**
 * Whether `programs` lists `program`, without regard to case (an export's `csp` is the
 * campaign's `CSP`): the spelling as listed first, the lower case only for a miss.
 */
function listsProgram(programs: ReadonlySet<string>, program: string): boolean {
  if (programs.has(program)) return true;
  let lower = lowerCased.get(programs);
  if (!lower) lowerCased.set(programs, (lower = new Set([...programs].map((p) => p.toLowerCase()))));
  return program !== '' && lower.has(program.toLowerCase());
}

/**
 * Licence program and subscription type: `eligible` lists what may earn, `exclude`
 * what never does. An empty value (a usage row whose subscription is unknown) only
 * fails an `eligible` list. Licence programs are matched without regard to case.
 */
export function programReason(c: Campaign, r: { licenseProgram: string; subscriptionType: string }): Reason | null {
  if (c.licensePrograms && !listsProgram(c.licensePrograms, r.licenseProgram)) return 'LICENSE_PROGRAM';
  if (c.subscriptionTypes && !c.subscriptionTypes.has(r.subscriptionType)) return 'SUBSCRIPTION_TYPE';
  if (c.exclude && listsProgram(c.exclude.licensePrograms, r.licenseProgram)) return 'LICENSE_PROGRAM';
  if (c.exclude?.subscriptionTypes.has(r.subscriptionType)) return 'SUBSCRIPTION_TYPE';
  return null;
}

/**
 * Why the campaign's `exclude` block excludes a customer (CUSTOMER_EXCLUDED), or null.
 * A customer whose id is the credited partner's own counts as partner owned.
 */
export function customerExclusion(
  c: Campaign,
  customerId: string,
  partnerId: string,
  country: string,
  flags: Iterable<string> | null,
): CustomerExclusion | null {
  const x = c.exclude;
  if (!x) return null;
  if (country && x.countries.has(country)) return 'country_not_served';
  for (const f of flags ?? []) {
    if (x.flags.has(f)) return f as CustomerExclusion;
    if (f === 'public_sector' && country && x.publicSectorCountries.has(country)) return 'public_sector';
  }
  if (x.flags.has('partner_owned') && customerId === partnerId) return 'partner_owned';
  return null;
}
