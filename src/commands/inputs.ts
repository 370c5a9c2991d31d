/**
 * Reading everything a run needs: campaigns, the small tables, then the transactions
 * streamed into the engine. Shared by calc and the commands built on it.
 */
import { repeatedFiles } from '../input/same-files.js';
import { InvalidInputError, type Diagnostic } from '../diagnostics.js';
import { loadCampaigns, skuSpellings } from '../campaign/load.js';
import type { Campaign } from '../campaign/model.js';
import { KNOWN_REQUIREMENTS } from '../campaign/schema.js';
import { closest } from '../campaign/suggest.js';
import { isIsoDate } from '../dates.js';
import { Evaluator, type RowInputError } from '../engine/evaluate.js';
import { DuplicateCountError, FxNeededError } from '../engine/accumulate.js';
import { UnitOverflowError } from '../units.js';
import { ClaimBook } from '../engine/claims.js';
import { EligibilityBook } from '../engine/eligibility.js';
import { isUsageService } from '../campaign/model.js';
import { PayoutFxNeededError } from '../engine/payout.js';
import type { CalcResult, Registration, TxRow, UsageRow } from '../engine/types.js';
import { FxMissingError, FxTable } from '../money/index.js';
import { CsvReadError, readCsv, type CsvSettings, type ReadStats } from '../input/csv.js';
import { materializeStdin, missingInputs, resolveInputs, type InputFlags } from '../input/data.js';
import { RowProblems } from '../input/row-errors.js';
import { readClaims, readEligibility, readFx, readPartners, readRegistrations } from '../input/tables.js';
import { streamTransactions } from '../input/source.js';
import { RejectsFile } from '../input/rejects.js';
import { loadMapping, type Mapping } from '../input/presets/mapping.js';
import type { DateFormat } from '../input/presets/us-date.js';
import { loadChargeTypes, type ChargeClass } from '../input/presets/charge-types.js';
import { KNOWN_METRICS, KNOWN_WORKLOADS, UsageReader } from '../input/usage.js';
import { IdCase } from '../input/id-case.js';

export interface RunOptions extends InputFlags {
  rules: string[];
  /** --preset NAME (default: detected from each file's header). */
  preset?: string;
  /** --columns mapping.yaml. */
  columns?: string;
  /** --charge-types FILE.yaml. */
  chargeTypes?: string;
  /** --on-invalid strict (default) | skip. */
  onInvalid?: 'strict' | 'skip';
  /** --rejects FILE: where skipped rows go. */
  rejectsFile?: string;
  /** --encoding NAME for every CSV input (default: UTF-8, or UTF-16 with a BOM). */
  encoding?: string;
  /** --date-format: how exports write their dates (default: each preset's, checked). */
  dateFormat?: DateFormat;
  /** --decimal-comma: export amounts written 150,12. */
  decimalComma?: boolean;
  /** --verbose: a line of what was read, per transactions file. */
  onNote?: (text: string) => void;
  /** Bytes of transactions read so far (progress bar). */
  onBytes?: (bytes: number) => void;
  asOf?: string;
  payoutDate?: string;
  campaign?: string[];
}

export interface Warnings {
  warn(d: Diagnostic): void;
}

function checkDateFlag(name: string, v: string | undefined): void {
  if (v !== undefined && !isIsoDate(v)) {
    throw new InvalidInputError([
      { code: 'BAD_DATE_FLAG', severity: 'error', file: `--${name}`, message: `--${name} is not a calendar date`, expected: 'YYYY-MM-DD', found: v },
    ]);
  }
}

/**
 * A campaign that requires registration but is named by no row of registrations.csv,
 * when rows name a campaign id of no campaign of the run that is close to it
 * (csp-powerup-2017 for csp-power-up-2017): every partner would be unregistered. A
 * warning, not an error: nobody may have registered yet, and rows may be another
 * campaign's.
 */
function unmatchedRegistrations(campaigns: readonly Campaign[], registrations: ReadonlyMap<string, readonly Registration[]>, file: string): Diagnostic[] {
  // By lower-case id, as registrations match their campaign.
  const named = new Map<string, Registration>();
  for (const regs of registrations.values()) for (const r of regs) if (!named.has(r.campaignId.toLowerCase())) named.set(r.campaignId.toLowerCase(), r);
  const others = [...named.keys()].filter((id) => !campaigns.some((c) => c.id.toLowerCase() === id));
  const out: Diagnostic[] = [];
  for (const c of campaigns) {
    if (!c.registration || named.has(c.id.toLowerCase())) continue;
    const near = closest(c.id, others);
    if (near === undefined) continue;
    const first = named.get(near)!;
    out.push({
      code: 'REGISTRATION_CAMPAIGN_UNMATCHED',
      severity: 'warning',
      file,
      line: first.line,
      message: `no row names campaign ${c.id}, which requires registration, so every partner is unregistered; rows name ${first.campaignId} from this line: a misspelt campaign_id?`,
      expected: c.id,
      found: first.campaignId,
    });
  }
  return out;
}

