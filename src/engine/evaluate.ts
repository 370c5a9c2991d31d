/**
 * evaluate(): credit -> filter -> partner gates -> customer gates -> partner gate ->
 * earn -> round -> caps -> minimum -> payout currency. No file or console I/O: rows
 * come in as plain objects, one at a time (Evaluator.add) or as an iterable. One
 * CampaignRun (run.ts) per campaign.
 */
import { isUsageService, type Campaign } from '../campaign/model.js';
import { Interner } from './interner.js';
import { Directory } from './directory.js';
import type { PartnerDirectory } from './partner-gates.js';
import { Phrases, type AtOnce, type TraceEvent } from './trace.js';
import type { CalcResult, TxRow, UsageRow } from './types.js';
import { CampaignRun } from './run.js';
import type { EvaluateOptions, RowInputError, SettledCampaign } from './verdicts.js';

export { type RowInputError, type EvaluateOptions, type CustomerVerdict, type ServiceVerdict, type PartnerVerdict, type RowVerdict } from './verdicts.js';

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

  /** One transactions row; returns its input error (a seat-based service's row without a quantity), if any. */
  add(row: TxRow): RowInputError | null {
    this.directory?.add(row);
    let error: RowInputError | null = null;
    for (const run of this.runs) error = run.add(row) ?? error;
    return error;
  }

  /** After finish (keepVerdicts): each campaign's story of one transactions row. */
  explainTx(row: TxRow, file?: string, only?: (campaign: string, partner: string) => boolean): TraceEvent[] {
    return this.runs.flatMap((run) => run.explainTx(row, file, only) ?? []);
  }

  /** calc --explain: adds the row and tells `tell` each campaign's story of it, at once or pending. */
  addTelling(row: TxRow, file: string, tell: AtOnce): RowInputError | null {
    this.directory?.add(row);
    let error: RowInputError | null = null;
    for (const run of this.runs) error = run.add(row, file, tell) ?? error;
    return error;
  }

  explainUsage(row: UsageRow, file?: string, only?: (campaign: string, partner: string) => boolean): TraceEvent[] {
    return this.runs.flatMap((run) => run.explainUsage(row, file, only) ?? []);
  }

  /** After finish: each campaign's decisions, for explain, progress, traces and reconcile. */
  get settled(): readonly SettledCampaign[] {
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
  for (const r of rows) {
    const error = ev.add(r);
    if (error) throw new Error(`line ${error.line}: service ${error.service} counts seats, and the row has no quantity`);
  }
  for (const u of usage) ev.addUsage(u);
  return ev.finish();
}

export type { PartnerDirectory };
