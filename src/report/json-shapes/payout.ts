/** The shapes of the payout ledger's JSON: a run, the list of runs, a run's lines, the payment file. */
import { z } from 'zod';
import { date, exact, money, month, status, version } from './primitives.js';

const action = z.enum(['pay', 'claw_back', 'carried_forward', 'nothing']);

/** incent payout run --format json */
export const payoutRun = z.strictObject({
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
      payoutFxRate: exact.nullable().meta({ description: 'The exact campaign -> payout currency rate used; null when the currencies are the same' }),
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
export const payoutList = z.strictObject({ schemaVersion: version, runs: z.array(ledgerRun) });

/** incent payout show RUN --format json */
export const payoutShow = z.strictObject({
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
      payoutFxRate: exact.nullable(),
      delta: money.nullable(),
      services: z.record(z.string(), money),
      serviceDetail: z
        .record(z.string(), z.strictObject({ earned: money, cap: money.optional(), arithmetic: z.string().optional() }))
        .nullable()
        .meta({
          description: "Per qualified service: earned before its cap, the cap, the earning method's arithmetic; null on lines recorded before schema 4",
        }),
    }),
  ),
});

/** incent payout export RUN --format json (a line per payee and currency; with --lines, the run's lines) */
export const payoutExport = z.strictObject({
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