export function selectCampaigns(opts: RunOptions, warnings: Warnings): Campaign[] {
  const { campaigns, diagnostics } = loadCampaigns(opts.rules);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) throw new InvalidInputError(errors);
  for (const d of diagnostics) warnings.warn(d);
  const chosen = opts.campaign?.length ? pick(campaigns, opts.campaign, opts.rules) : campaigns;
  // A SKU spelt two ways matters between the campaigns that run together.
  const spelt = skuSpellings(chosen);
  if (spelt.length) throw new InvalidInputError(spelt);
  return chosen;
}

/** The campaigns --campaign names; an id it names that no campaign has is an error. */
function pick(campaigns: Campaign[], ids: readonly string[], rules: readonly string[]): Campaign[] {
  const chosen = campaigns.filter((c) => ids.includes(c.id));
  const unknown = ids.filter((id) => !campaigns.some((c) => c.id === id));
  if (unknown.length) {
    throw new InvalidInputError([
      {
        code: 'UNKNOWN_CAMPAIGN',
        severity: 'error',
        file: rules.join(', '),
        message: `no campaign with id ${unknown.join(', ')}`,
        expected: `one of ${campaigns.map((c) => c.id).join(', ')}`,
        found: unknown.join(', '),
      },
    ]);
  }
  return chosen;
}

/** Loads campaigns and inputs, streams the transactions through the engine. */
export async function computeResult(opts: RunOptions, warnings: Warnings): Promise<CalcResult> {
  return (await computeRun(opts, warnings)).result;
}

/** A finished run: the result, and the evaluator with its verdicts for a second look at the rows. */
export interface Run {
  result: CalcResult;
  ev: Evaluator;
  campaigns: Campaign[];
  /** The files read, by role (for a ledger's input hashes). */
  files: { role: string; path: string }[];
  fx?: FxTable;
  /** Streams the same rows again (explain, --explain): transactions, then usage. */
  replay(onTx: (row: TxRow, file: string) => void, onUsage: (row: UsageRow, file: string) => void): Promise<void>;
  /** Streams usage.csv's rows again (when a campaign reads it). */
  replayUsage(onUsage: (row: UsageRow, file: string) => void): Promise<void>;
}

/**
 * Reads the inputs and evaluates every campaign. `onRow`, when given, hands each
 * transactions row (a reused object) to the engine itself: calc --explain tells
 * stories as it reads.
 */
