/** The command line's shared pieces: exit codes, option parsers, the input options every run takes, output helpers. */
import { statSync } from 'node:fs';
import { CommanderError, InvalidArgumentError, Option, type Command, type OptionValues } from '@commander-js/extra-typings';
import { type Diagnostic } from '../diagnostics.js';
import { formatDiagnostic } from '../report/diagnostics.js';
import { writeAtomic } from '../atomic-write.js';
import { escapeControls } from '../report/text-table.js';
import type { RunOptions } from '../commands/inputs.js';
import { resolveInputs } from '../input/data.js';
import { PRESET_NAMES } from '../input/presets/index.js';
import { ProgressBar } from '../report/progress.js';
import { isIsoDate } from '../dates.js';
import { checkEncoding } from '../input/csv.js';
import { checkOutputs, filesUnder, type OutputPath } from '../commands/outputs.js';

/** 0 done; 1 bad input, refused, or an environment problem; 2 wrong command line; 70 internal error. */
export const EXIT_OK = 0;
export const EXIT_INVALID = 1;
export const EXIT_USAGE = 2;
export const EXIT_INTERNAL = 70;

/** Option values checked as commander parses them: a wrong one is a wrong command line (exit 2). */
export const parseDate = (v: string): string => {
  if (!isIsoDate(v)) throw new InvalidArgumentError(`not a calendar date: expected YYYY-MM-DD that exists, found "${v}"`);
  return v;
};
export const parsePeriod = (v: string): string => {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(v)) throw new InvalidArgumentError(`not a month: expected YYYY-MM such as 2018-01, found "${v}"`);
  return v;
};
export const parseMs = (v: string): number => {
  if (!/^\d{1,9}$/.test(v)) throw new InvalidArgumentError(`not a number of milliseconds: expected a whole number such as 5000, found "${v}"`);
  return Number(v);
};
export const parseEncoding = (v: string): string => {
  if (!checkEncoding(v)) throw new InvalidArgumentError(`unknown encoding "${v}": expected a name such as utf-8, windows-1252, latin1, utf-16le`);
  return v;
};

/** A wrong combination of flags found after parsing: said on stderr, exit 2. */
export function usageError(message: string): CommanderError {
  process.stderr.write(`error: ${message}\n(run with --help for usage)\n`);
  return new CommanderError(EXIT_USAGE, 'incent.usage', message);
}

/** Every file a run reads, for the output checks. */
export function inputFiles(o: RunOptions): string[] {
  const p = resolveInputs(o);
  const files = [...(p.transactionFiles ?? [])];
  for (const k of ['partners', 'registrations', 'fx', 'usage', 'claims', 'eligibility'] as const) if (p[k]) files.push(p[k]);
  if (o.columns) files.push(o.columns);
  if (o.chargeTypes) files.push(o.chargeTypes);
  return [...files, ...filesUnder(o.rules)];
}

/** Refuses bad output paths before anything is computed. */
export function guardOutputs(outputs: OutputPath[], inputs: string[]): void {
  checkOutputs(outputs, inputs);
}

/** A run's --out and --rejects, checked against its inputs before anything is computed. */
export function guardRunOutputs(o: InputFlags & { out?: string }): void {
  guardOutputs(
    [
      { flag: '--out', path: o.out },
      { flag: '--rejects', path: o.rejects },
    ],
    inputFiles(runOptions(o)),
  );
}

export const stderrWarnings = (quiet: boolean) => ({
  warn(d: Diagnostic) {
    if (!quiet) process.stderr.write(formatDiagnostic(d) + '\n');
  },
});

/**
 * The width to lay tables out in: the terminal's columns when stdout is one, else
 * $COLUMNS when set (as many tools read it), else none (every column at full width, for
 * pipes and files).
 */
export function terminalWidth(): number | undefined {
  if (process.stdout.isTTY && process.stdout.columns) return process.stdout.columns;
  const env = Number(process.env.COLUMNS);
  return Number.isInteger(env) && env > 0 ? env : undefined;
}

/** Writes a command's output to --out (atomically) or stdout; text for people has its control characters made visible. */
export function emit(content: string, out: string | undefined, format?: string): void {
  // `--out -` is standard output, as csvkit and xsv read it.
  if (out && out !== '-') writeAtomic(out, content);
  else process.stdout.write(format === undefined || format === 'table' || format === 'text' ? escapeControls(content) : content);
}

