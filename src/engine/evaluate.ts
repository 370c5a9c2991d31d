/**
 * evaluate(): credit -> filter -> partner gates -> customer gates -> partner gate ->
 * earn -> round -> caps -> minimum -> payout currency. No file or console I/O: rows
 * come in as plain objects, one at a time (Evaluator.add) or as an iterable. One
 * CampaignRun (run.ts) per campaign.
 */
import { isUsageService, type Campaign } from '../campaign/model.js';
import { Interner } from './accumulate.js';
import { Directory } from './directory.js';
import type { PartnerDirectory } from './partner-gates.js';
import { Phrases, type AtOnce, type TraceEvent } from './trace.js';
import type { CalcResult, TxRow, UsageRow } from './types.js';
import { CampaignRun } from './run.js';
import type { EvaluateOptions } from './verdicts.js';

export { CampaignRun } from './run.js';
export { MissingQuantityError, type EvaluateOptions, type CustomerVerdict, type ServiceVerdict, type PartnerVerdict, type RowVerdict } from './verdicts.js';

/** Evaluates rows against campaigns as they stream in; `finish` gives the result. */
export class Evaluator {
  private readonly runs: CampaignRun[];
  /** Built from transactions.csv only when some campaign pays on usage. */
  private readonly directory: Directory | undefined;
  /** Customer ids, interned once for every campaign. */
  private readonly customers = new Interner();
  private readonly phrases = new Phrases();

  constructor(
    campaigns: readonly Campaign[],
    private readonly opts: EvaluateOptions = {},
  ) {
    this.directory = campaigns.some((c) => c.services.some(isUsageService)) ? new Directory() : undefined;
    this.runs = campaigns.map((c) => new CampaignRun(c, opts, this.directory, this.customers, this.phrases));
  }

  /** Whether any campaign reads usage.csv (after every transactions row is in). */
  get needsUsage(): boolean {
    return this.directory !== undefined;
  }

  add(row: TxRow): void {
    this.directory?.add(row);
    for (const run of this.runs) run.add(row);
  }

  /** After finish (keepVerdicts): each campaign's story of one transactions row. */
  explainTx(row: TxRow, file?: string, only?: (campaign: string, partner: string) => boolean): TraceEvent[] {
    return this.runs.flatMap((run) => run.explainTx(row, file, only) ?? []);
  }

  /** calc --explain: adds the row and tells `tell` each campaign's story of it, at once or pending. */
  addTelling(row: TxRow, file: string, tell: AtOnce): void {
    this.directory?.add(row);
    for (const run of this.runs) run.add(row, file, tell);
  }

  explainUsage(row: UsageRow, file?: string, only?: (campaign: string, partner: string) => boolean): TraceEvent[] {
    return this.runs.flatMap((run) => run.explainUsage(row, file, only) ?? []);
  }

  /** The campaign runs, for explain and progress (after finish). */
  get campaignRuns(): readonly CampaignRun[] {
    return this.runs;
  }

  /** A usage.csv row; give every transactions row first, since usage is credited through them. */
  addUsage(row: UsageRow): void {
    for (const run of this.runs) run.addUsage(row);
  }

  finish(): CalcResult {
    const campaigns = this.runs.map((r) => r.finish());
    return { asOf: this.opts.asOf ?? campaigns[0]?.asOf ?? '', campaigns };
  }
}

export function evaluate(campaigns: readonly Campaign[], rows: Iterable<TxRow>, opts: EvaluateOptions = {}, usage: Iterable<UsageRow> = []): CalcResult {
  const ev = new Evaluator(campaigns, opts);
  for (const r of rows) ev.add(r);
  for (const u of usage) ev.addUsage(u);
  return ev.finish();
}

export type { PartnerDirectory };
