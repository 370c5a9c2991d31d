/** The shapes of calc, explain, progress and validate JSON, and of a trace's events. */
import { z } from 'zod';
import { counts, date, exact, money, payoutFx, rows, status, tier, version } from './primitives.js';

const calcService = z.strictObject({
  service: z.string(),
  qualified: z.boolean(),
  customers: z.number().int(),
  earningCustomers: z.number().int().optional(),
  customersNeeded: z.number().int(),
  units: z.number(),
  netUnits: z.number().optional(),
  revenue: money,
  earned: money,
  amount: money,
  cap: money.optional(),
  tier: tier.optional(),
});

/** incent calc --format json */
export const calc = z.strictObject({
  schemaVersion: version,
  asOf: date,
  campaigns: z.array(
    z.strictObject({
      id: z.string(),
      name: z.string(),
      currency: z.string(),
      asOf: date,
      period: z.strictObject({ start: date, end: date }),
      partners: z.array(
        z.strictObject({
          partnerId: z.string(),
          name: z.string().optional(),
          status,
          reason: z.string().optional(),
          reasonDetail: z.string().optional(),
          services: z.array(calcService),
          subtotal: money,
          total: money,
          payout: money,
          payoutCurrency: z.string(),
          payoutFx: payoutFx.optional(),
          carriedForward: money.optional(),
          rows,
        }),
      ),
      rows,
    }),
  ),
  inputs: z.strictObject({ transactions: z.record(z.string(), z.string()) }).optional(),
  rejected: z.strictObject({ rows: z.number().int(), file: z.string().optional(), reasons: counts }).optional(),
});

/** One event of a trace: a row's story, or a line that carries what rows cannot (calc --explain FILE.jsonl, explain). */
export const traceEvent = z.strictObject({
  campaign: z.string(),
  partner: z.string(),
  kind: z.enum(['row', 'customer', 'service', 'partner']),
  status: z.enum(['earned', 'counted', 'excluded', 'adjustment', 'rounding', 'cap', 'minimum', 'payout']),
  reason: z.string().optional(),
  service: z.string().optional(),
  customer: z.string().optional(),
  transactionId: z.string().optional(),
  file: z.string().optional(),
  line: z.number().int().optional(),
  date: date.optional(),
  sku: z.string().optional(),
  units: z.number().optional(),
  rate: exact.optional(),
  fx: z.strictObject({ rate: exact, source: z.string() }).optional(),
  amount: exact,
  trimmed: exact,
  paid: exact,
  detail: z.string(),
});

/** incent explain --format json */
export const explain = z.strictObject({
  schemaVersion: version,
  partnerId: z.string(),
  customerId: z.string().optional(),
  campaigns: z.array(
    z.strictObject({
      id: z.string(),
      name: z.string(),
      currency: z.string(),
      status,
      reason: z.string().optional(),
      reasonDetail: z.string().optional(),
      services: z.array(
        z.strictObject({
          service: z.string(),
          qualified: z.boolean(),
          gate: z.strictObject({ customersNeeded: z.number().int(), customersReached: z.number().int(), why: z.string().optional() }),
          customers: z.array(
            z.strictObject({
              customerId: z.string(),
              qualified: z.boolean(),
              reason: z.string().optional(),
              detail: z.string().optional(),
              units: z.number(),
              revenue: money,
            }),
          ),
          earned: money,
          amount: money,
          cap: money.optional(),
          tier: tier.optional(),
        }),
      ),
      earned: z.array(traceEvent),
      counted: z.array(traceEvent),
      excluded: z.record(z.string(), z.array(traceEvent)).meta({ description: 'Rows excluded, by reason code' }),
      lines: z.array(traceEvent),
      total: money,
      payout: money,
      payoutCurrency: z.string(),
      payoutFx: payoutFx.optional(),
      carriedForward: money.optional(),
      paidByItems: money,
    }),
  ),
});

/** incent progress --format json */
export const progress = z.strictObject({
  schemaVersion: version,
  partners: z.array(
    z.strictObject({
      campaign: z.string(),
      partnerId: z.string(),
      name: z.string().optional(),
      status,
      total: money,
      currency: z.string(),
      daysLeft: z.number().int(),
      services: z.array(
        z.strictObject({
          service: z.string(),
          qualified: z.boolean(),
          customers: z.number().int(),
          customersNeeded: z.number().int(),
          amount: money,
          capRoom: money.optional(),
          tier: tier.omit({ counts: true }).optional(),
        }),
      ),
      campaignCapRoom: money.optional(),
      minimumGap: money.optional(),
      nudges: z.array(z.strictObject({ service: z.string().optional(), text: z.string(), distance: z.number() })),
    }),
  ),
});

/** incent validate --format json */
export const validate = z.strictObject({
  schemaVersion: version,
  campaigns: z.number().int(),
  errors: z.number().int(),
  warnings: z.number().int(),
  diagnostics: z.array(
    z.strictObject({
      code: z.string(),
      severity: z.enum(['error', 'warning']),
      file: z.string(),
      line: z.number().int().optional(),
      column: z.number().int().optional(),
      field: z.string().optional(),
      message: z.string(),
      expected: z.string().optional(),
      found: z.string().optional(),
    }),
  ),
});
