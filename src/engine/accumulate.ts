/** Per (partner, service, customer) accumulators: memory follows customers, not rows. */
import { Decimal, ScaledSum, ZERO, type FxTable } from '../money/index.js';
import type { Campaign, ServiceDef } from '../campaign/model.js';
import type { TxRow } from './types.js';

export class CustomerAcc {
  rows = 0;
  units = 0;
  readonly unitsBySku = new Map<string, number>();
  /** Revenue by `currency` (campaign or fixed-rate currency) or `currency|date` (fx.csv rate of that day). */
  readonly revenue = new Map<string, ScaledSum>();

  constructor(readonly customerId: string) {}

  addUnits(sku: string, units: number): void {
    this.units += units;
    this.unitsBySku.set(sku, (this.unitsBySku.get(sku) ?? 0) + units);
  }

  addRevenue(c: Campaign, r: TxRow): void {
    const cur = r.currency;
    const key = cur === c.currency || c.fixedFx.has(cur) ? cur : `${cur}|${r.date}`;
    let sum = this.revenue.get(key);
    if (!sum) this.revenue.set(key, (sum = new ScaledSum()));
    if (r.amountMicros !== undefined) sum.addMicros(r.amountMicros);
    else if (r.amount !== null) sum.addDecimal(new Decimal(r.amount));
  }

  /** Revenue in the campaign currency, exact: each currency-day sum at its own rate. */
  revenueIn(c: Campaign, fx: FxTable | undefined): Decimal {
    let total = ZERO;
    for (const [key, sum] of this.revenue) {
      const [cur, date] = key.split('|') as [string, string | undefined];
      total = total.plus(sum.toDecimal().times(rateToCampaign(c, cur, date, fx)));
    }
    return total;
  }
}

export class FxNeededError extends Error {
  constructor(
    readonly currency: string,
    readonly to: string,
    readonly day: string,
  ) {
    super(`an amount in ${currency} on ${day} needs an exchange rate ${currency}->${to}: give fx.csv, or a fixed rate in the campaign's fx.fixed`);
  }
}

export function rateToCampaign(c: Campaign, cur: string, date: string | undefined, fx: FxTable | undefined): Decimal {
  if (cur === c.currency) return new Decimal(1);
  const fixed = c.fixedFx.get(cur);
  if (fixed) return fixed;
  if (!date) throw new Error(`internal: no date for ${cur}`);
  if (!fx) throw new FxNeededError(cur, c.currency, date);
  return fx.rate(cur, c.currency, date).rate;
}

export class PartnerAcc {
  rows = 0;
  readonly services = new Map<ServiceDef, Map<string, CustomerAcc>>();

  constructor(readonly partnerId: string) {}

  customer(def: ServiceDef, customerId: string): CustomerAcc {
    let byCustomer = this.services.get(def);
    if (!byCustomer) this.services.set(def, (byCustomer = new Map()));
    let acc = byCustomer.get(customerId);
    if (!acc) byCustomer.set(customerId, (acc = new CustomerAcc(customerId)));
    return acc;
  }
}
