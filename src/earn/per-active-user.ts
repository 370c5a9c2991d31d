import { z } from 'zod';
import { Decimal, ZERO } from '../money/index.js';
import { count, nonNegativeDecimal } from '../fields.js';
import { plusDays } from '../dates.js';
import { cardSkus, rateFor, type RateCard } from './rate-card.js';
import type { EarnLine, EarningMethod } from './types.js';

const metric = z
  .union([
    z.string().min(1).meta({ description: 'Pay on this metric of usage.csv counts rows, e.g. deployed_licenses' }),
    z
      .strictObject({ largest_of: z.array(z.string().min(1)).min(2).meta({ description: 'Metrics compared per customer; the largest pays (AADP)' }) })
      .meta({ description: 'Pay on the largest of several metrics' }),
  ])
  .meta({ description: 'Counts shape: which metric pays. Omitted: events shape (distinct users with an action in the window)' });

const schema = z
  .strictObject({
    rates: z.union([z.string().min(1), z.record(z.string(), z.union([nonNegativeDecimal, z.record(z.string(), nonNegativeDecimal)]))]).meta({
      description:
        'Rate card: a CSV path (sku,rate[,workload,service,description]) relative to this file, or an inline map SKU: rate or SKU: { Workload: rate }',
    }),
    workloads: z.array(z.string().min(1)).min(1).meta({ description: 'usage.csv workloads this service pays for (ExO, SpO, SfB, ProPlus, Intune, AADP, ...)' }),
    window_days: count
      .refine((n) => n >= 1, { message: 'expected at least 1 day' })
      .default(28)
      .meta({ description: 'Days of the rolling window that ends on as_of, both ends included (default 28)' }),
    metric: metric.optional(),
  })
  .meta({ description: 'Pays active users x the SKU rate, from usage.csv (events or counts)' });

type Raw = z.output<typeof schema>;
export interface PerActiveUser {
  rates: RateCard;
  workloads: ReadonlySet<string>;
  windowDays: number;
  /** Metrics of the counts shape; the largest pays. Null: events shape. */
  metrics: readonly string[] | null;
}

/** `sku \0 workload`: how usage measures are keyed. */
export function usageKey(sku: string, workload: string): string {
  return `${sku}\u0000${workload}`;
}

export const perActiveUser: EarningMethod<Raw, PerActiveUser> = {
  key: 'per_active_user',
  description: 'active users x rate per SKU, from usage.csv',
  schema,
  measure: 'usage',
  rateCardRef: (raw) => raw.rates,
  resolve: (raw, rateCard) => ({
    rates: rateCard ?? new Map(),
    workloads: new Set(raw.workloads),
    windowDays: raw.window_days,
    metrics: raw.metric === undefined ? null : typeof raw.metric === 'string' ? [raw.metric] : raw.metric.largest_of,
  }),
  workloads: (raw) => raw.workloads,
  usage: (cfg) => cfg,
  check(raw, { service, campaign, report }) {
    // Usage is measured in the window that ends on as_of; a window reaching outside the period loses usage silently.
    const start = plusDays(campaign.as_of, 1 - raw.window_days);
    if (start < campaign.period.start || campaign.as_of > campaign.period.end) {
      report({
        code: 'USAGE_WINDOW_OUTSIDE_PERIOD',
        severity: 'warning',
        path: ['as_of'],
        message: `${service} measures usage from ${start} to ${campaign.as_of} (window_days ${raw.window_days}), which reaches outside the period ${campaign.period.start}..${campaign.period.end}: usage there is OUTSIDE_PERIOD`,
        expected: `as_of between ${plusDays(campaign.period.start, raw.window_days - 1)} and ${campaign.period.end}`,
        found: campaign.as_of,
      });
    }
  },
  skus: (cfg) => cardSkus(cfg.rates),
  summaryLines(cfg, _service, qualifying, currency) {
    return qualifying.map((cv) => {
      const e = perActiveUser.earn(cfg, [cv.measure]);
      const detail = e.lines.map((l) => `${l.units} x ${l.rate?.toString()} (${l.sku}, ${l.note})`).join(' + ') || 'no rated activity';
      return {
        kind: 'customer',
        customer: cv.customerId,
        status: 'earned',
        detail: `customer ${cv.customerId}: ${detail} = ${e.earned.toString()} ${currency}`,
        amount: e.earned,
        units: cv.units,
      };
    });
  },
  earn(cfg, customers) {
    let earned = ZERO;
    const lines: EarnLine[] = [];
    /** Users by SKU and rate, for the arithmetic. */
    const byRate = new Map<string, number>();
    for (const c of customers) {
      const keys = [...(c.active ?? new Map<string, number>()).keys()].sort();
      for (const key of keys) {
        const users = c.active!.get(key)!;
        const [sku, workload] = key.split('\u0000') as [string, string];
        const rate = rateFor(cfg.rates, sku, workload)?.rate;
        if (!rate || users <= 0) continue;
        const amount = rate.times(users);
        earned = earned.plus(amount);
        const k = `${sku} ${rate.toString()}`;
        byRate.set(k, (byRate.get(k) ?? 0) + users);
        lines.push({
          customerId: c.customerId,
          sku,
          units: users,
          rate,
          amount,
          note: cfg.metrics === null ? `${users} active in ${workload}, each user once at the SKU of their latest action` : `${users} active in ${workload}`,
        });
      }
    }
    const arithmetic = [...byRate]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, n]) => {
        const [sku, rate] = k.split(' ') as [string, string];
        return `${n} x ${rate} (${sku})`;
      })
      .join(' + ');
    return { earned: new Decimal(earned), lines, ...(arithmetic ? { arithmetic } : {}) };
  },
};
