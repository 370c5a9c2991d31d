import { z } from 'zod';
import { ZERO } from '../../money/index.js';
import { decimal } from '../../campaign/fields.js';
const schema = z
    .strictObject({
    percent: decimal
        .refine((d) => d.gte(0) && d.lte(100), { message: 'expected a percent between 0 and 100' })
        .meta({ description: 'Percent of billed revenue, 0-100' }),
    skus: z.array(z.string().min(1)).optional().meta({ description: 'SKUs whose revenue counts; omitted: every row of the service' }),
})
    .meta({ description: 'Pays a percent of the billed revenue of qualifying customers' });
export const percentOfRevenue = {
    key: 'percent_of_revenue',
    description: 'percent x billed amount',
    schema,
    measure: 'revenue',
    rateCardRef: () => undefined,
    resolve: (raw) => ({ percent: raw.percent, skus: raw.skus ? new Set(raw.skus) : null }),
    skus: (cfg) => cfg.skus,
    earn(cfg, customers) {
        let earned = ZERO;
        const lines = [];
        const factor = cfg.percent.div(100);
        for (const c of customers) {
            const amount = c.revenue.times(factor);
            earned = earned.plus(amount);
            lines.push({ customerId: c.customerId, base: c.revenue, rate: cfg.percent, amount, note: `${cfg.percent.toString()}% of revenue` });
        }
        return { earned, lines };
    },
};