/** The options every run reads its inputs by (after --rules): the data folder or files, their layout and reading, the campaigns, the output on stderr. */
function dataOptions<A extends unknown[], O extends OptionValues>(cmd: Command<A, O>) {
  return cmd
    .option(
      '-d, --data <dir>',
      'folder with transactions.csv and, as campaigns need them, partners.csv, registrations.csv, fx.csv, usage.csv, claims.csv, eligibility.csv',
    )
    .option('--transactions <files...>', 'transactions CSV(s) or globs, canonical or a Partner Center export (overrides --data)')
    .option('--partners <file>', 'partners CSV (overrides --data)')
    .option('--registrations <file>', 'registrations CSV (overrides --data)')
    .option('--fx <file>', 'exchange rates CSV (overrides --data)')
    .option('--usage <file>', 'usage CSV, events or counts (overrides --data)')
    .option('--claims <file>', 'partner-of-record claims CSV (overrides --data)')
    .option('--eligibility <file>', 'partner requirements over time CSV (overrides --data)')
    .addOption(new Option('--preset <name>', 'layout of the transactions files (default: detected from the header)').choices([...PRESET_NAMES]))
    .option('--columns <file>', 'YAML mapping of another export onto the canonical columns')
    .option(
      '--encoding <name>',
      'encoding of the CSV inputs when not UTF-8: windows-1252, latin1, utf-16le, ... (default: UTF-8, or UTF-16 with a BOM)',
      parseEncoding,
    )
    .addOption(
      new Option('--date-format <format>', 'how the exports write dates, when incent cannot tell (day-first files, or no day above 12)').choices([
        'M/D/YYYY',
        'D/M/YYYY',
        'YYYY-MM-DD',
        'D.M.YYYY',
        'YYYYMMDD',
      ]),
    )
    .option('--decimal-comma', 'export amounts are written with a decimal comma (150,12)')
    .option('--charge-types <file>', 'YAML map of extra Partner Center ChargeType values: positive | negative | ignore')
    .addOption(new Option('--on-invalid <mode>', 'strict: an invalid row stops the run; skip: set it aside').choices(['strict', 'skip']).default('strict'))
    .option('--rejects <file>', 'with --on-invalid skip: write the rows set aside here, with line and reason')
    .option('--payout-date <date>', 'date of the payout-currency conversion (default: as_of)', parseDate)
    .option('-c, --campaign <id...>', 'only these campaign ids')
    .option('-q, --quiet', 'no warnings or progress on stderr')
    .option('-v, --verbose', 'say on stderr which campaigns ran and how each transactions file was read: its layout, rows, and lines skipped');
}

/** --rules (required) and the data options. */
export function addInputOptions<A extends unknown[], O extends OptionValues>(cmd: Command<A, O>) {
  return dataOptions(cmd.requiredOption('-r, --rules <path...>', 'campaign YAML file(s) or folder(s)'));
}

/** --rules (optional: compare's baseline, statement --detail) and the data options. */
export function addBaselineOptions<A extends unknown[], O extends OptionValues>(
  cmd: Command<A, O>,
  rules = 'campaign YAML file(s) or folder(s) of the baseline',
) {
  return dataOptions(cmd.option('-r, --rules <path...>', rules));
}

/** --as-of: the calculation date, over each campaign's as_of. */
export function addAsOf<A extends unknown[], O extends OptionValues>(cmd: Command<A, O>) {
  return cmd.option('--as-of <date>', "calculation date YYYY-MM-DD (overrides each campaign's as_of)", parseDate);
}

/** What the input options give, as their declarations type them (asOf where the command has it). */
export type InputFlags = (ReturnType<typeof addBaselineOptions<[], Record<never, never>>> extends Command<unknown[], infer O> ? O : never) & { asOf?: string };

export function runOptions(o: InputFlags): RunOptions {
  return {
    rules: o.rules ?? [],
    data: o.data,
    transactions: o.transactions,
    preset: o.preset,
    columns: o.columns,
    chargeTypes: o.chargeTypes,
    encoding: o.encoding,
    dateFormat: o.dateFormat,
    decimalComma: o.decimalComma === true ? true : undefined,
    onInvalid: o.onInvalid,
    rejectsFile: o.rejects,
    partners: o.partners,
    registrations: o.registrations,
    fx: o.fx,
    usage: o.usage,
    claims: o.claims,
    eligibility: o.eligibility,
    asOf: o.asOf,
    payoutDate: o.payoutDate,
    campaign: o.campaign,
    onNote: o.verbose ? (text: string) => process.stderr.write(`incent: ${escapeControls(text)}\n`) : undefined,
  };
}

/** A progress bar on stderr for large inputs, when stderr is a terminal. */
export function withProgress(opts: RunOptions, quiet: boolean): { opts: RunOptions; bar?: ProgressBar } {
  const files = resolveInputs(opts).transactionFiles ?? [];
  let bytes = 0;
  for (const f of files) {
    try {
      bytes += statSync(f).size;
    } catch {
      // a missing file is reported by the run itself
    }
  }
  if (!ProgressBar.wanted(process.stderr, quiet, bytes)) return { opts };
  const bar = new ProgressBar(bytes, process.stderr);
  return { opts: { ...opts, onBytes: (n) => bar.add(n) }, bar };
}