export async function computeRun(
  given: RunOptions,
  warnings: Warnings,
  keepVerdicts: boolean | 'trace' = false,
  onRow?: (row: TxRow, file: string, ev: Evaluator) => RowInputError | null,
): Promise<Run> {
  const opts = await materializeStdin(given);
  checkDateFlag('as-of', opts.asOf);
  checkDateFlag('payout-date', opts.payoutDate);
  const campaigns = selectCampaigns(opts, warnings);
  opts.onNote?.(`campaigns: ${campaigns.map((c) => `${c.id} (${c.file})`).join(', ')}`);
  const paths = resolveInputs(opts);
  const missing = missingInputs(campaigns, paths, opts);
  if (missing.length) throw new InvalidInputError(missing);

  const problems = new RowProblems();
  if (opts.rejectsFile && opts.onInvalid !== 'skip') {
    throw new InvalidInputError([
      {
        code: 'BAD_FLAGS',
        severity: 'error',
        file: '--rejects',
        message: '--rejects needs --on-invalid skip',
        expected: '--on-invalid skip --rejects FILE',
        found: `--on-invalid ${opts.onInvalid ?? 'strict'}`,
      },
    ]);
  }
  const rejects = opts.onInvalid === 'skip' ? new RejectsFile(opts.rejectsFile) : undefined;
  const csv: CsvSettings = { encoding: opts.encoding };
  try {
    const partners = paths.partners ? await readPartners(paths.partners, problems, csv) : undefined;
    const registrations = paths.registrations ? await readRegistrations(paths.registrations, problems, csv) : undefined;
    if (registrations) for (const d of unmatchedRegistrations(campaigns, registrations, paths.registrations!)) warnings.warn(d);
    const fx = paths.fx ? new FxTable(await readFx(paths.fx, problems, csv)) : undefined;
    const needs = (name: 'claims' | 'eligibility') => campaigns.some((c) => (name === 'claims' ? c.claims : c.eligibility));
    // GUID-shaped customer and subscription ids compare in any case across every file of the run.
    const idCase = new IdCase();
    const claims =
      paths.claims && needs('claims') ? new ClaimBook(await readClaims(paths.claims, problems, csv, usageNames(campaigns).workloads, idCase)) : undefined;
    const requirements = [...new Set([...KNOWN_REQUIREMENTS, ...campaigns.flatMap((c) => c.eligibility?.requirements ?? [])])];
    const eligibility =
      paths.eligibility && needs('eligibility') ? new EligibilityBook(await readEligibility(paths.eligibility, problems, csv, requirements)) : undefined;
    if (problems.count) throw new InvalidInputError(problems.all());

    const ev = new Evaluator(campaigns, { partners, registrations, fx, claims, eligibility, asOf: opts.asOf, payoutDate: opts.payoutDate, keepVerdicts });
    const files = paths.transactionFiles!;
    const repeated = repeatedFiles(files, '--transactions');
    if (repeated.length) throw new InvalidInputError(repeated);
    const source = { ...sourceOptions(opts), skuSpelling: skuSpelling(campaigns), idCase };
    const note = opts.onNote;
    const onFileRead = (file: string, layout: string, s: ReadStats) => {
      // A header and no rows (an export cut short, the wrong month's file) pays nobody from it: said, never silent.
      if (s.records === 0)
        warnings.warn({ code: 'NO_ROWS', severity: 'warning', file, line: 1, message: `read as ${layout}: a header and no rows, so nothing in it is paid` });
      note?.(
        `${file}: read as ${layout}, ${s.records} row${s.records === 1 ? '' : 's'}` +
          (s.preamble ? `; skipped ${s.preamble} line${s.preamble === 1 ? '' : 's'} before the header (a PowerShell #TYPE line)` : '') +
          (s.repeatedHeaders ? `; skipped ${s.repeatedHeaders} repeated header line${s.repeatedHeaders === 1 ? '' : 's'}` : '') +
          (s.blank ? `; skipped ${s.blank} line${s.blank === 1 ? '' : 's'} of empty cells` : ''),
      );
    };
    const layouts = await streamTransactions(files, { ...source, rejects, onBytes: opts.onBytes, onFileRead }, problems, (row, file) => {
      const error = onRow ? onRow(row, file, ev) : ev.add(row);
      if (error)
        problems.add(
          file,
          error.line,
          'quantity',
          `quantity is required: service ${error.service} counts seats`,
          'a signed whole number of seats such as 5 or -2',
          '(empty)',
        );
    });
    if (problems.count) throw new InvalidInputError(problems.all());
    if (ev.needsUsage) await streamUsage(paths.usage!, campaigns, (row) => ev.addUsage(row), problems, csv, idCase);
    const finished = ev.finish();
    rejects?.commit();
    const result: CalcResult = {
      ...finished,
      inputs: { transactions: layouts },
      ...(rejects ? { rejected: rejects.summary() } : {}),
    };
    const replay = async (onTx: (row: TxRow, file: string) => void, onUsage: (row: UsageRow, file: string) => void) => {
      // Rows set aside the first time are set aside again, into nowhere.
      const again = new RowProblems();
      const skip = rejects ? new RejectsFile(undefined) : undefined;
      try {
        await streamTransactions(files, { ...source, rejects: skip }, again, onTx);
        if (ev.needsUsage) await streamUsage(paths.usage!, campaigns, (row) => onUsage(row, paths.usage!), again, csv, idCase);
      } catch (e) {
        throw toInputError(e, paths.fx, paths.usage);
      }
    };
    const replayUsage = async (onUsage: (row: UsageRow, file: string) => void) => {
      if (!ev.needsUsage) return;
      try {
        await streamUsage(paths.usage!, campaigns, (row) => onUsage(row, paths.usage!), new RowProblems(), csv, idCase);
      } catch (e) {
        throw toInputError(e, paths.fx, paths.usage);
      }
    };
    const read: { role: string; path: string }[] = files.map((f) => ({ role: 'transactions', path: f }));
    for (const role of ['partners', 'registrations', 'fx'] as const) if (paths[role]) read.push({ role, path: paths[role] });
    if (ev.needsUsage) read.push({ role: 'usage', path: paths.usage! });
    if (claims) read.push({ role: 'claims', path: paths.claims! });
    if (eligibility) read.push({ role: 'eligibility', path: paths.eligibility! });
    return { result, ev, campaigns, replay, replayUsage, files: read, fx };
  } catch (e) {
    rejects?.abort();
    throw toInputError(e, paths.fx, paths.usage);
  }
}

