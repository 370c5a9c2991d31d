/** The shapes of compare and reconcile JSON. */
import { z } from 'zod';
import { CATEGORIES } from '../../reconcile/items.js';
import { date, exact, money, month, version } from './primitives.js';

const side = <T extends z.ZodType>(t: T) => z.strictObject({ before: t.nullable(), after: t.nullable() });
const currencyTotal = z.strictObject({ currency: z.string(), before: money, after: money, difference: money });

/** incent compare --format json */
export const compare = z.strictObject({
  schemaVersion: version,
  before: z.string(),
  after: z.string(),
  summary: z.string(),
  totals: z.array(currencyTotal),
  gain: z.number().int(),
  lose: z.number().int(),
  campaigns: z.array(
    z.strictObject({
      id: z.string(),
      currency: z.string(),
      totals: z.array(currencyTotal),
      gain: z.number().int(),
      lose: z.number().int(),
      unchanged: z.number().int(),
      partners: z.array(
        z.strictObject({
          partnerId: z.string(),
          name: z.string().optional(),
          status: side(z.string()),
          statusChange: z.string().nullable(),
          total: side(money),
          payout: side(money),
          payoutCurrency: z.string(),
          payoutDifference: money,
          services: z.array(
            z.strictObject({
              service: z.string(),
              qualified: side(z.boolean()),
              before: money.nullable(),
              after: money.nullable(),
              difference: money,
              tierChange: z.string().nullable(),
            }),
          ),
        }),
      ),
    }),
  ),
});

const category = z.enum(CATEGORIES);

/** incent reconcile --format json */
export const reconcile = z.strictObject({
  schemaVersion: version,
  asOf: date,
  campaigns: z.array(
    z.strictObject({
      id: z.string(),
      name: z.string(),
      program: z.string(),
      currency: z.string(),
      tolerance: money,
      disputeWindowDays: z.number().int(),
      earnings: z.strictObject({ lines: z.number().int(), earnings: z.number().int() }),
      partners: z.array(
        z.strictObject({
          partnerId: z.string(),
          name: z.string().optional(),
          status: z.string(),
          expected: money,
          paid: money,
          difference: money,
          counts: z.record(z.string(), z.number().int()).meta({ description: 'Items by category' }),
          disputeBy: date.nullable(),
          deadlinePassed: z.boolean(),
          items: z.array(
            z.strictObject({
              category: z.array(category),
              key: z.strictObject({
                partnerId: z.string(),
                service: z.string(),
                level: z.string(),
                transactionId: z.string().optional(),
                transactionIds: z.array(z.string()).optional(),
                customerId: z.string().optional(),
                subscriptionId: z.string().optional(),
                sku: z.string().optional(),
                month: month.optional(),
              }),
              expected: money.nullable(),
              paid: money.nullable(),
              difference: money,
              currency: z.string(),
              incent: z.strictObject({
                rows: z.array(
                  z.strictObject({
                    kind: z.string(),
                    status: z.string(),
                    transactionId: z.string().optional(),
                    file: z.string().optional(),
                    line: z.number().int().optional(),
                    date: date.optional(),
                    customerId: z.string().optional(),
                    subscriptionId: z.string().optional(),
                    sku: z.string().optional(),
                    units: z.number().optional(),
                    rate: exact.optional(),
                    amount: exact,
                    paid: exact,
                    fx: z.strictObject({ rate: exact, source: z.string() }).optional(),
                  }),
                ),
                arithmetic: z.array(z.string()),
                reason: z.array(z.strictObject({ code: z.string(), rows: z.number().int() })),
              }),
              microsoft: z.strictObject({
                earningIds: z.array(z.string()),
                lines: z.array(
                  z.strictObject({
                    file: z.string(),
                    line: z.number().int(),
                    earningId: z.string(),
                    amount: exact,
                    currency: z.string(),
                    earningRate: exact.optional(),
                    earningExchangeRate: exact.optional(),
                    quantity: exact.optional(),
                    transactionId: z.string().optional(),
                    earningDate: date,
                    paymentStatus: z.string(),
                    transactionType: z.string().optional(),
                    reasonCode: z.string().optional(),
                  }),
                ),
              }),
              disputeBy: date.nullable(),
              deadlinePassed: z.boolean(),
            }),
          ),
        }),
      ),
    }),
  ),
  otherPrograms: z.strictObject({ lines: z.number().int(), programs: z.record(z.string(), z.number().int()) }),
  files: z.array(z.strictObject({ file: z.string(), lines: z.number().int() })),
});
