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
  /** percent / 100, exactly (a shift of the decimal point), made once. */
  factor: Raw['percent'];
  /** The percent as written in a row's words, made once. */
  percentText: string;
  skus: ReadonlySet<string> | null;
}

export const percentOfRevenue: EarningMethod<Raw, PercentOfRevenue> = {
  key: 'percent_of_revenue',
  description: 'percent x billed amount',
  schema,
  measure: 'revenue',
  rateCardRef: () => undefined,
  resolve: (raw) => ({ percent: raw.percent, factor: raw.percent.div(100), percentText: raw.percent.toString(), skus: raw.skus ? new Set(raw.skus) : null }),
  listedSkus: (raw) => raw.skus ?? [],
  skus: (cfg) => cfg.skus,
  rowEarning(cfg, row, ctx) {
    if (row.amount === null) return undefined;
    const fx = ctx.fx(row.currency, row.date);
    const same = row.currency === ctx.currency;
    // In the campaign's currency the rate is 1: the amount is converted as it is.
    const converted = same ? new Decimal(row.amount) : new Decimal(row.amount).times(fx.rate);
    // Exact at the money module's 40 digits, as converted x percent / 100 is.
    const amount = converted.times(cfg.factor);
    const fxText = same ? '' : ` x ${fx.rate.toString()} (${fx.source})`;
    return {
      status: 'earned',
      ...(same ? {} : { fx }),
      rate: cfg.percent,
      amount,
      amountText: exactText(amount),
      detail: `${row.amount} ${row.currency}${fxText} = ${converted.toString()} ${ctx.currency} x ${cfg.percentText}% = ${amount.toString()}`,
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
