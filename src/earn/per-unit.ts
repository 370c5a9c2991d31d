import { addUnitsExactly } from '../units.js';
import { z } from 'zod';
import { Decimal, exactText, ZERO } from '../money/index.js';
import { count, nonNegativeDecimal } from '../fields.js';
import { cardSkus, rateFor, type RateCard } from './rate-card.js';
import type { EarningMethod, SummaryLine } from './types.js';

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
  rowEarning(cfg, row, ctx) {
    const units = row.units;
    // A row whose units the per-transaction limits changed says so: its words are its own.
    const limited = row.quantity !== null && units !== row.quantity ? ` (${perUnit.rowLimitWords!(cfg, row.quantity, units)})` : '';
    const rate = rateFor(cfg.rates, row.sku)?.rate ?? ZERO;
    const amount = rate.times(units);
    return {
      status: 'earned',
      units,
      rate,
      amount,
      amountText: exactText(amount),
      detail: `${units} x ${rate.toString()} = ${amount.toString()} ${ctx.currency}${limited}`,
    };
  },
  shareKey: (_cfg, row) => (row.quantity === row.units ? `${row.sku}\u0000${row.units}` : undefined),
  // Rows already carry every unit they pay: only netting below zero or per-customer limits leave a difference.
  summaryNeeds(cfg, customer) {
    if (cfg.per === 'customer') return true;
    for (const u of customer.unitsBySku.values()) if (u < 0) return true;
    return false;
  },
  summaryLines(cfg, _service, qualifying) {
    const out: SummaryLine[] = [];
    for (const cv of qualifying) {
      const bySku = cv.measure.unitsBySku;
      if (!perUnit.summaryNeeds!(cfg, cv.measure)) continue;
      const earned = perUnit.earn(cfg, [cv.measure]).earned;
      let fromRows = ZERO;
      for (const [sku, units] of bySku) fromRows = fromRows.plus((rateFor(cfg.rates, sku)?.rate ?? ZERO).times(units));
      const diff = earned.minus(fromRows);
      if (diff.isZero()) continue;
      const why = perUnit.customerLimitWords!(cfg, bySku).join('; ') || 'limits';
      out.push({
        kind: 'customer',
        customer: cv.customerId,
        status: 'adjustment',
        detail: `customer ${cv.customerId}: rows sum to ${fromRows.toString()}, but ${why}: pays ${earned.toString()}`,
        amount: diff,
      });
    }
    return out;
  },
  rowLimitWords(cfg, quantity, units) {
    if (cfg.minUnits !== undefined && quantity < cfg.minUnits) return `${quantity} on the row: under min_units ${cfg.minUnits} a transaction, counts ${units}`;
    if (cfg.maxUnits !== undefined && quantity > cfg.maxUnits) return `${quantity} on the row: over max_units ${cfg.maxUnits} a transaction, counts ${units}`;
    return `${quantity} on the row; counts ${units}`;
  },
  customerLimitWords(cfg, unitsBySku) {
    const out: string[] = [];
    let total = 0;
    for (const sku of [...unitsBySku.keys()].sort()) {
      const net = unitsBySku.get(sku)!;
      if (net < 0) out.push(`${sku} nets to ${net}: counted as 0`);
      total = addUnitsExactly(total, Math.max(0, net));
    }
    if (cfg.per === 'customer' && total > 0) {
      if (cfg.minUnits !== undefined && total < cfg.minUnits) out.push(`${total} net seats, under min_units ${cfg.minUnits} a customer: earns nothing`);
      else if (cfg.maxUnits !== undefined && total > cfg.maxUnits)
        out.push(`${total} net seats, over max_units ${cfg.maxUnits} a customer: paid for ${cfg.maxUnits}`);
    }
    return out;
  },
  earn(cfg, customers) {
    // Units paid per SKU over the customers (exact integers), then one multiplication per SKU: no Decimal per customer.
    const paidBySku = new Map<string, number>();
    let paidCustomers = 0;
    for (const c of customers) {
      const skus = [...c.unitsBySku.keys()].sort();
      let customerUnits = 0;
      for (const sku of skus) customerUnits = addUnitsExactly(customerUnits, Math.max(0, c.unitsBySku.get(sku) ?? 0));
      const allowed = cfg.per === 'customer' ? limit(cfg, customerUnits) : customerUnits;
      // Per-customer limits trim the customer's units, SKU by SKU in SKU order.
      let left = allowed;
      let paid = false;
      for (const sku of skus) {
        const net = Math.max(0, c.unitsBySku.get(sku) ?? 0);
        const units = Math.min(net, left);
        left -= units;
        if (units === 0 || !cfg.rates.get(sku)?.rate) continue;
        paidBySku.set(sku, addUnitsExactly(paidBySku.get(sku) ?? 0, units));
        paid = true;
      }
      if (paid) paidCustomers++;
    }
    let earned = ZERO;
    let paidUnits = 0;
    for (const [sku, units] of paidBySku) {
      earned = earned.plus(cfg.rates.get(sku)!.rate.times(units));
      paidUnits = addUnitsExactly(paidUnits, units);
    }
    const arithmetic = [...paidBySku]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([sku, units]) => `${units} x ${cfg.rates.get(sku)!.rate.toString()} (${sku})`)
      .join(' + ');
    return { earned: new Decimal(earned), lines: [], paid: { units: paidUnits, customers: paidCustomers }, ...(arithmetic ? { arithmetic } : {}) };
  },
};
