/** Step 4: customer gates (net new, units or revenue per customer), then the partner gate. */
import type { Decimal } from '../money/index.js';
import type { ServiceDef, Threshold } from '../campaign/model.js';
import type { Reason } from './reasons.js';

export function customerGate(def: ServiceDef, netNew: boolean, units: number, revenue: Decimal): Reason | null {
  const q = def.qualify;
  if (!q) return null;
  if (q.netNew && !netNew) return 'CUSTOMER_NOT_NET_NEW';
  if (q.unitsPerCustomer !== undefined && units < q.unitsPerCustomer) return 'CUSTOMER_BELOW_MINIMUM';
  if (q.revenuePerCustomer !== undefined && revenue.lt(q.revenuePerCustomer)) return 'CUSTOMER_BELOW_MINIMUM';
  return null;
}

/** How many qualifying customers the partner gate needs. */
export function customersNeeded(t: Threshold | undefined): number {
  if (!t) return 0;
  if (t.moreThan !== undefined) return t.moreThan + 1;
  return t.atLeast ?? 0;
}
