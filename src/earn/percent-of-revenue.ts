import { z } from 'zod';
import { Decimal, exactText, ZERO } from '../money/index.js';
import { decimal } from '../fields.js';
import type { EarnLine, EarningMethod } from './types.js';

const schema = z
  .strictObject({
    percent: decimal
      .refine((d) => d.gte(0) && d.lte(100), { message: 'expected a percent between 0 and 100' })
      .meta({ description: 'Percent of billed revenue, 0-100' }),
    skus: z.array(z.string().min(1)).optional().meta({ description: 'SKUs whose revenue counts; omitted: every row of the service' }),
  })
  .meta({ description: 'Pays a percent of the billed revenue of qualifying customers' });

type Raw = z.output<typeof schema>;
export interface PercentOfRevenue {
  percent: Raw['percent'];
  skus: ReadonlySet<string> | null;
}

export const percentOfRevenue: EarningMethod<Raw, PercentOfRevenue> = {
  key: 'percent_of_revenue',
  description: 'percent x billed amount',
  schema,
  measure: 'revenue',
  rateCardRef: () => undefined,
  resolve: (raw) => ({ percent: raw.percent, skus: raw.skus ? new Set(raw.skus) : null }),
  listedSkus: (raw) => raw.skus ?? [],
  skus: (cfg) => cfg.skus,
  rowEarning(cfg, row, ctx) {
    if (row.amount === null) return undefined;
    const fx = ctx.fx(row.currency, row.date);
    const pct = cfg.percent;
    const converted = new Decimal(row.amount).times(fx.rate);
    const amount = converted.times(pct).div(100);
    const same = row.currency === ctx.currency;
    const fxText = same ? '' : ` x ${fx.rate.toString()} (${fx.source})`;
    return {
      status: 'earned',
      ...(same ? {} : { fx }),
      rate: pct,
      amount,
      amountText: exactText(amount),
      detail: `${row.amount} ${row.currency}${fxText} = ${converted.toString()} ${ctx.currency} x ${pct.toString()}% = ${amount.toString()}`,
    };
  },
  earn(cfg, customers) {
    let earned = ZERO;
    let revenue = ZERO;
    const lines: EarnLine[] = [];
    const factor = cfg.percent.div(100);
    for (const c of customers) {
      const amount = c.revenue.times(factor);
      earned = earned.plus(amount);
      revenue = revenue.plus(c.revenue);
      lines.push({ customerId: c.customerId, base: c.revenue, rate: cfg.percent, amount, note: `${cfg.percent.toString()}% of revenue` });
    }
    return { earned, lines, ...(customers.length ? { arithmetic: `${cfg.percent.toString()}% of ${revenue.toString()}` } : {}) };
  },
};
