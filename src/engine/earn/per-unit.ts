import { addUnitsExactly } from '../accumulate.js';
import { z } from 'zod';
import { Decimal, ZERO } from '../../money/index.js';
import { count, nonNegativeDecimal } from '../../campaign/fields.js';
import { cardSkus, type RateCard } from '../../campaign/rate-card.js';
import type { EarnLine, EarningMethod } from './types.js';

const schema = z
  .strictObject({
    rates: z
      .union([z.string().min(1), z.record(z.string(), nonNegativeDecimal)])
      .meta({ description: 'Rate card: a CSV path (sku,rate[,service,description]) relative to this file, or an inline map SKU: rate' }),
    min_units: count.optional().meta({ description: 'Units under this (per transaction or customer) earn nothing' }),
    max_units: count.optional().meta({ description: 'Units over this (per transaction or customer) are not paid' }),
    per: z.enum(['transaction', 'customer']).default('transaction').meta({ description: 'What min_units / max_units apply to' }),
  })
  .meta({ description: 'Pays units x the SKU rate from the rate card' });

type Raw = z.output<typeof schema>;
export interface PerUnit {
  rates: RateCard;
  minUnits?: number;
  maxUnits?: number;
  per: 'transaction' | 'customer';
}

/** Applies min/max limits to a unit count: under the minimum earns nothing, over the maximum is not paid. */
function limit(cfg: PerUnit, units: number): number {
  if (units <= 0) return 0;
  if (cfg.minUnits !== undefined && units < cfg.minUnits) return 0;
  if (cfg.maxUnits !== undefined && units > cfg.maxUnits) return cfg.maxUnits;
  return units;
}

export const perUnit: EarningMethod<Raw, PerUnit> = {
  key: 'per_unit',
  description: 'units x rate of the SKU',
  schema,
  measure: 'units',
  rateCardRef: (raw) => raw.rates,
  resolve: (raw, rateCard) => ({
    rates: rateCard ?? new Map(),
    minUnits: raw.min_units,
    maxUnits: raw.max_units,
    per: raw.per,
  }),
  skus: (cfg) => cardSkus(cfg.rates),
  rowUnits: (cfg, quantity) => {
    // Per-transaction limits apply to additions; a removal always nets in full.
    if (cfg.per !== 'transaction' || quantity < 0) return quantity;
    return limit(cfg, quantity);
  },
  earn(cfg, customers) {
    let earned = ZERO;
    const lines: EarnLine[] = [];
    for (const c of customers) {
      const skus = [...c.unitsBySku.keys()].sort();
      let customerUnits = 0;
      for (const sku of skus) customerUnits = addUnitsExactly(customerUnits, Math.max(0, c.unitsBySku.get(sku) ?? 0));
      const allowed = cfg.per === 'customer' ? limit(cfg, customerUnits) : customerUnits;
      // Per-customer limits trim the customer's units, SKU by SKU in SKU order.
      let left = allowed;
      for (const sku of skus) {
        const net = Math.max(0, c.unitsBySku.get(sku) ?? 0);
        const units = Math.min(net, left);
        left -= units;
        const rate = cfg.rates.get(sku)?.rate;
        if (!rate || units === 0) continue;
        const amount = rate.times(units);
        earned = earned.plus(amount);
        lines.push({ customerId: c.customerId, sku, units, rate, amount });
      }
    }
    return { earned: new Decimal(earned), lines };
  },
};