/**
 * The campaigns' SKUs by lower-case spelling (SKU and offer ids are case-insensitive):
 * a row's SKU that differs only in case takes the rate card's spelling. Campaigns that
 * spell one SKU two ways are refused when they are loaded (SKU_SPELT_TWO_WAYS).
 */
function skuSpelling(campaigns: readonly Campaign[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const c of campaigns) for (const s of c.services) for (const sku of s.skus ?? []) if (!out.has(sku.toLowerCase())) out.set(sku.toLowerCase(), sku);
  return out;
}

/** --preset, --columns and --charge-types, loaded; their problems are the run's. */
function sourceOptions(opts: RunOptions): {
  preset?: string;
  mapping?: Mapping;
  chargeTypes: Map<string, ChargeClass>;
  csv: CsvSettings;
  dateFormat?: DateFormat;
  decimalComma?: boolean;
} {
  const errors: Diagnostic[] = [];
  let mapping: Mapping | undefined;
  if (opts.columns) {
    const m = loadMapping(opts.columns);
    errors.push(...m.diagnostics);
    mapping = m.mapping;
  }
  const ct = loadChargeTypes(opts.chargeTypes);
  errors.push(...ct.diagnostics);
  if (errors.length) throw new InvalidInputError(errors);
  return { preset: opts.preset, mapping, chargeTypes: ct.map, csv: { encoding: opts.encoding }, dateFormat: opts.dateFormat, decimalComma: opts.decimalComma };
}

/** The workloads and metrics usage.csv and claims.csv may name: incent's own and the campaigns'. */
function usageNames(campaigns: readonly Campaign[]): { workloads: Set<string>; metrics: Set<string> } {
  const workloads = new Set<string>(KNOWN_WORKLOADS);
  const metrics = new Set<string>(KNOWN_METRICS);
  for (const c of campaigns) {
    for (const s of c.services.filter(isUsageService)) {
      const cfg = s.usage;
      for (const w of cfg.workloads) workloads.add(w);
      for (const m of cfg.metrics ?? []) metrics.add(m);
    }
  }
  return { workloads, metrics };
}

/** usage.csv, after every transactions row is in (usage is credited through them). */
async function streamUsage(
  file: string,
  campaigns: readonly Campaign[],
  onRow: (row: UsageRow) => void,
  problems: RowProblems,
  csv: CsvSettings,
  idCase: IdCase,
): Promise<void> {
  const { workloads, metrics } = usageNames(campaigns);
  let reader: UsageReader | undefined;
  await readCsv(
    file,
    (h) => {
      reader = new UsageReader(file, h.index, problems, workloads, metrics, idCase);
      reader.reuse = true;
      if (!reader.ok) throw new InvalidInputError(problems.all());
    },
    (rec, line) => {
      const row = reader!.toRow(rec, line);
      if (row && problems.count === 0) onRow(row);
    },
    undefined,
    csv,
  );
  if (problems.count) throw new InvalidInputError(problems.all());
}

/** Turns the engine's and readers' input errors into diagnostics; anything else is re-thrown. */
function toInputError(e: unknown, fxFile: string | undefined, usageFile: string | undefined): unknown {
  if (e instanceof CsvReadError) return new InvalidInputError(e.diagnostics);
  if (e instanceof DuplicateCountError) {
    return new InvalidInputError([
      {
        code: 'INVALID_ROW',
        severity: 'error',
        file: usageFile ?? 'usage.csv',
        line: e.second.line,
        field: 'metric',
        message: `${e.message}: which one stands?`,
        expected: `one ${e.metric} count per customer, workload, SKU and day`,
        found: `${e.first.value} on line ${e.first.line} and ${e.second.value} on line ${e.second.line}`,
      },
    ]);
  }
  if (e instanceof UnitOverflowError) {
    return new InvalidInputError([
      {
        code: 'UNITS_OVERFLOW',
        severity: 'error',
        file: 'transactions',
        message: `${e.message}: refused rather than rounded`,
        expected: `sums of seats up to ${Number.MAX_SAFE_INTEGER}`,
        found: 'a larger sum',
      },
    ]);
  }
  if (e instanceof FxMissingError) {
    return new InvalidInputError([
      {
        code: 'FX_RATE_MISSING',
        severity: 'error',
        file: fxFile ?? 'fx.csv',
        message: e.message,
        expected: `a ${e.from}->${e.to} (or ${e.to}->${e.from}) rate dated on or before ${e.day}`,
        found: 'none',
      },
    ]);
  }
  if (e instanceof FxNeededError || e instanceof PayoutFxNeededError) {
    return new InvalidInputError([{ code: 'MISSING_INPUT', severity: 'error', file: 'fx.csv', message: e.message, expected: 'fx.csv', found: 'no file' }]);
  }
  return e;
}
