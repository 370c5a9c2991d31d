import { z } from 'zod';
import { ZERO } from '../money/index.js';
import { count, nonNegativeDecimal } from '../fields.js';
import type { EarningMethod } from './types.js';

const tier = z
  .strictObject({
    at_least: count.meta({ description: 'Reached with this many counted items or more' }),
    pay: nonNegativeDecimal.optional().meta({ description: 'Flat amount for reaching the tier' }),
    per_item: nonNegativeDecimal.optional().meta({ description: 'Amount per counted item once the tier is reached' }),
  })
  .refine((t) => (t.pay === undefined) !== (t.per_item === undefined), { message: 'give exactly one of pay or per_item' });

const schema = z
  .strictObject({
    count: z.enum(['transactions', 'customers']).meta({ description: 'What is counted in the period: rows, or distinct customers' }),
    skus: z.array(z.string().min(1)).optional().meta({ description: 'SKUs that count; omitted: every row of the service' }),
    table: z.array(tier).min(1).meta({ description: 'Tiers in ascending at_least; the highest reached pays' }),
  })
  .meta({ description: 'Pays by the highest tier of transactions or customers reached (frequency campaigns)' });

type Raw = z.output<typeof schema>;
export type Tiers = Raw & { skuSet: ReadonlySet<string> | null };

export const tiers: EarningMethod<Raw, Tiers> = {
  key: 'tiers',
  description: 'the highest tier reached of a count of transactions or customers',
  schema,
  measure: 'count',
  rateCardRef: () => undefined,
  listedSkus: (raw) => raw.skus ?? [],
  check(raw, { service, path, report }) {
    const table = raw.table;
    for (let i = 1; i < table.length; i++) {
      if (table[i]!.at_least <= table[i - 1]!.at_least) {
        report({
          code: 'TIERS_NOT_ASCENDING',
          severity: 'error',
          path: [...path, 'table', i, 'at_least'],
          message: `${service} tier ${i + 1} starts at ${table[i]!.at_least}, not above tier ${i} (${table[i - 1]!.at_least})`,
          expected: `at_least above ${table[i - 1]!.at_least}`,
          found: String(table[i]!.at_least),
        });
      }
    }
  },
  resolve: (raw) => ({ ...raw, skuSet: raw.skus ? new Set(raw.skus) : null }),
  skus: (cfg) => cfg.skuSet,
  standing: (cfg, customers) => tiers.earn(cfg, customers).tier,
  summaryLines(cfg, service, qualifying, currency) {
    const e = tiers.earn(
      cfg,
      qualifying.map((q) => q.measure),
    );
    return [
      { kind: 'service', status: 'earned', detail: `${service}: ${e.lines[0]?.note ?? 'no tier'} = ${e.earned.toString()} ${currency}`, amount: e.earned },
    ];
  },
  earn(cfg, customers) {
    const counted = cfg.count === 'customers' ? customers.length : customers.reduce((a, c) => a + c.transactions, 0);
    let reached: (typeof cfg.table)[number] | undefined;
    let next: (typeof cfg.table)[number] | undefined;
    for (const t of cfg.table) {
      if (counted >= t.at_least) {
        if (!reached || t.at_least >= reached.at_least) reached = t;
      } else if (!next || t.at_least < next.at_least) next = t;
    }
    const tier = {
      counted,
      counts: cfg.count,
      reached: reached?.at_least,
      next: next?.at_least,
      toNext: next ? next.at_least - counted : undefined,
    };
    if (!reached) return { earned: ZERO, lines: [], tier };
    const amount = reached.pay ?? reached.per_item!.times(counted);
    return {
      earned: amount,
      lines: [{ customerId: '*', units: counted, amount, note: `tier at_least ${reached.at_least} reached with ${counted} ${cfg.count}` }],
      tier,
      arithmetic: `${counted} ${cfg.count}, the tier at ${reached.at_least}: ${reached.pay ? `pays ${reached.pay.toString()}` : `${reached.per_item!.toString()} x ${counted}`}`,
    };
  },
};
