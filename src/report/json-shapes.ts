/**
 * Every JSON output's shape, in zod: the one source of the JSON Schemas in schema/ (`incent
 * schema --output NAME`, `npm run schema`) and of the tests that read real outputs back
 * against them. Objects are strict: a key not declared here is a test failure, so a
 * new field is added here first (and to docs/json.md). Keys are camelCase; money is a
 * string with the currency's minor-unit digits; every shape carries `schemaVersion`.
 */
import { z } from 'zod';
import { CATEGORIES } from '../reconcile/items.js';

const money = z
  .string()
  .regex(/^-?\d+(\.\d+)?$/)
  .meta({ description: 'An exact amount, as a string with the currency minor-unit digits ("250.00")' });
const exact = z
  .string()
  .regex(/^-?\d+(\.\d+)?$/)
  .meta({ description: 'An exact decimal (a rate), as a string' });
const date = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .meta({ description: 'A calendar date, YYYY-MM-DD' });
const month = z.string().regex(/^\d{4}-\d{2}$/);
const version = z.literal(1).meta({ description: 'The version of this shape; raised when a change would break a reader' });
const status = z.enum(['payable', 'below_minimum', 'not_qualified', 'ineligible']);
const counts = z.record(z.string(), z.number().int());
const rows = z.strictObject({
  read: z.number().int(),
  used: z.number().int(),
  excluded: counts.meta({ description: 'Rows excluded, by reason code' }),
  excludedDetail: z.record(z.string(), counts).optional(),
});
const tier = z.strictObject({
  counted: z.number(),
  counts: z.enum(['transactions', 'customers']),
  reached: z.number().optional(),
  next: z.number().optional(),
  toNext: z.number().optional(),
});
const payoutFx = z.strictObject({ rate: exact, date, source: z.string() });

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
const calc = z.strictObject({
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
const traceEvent = z.strictObject({
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
const explain = z.strictObject({
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
const progress = z.strictObject({
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
const validate = z.strictObject({
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

const action = z.enum(['pay', 'claw_back', 'carried_forward', 'nothing']);

/** incent payout run --format json */
const payoutRun = z.strictObject({
  schemaVersion: version,
  runId: z.number().int().nullable(),
  period: month,
  asOf: date,
  recorded: z.boolean(),
  unchanged: z.boolean().optional(),
  dryRun: z.boolean(),
  supersedes: z.number().int().nullable().optional(),
  reason: z.string().nullable().optional(),
  lines: z.array(
    z.strictObject({
      campaign: z.string(),
      partner: z.string(),
      status,
      action,
      reason: z.string().nullable(),
      currency: z.string(),
      earnedToDate: money,
      paidBefore: money,
      thisRun: money,
      carriedForward: money,
      payout: money,
      payoutCurrency: z.string(),
      delta: money.nullable(),
      services: z.record(z.string(), money),
    }),
  ),
});

const ledgerRun = z.strictObject({
  id: z.number().int(),
  period: month,
  asOf: date,
  createdAt: z.string(),
  incentVersion: z.string(),
  inputsSha256: z.string(),
  status: z.enum(['recorded', 'superseded']),
  supersedes: z.number().int().nullable(),
  reason: z.string().nullable(),
});

/** incent payout list --format json */
const payoutList = z.strictObject({ schemaVersion: version, runs: z.array(ledgerRun) });

/** incent payout show RUN --format json */
const payoutShow = z.strictObject({
  schemaVersion: version,
  run: ledgerRun,
  inputs: z.array(z.strictObject({ role: z.string(), path: z.string(), sha256: z.string() })),
  lines: z.array(
    z.strictObject({
      runId: z.number().int(),
      campaignId: z.string(),
      partnerId: z.string(),
      currency: z.string(),
      status,
      action,
      reason: z.string().nullable(),
      earnedToDate: money,
      paidBefore: money,
      amount: money,
      carriedForward: money,
      payoutAmount: money,
      payoutCurrency: z.string(),
      delta: money.nullable(),
      services: z.record(z.string(), money),
    }),
  ),
});

/** incent payout export RUN --format json (a line per payee and currency; with --lines, the run's lines) */
const payoutExport = z.strictObject({
  schemaVersion: version,
  run: z.strictObject({ id: z.number().int(), period: month, asOf: date, status: z.enum(['recorded', 'superseded']) }),
  payments: z.array(
    z.union([
      z.strictObject({ partnerId: z.string(), name: z.string().optional(), amount: money, currency: z.string(), campaigns: z.array(z.string()) }),
      z
        .strictObject({
          runId: z.number().int(),
          period: month,
          campaignId: z.string(),
          partnerId: z.string(),
          status,
          action,
          reason: z.string(),
          earnedToDate: money,
          paidBefore: money,
          amount: money,
          carriedForward: money,
          currency: z.string(),
          payoutAmount: money,
          payoutCurrency: z.string(),
          delta: z.string(),
        })
        .meta({ description: "With --lines: one of the run's lines (empty reason and delta when none)" }),
    ]),
  ),
  totals: z.array(z.strictObject({ currency: z.string(), amount: money })).optional(),
});

const side = <T extends z.ZodType>(t: T) => z.strictObject({ before: t.nullable(), after: t.nullable() });
const currencyTotal = z.strictObject({ currency: z.string(), before: money, after: money, difference: money });

/** incent compare --format json */
const compare = z.strictObject({
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
const reconcile = z.strictObject({
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

/** The JSON outputs by name (`incent schema --output NAME`; schema/NAME.schema.json). */
export const JSON_OUTPUTS = {
  calc,
  explain,
  progress,
  validate,
  'trace-event': traceEvent,
  'payout-run': payoutRun,
  'payout-list': payoutList,
  'payout-show': payoutShow,
  'payout-export': payoutExport,
  compare,
  reconcile,
} as const;

export type JsonOutputName = keyof typeof JSON_OUTPUTS;

/** An output's JSON Schema (draft 2020-12), for editors and for readers in other languages. */
export function outputJsonSchema(name: JsonOutputName): Record<string, unknown> {
  return { ...z.toJSONSchema(JSON_OUTPUTS[name], { io: 'output', target: 'draft-2020-12' }), $id: `https://incent.dev/schema/${name}.schema.json` };
}
