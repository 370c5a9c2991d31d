#!/usr/bin/env node
/** commander wiring and exit codes; the only place that prints. */
import { VERSION } from './version.js';
import { statSync } from 'node:fs';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { InvalidInputError, type Diagnostic } from './diagnostics.js';
import { formatDiagnostic, formatDiagnosticsText } from './report/diagnostics.js';
import { writeAtomic } from './report/write.js';
import { escapeControls, useBoxDrawing } from './report/text-table.js';
import { calc, type CalcFormat } from './commands/calc.js';
import type { ExplainFormat } from './commands/explain.js';
import type { ProgressFormat } from './commands/progress.js';
import type { ValidateFormat } from './commands/validate.js';
import type { RunOptions } from './commands/inputs.js';
import { resolveInputs } from './input/data.js';
import { PRESET_NAMES } from './input/presets/index.js';
import { ProgressBar } from './report/progress.js';
import { isIsoDate } from './dates.js';
import { checkEncoding } from './input/csv.js';
import { checkOutputs, filesUnder, type OutputPath } from './commands/outputs.js';
import { removeAllTemps } from './temp-files.js';
import { applyDefaults, configPath, readConfig } from './config.js';

/** 0 done; 1 bad input, refused, or an environment problem; 2 wrong command line; 70 internal error. */
const EXIT_OK = 0;
const EXIT_INVALID = 1;
const EXIT_USAGE = 2;
const EXIT_INTERNAL = 70;

/** Option values checked as commander parses them: a wrong one is a wrong command line (exit 2). */
const parseDate = (v: string): string => {
  if (!isIsoDate(v)) throw new InvalidArgumentError(`not a calendar date: expected YYYY-MM-DD that exists, found "${v}"`);
  return v;
};
const parsePeriod = (v: string): string => {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(v)) throw new InvalidArgumentError(`not a month: expected YYYY-MM such as 2018-01, found "${v}"`);
  return v;
};
const parseMs = (v: string): number => {
  if (!/^\d{1,9}$/.test(v)) throw new InvalidArgumentError(`not a number of milliseconds: expected a whole number such as 5000, found "${v}"`);
  return Number(v);
};
const parseEncoding = (v: string): string => {
  if (!checkEncoding(v)) throw new InvalidArgumentError(`unknown encoding "${v}": expected a name such as utf-8, windows-1252, latin1, utf-16le`);
  return v;
};

/** A wrong combination of flags found after parsing: said on stderr, exit 2. */
function usageError(message: string): CommanderError {
  process.stderr.write(`error: ${message}\n(run with --help for usage)\n`);
  return new CommanderError(EXIT_USAGE, 'incent.usage', message);
}

/** Every file a run reads, for the output checks. */
function inputFiles(o: RunOptions): string[] {
  const p = resolveInputs(o);
  const files = [...(p.transactionFiles ?? [])];
  for (const k of ['partners', 'registrations', 'fx', 'usage', 'claims', 'eligibility'] as const) if (p[k]) files.push(p[k]);
  if (o.columns) files.push(o.columns);
  if (o.chargeTypes) files.push(o.chargeTypes);
  return [...files, ...filesUnder(o.rules)];
}

/** Refuses bad output paths before anything is computed. */
function guardOutputs(outputs: OutputPath[], inputs: string[]): void {
  checkOutputs(outputs, inputs);
}

const stderrWarnings = (quiet: boolean) => ({
  warn(d: Diagnostic) {
    if (!quiet) process.stderr.write(formatDiagnostic(d) + '\n');
  },
});

/** Writes a command's output to --out (atomically) or stdout; text for people has its control characters made visible. */
function emit(content: string, out: string | undefined, format?: string): void {
  // `--out -` is standard output, as csvkit and xsv read it.
  if (out && out !== '-') writeAtomic(out, content);
  else process.stdout.write(format === undefined || format === 'table' || format === 'text' ? escapeControls(content) : content);
}

function addInputOptions(cmd: Command, { asOf = true, rulesRequired = true } = {}): Command {
  if (rulesRequired) cmd.requiredOption('-r, --rules <path...>', 'campaign YAML file(s) or folder(s)');
  else cmd.option('-r, --rules <path...>', 'campaign YAML file(s) or folder(s) of the baseline');
  cmd
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
  if (asOf) cmd.option('--as-of <date>', "calculation date YYYY-MM-DD (overrides each campaign's as_of)", parseDate);
  return cmd;
}

function runOptions(o: Record<string, unknown>): RunOptions {
  return {
    rules: o.rules as string[],
    data: o.data as string | undefined,
    transactions: o.transactions as string[] | undefined,
    preset: o.preset as string | undefined,
    columns: o.columns as string | undefined,
    chargeTypes: o.chargeTypes as string | undefined,
    encoding: o.encoding as string | undefined,
    dateFormat: o.dateFormat as RunOptions['dateFormat'],
    decimalComma: o.decimalComma === true ? true : undefined,
    onInvalid: o.onInvalid as 'strict' | 'skip',
    rejectsFile: o.rejects as string | undefined,
    partners: o.partners as string | undefined,
    registrations: o.registrations as string | undefined,
    fx: o.fx as string | undefined,
    usage: o.usage as string | undefined,
    claims: o.claims as string | undefined,
    eligibility: o.eligibility as string | undefined,
    asOf: o.asOf as string | undefined,
    payoutDate: o.payoutDate as string | undefined,
    campaign: o.campaign as string[] | undefined,
    onNote: o.verbose ? (text: string) => process.stderr.write(`incent: ${escapeControls(text)}\n`) : undefined,
  };
}

/** A progress bar on stderr for large inputs, when stderr is a terminal. */
function withProgress(opts: RunOptions, quiet: boolean): { opts: RunOptions; bar?: ProgressBar } {
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

export function buildProgram(): Command {
  const program = new Command('incent')
    .description('Compute what Microsoft cloud partners are owed by incentive campaigns.')
    .version(VERSION)
    .exitOverride()
    .option('--debug', 'on an internal error, print its stack (also INCENT_DEBUG=1)')
    .option('--config <file>', 'default options from this YAML file (default: ./incent.yaml when it exists; also INCENT_CONFIG)')
    .showHelpAfterError('(run with --help for usage)');

  addInputOptions(
    program
      .command('calc')
      .description('compute payouts per campaign and partner')
      .addOption(
        new Option(
          '-f, --format <format>',
          'output format (csv: a row per campaign and partner, services as columns; csv-long: a row per service, then one per partner with its total; html: one self-contained page)',
        )
          .choices(['table', 'json', 'csv', 'csv-long', 'html'])
          .default('table'),
      )
      .option('-o, --out <file>', 'write the output to FILE (atomically) instead of stdout; - is stdout')
      .option('--explain <file>', 'also write the trace of every row to FILE: CSV, or JSON Lines for .jsonl'),
  )
    .addHelpText(
      'after',
      '\nExamples:\n  $ incent calc --rules rules --data fixtures/demo\n  $ incent calc --rules rules/csp-power-up-2017.yaml --data fixtures/demo --format json --out payouts.json\n' +
        '  $ incent calc --rules rules/csp-power-up-2017.yaml --data fixtures/demo --transactions exports/2017-*.csv   # Partner Center files, detected\n' +
        '  $ incent calc --rules rules --data fixtures/demo --on-invalid skip --rejects rejects.csv',
    )
    .action(async (o: Record<string, unknown>) => {
      const ro = runOptions(o);
      guardOutputs(
        [
          { flag: '--out', path: o.out as string | undefined },
          { flag: '--explain', path: o.explain as string | undefined },
          { flag: '--rejects', path: ro.rejectsFile },
        ],
        inputFiles(ro),
      );
      const run = withProgress(ro, Boolean(o.quiet));
      try {
        const output = await calc({ ...run.opts, format: o.format as CalcFormat, explain: o.explain as string | undefined }, stderrWarnings(Boolean(o.quiet)));
        emit(output, o.out as string | undefined, o.format as string);
      } finally {
        run.bar?.done();
      }
    });

  addInputOptions(
    program
      .command('explain')
      .description("one partner's story: every row credited, excluded (why, with the values compared) or earning (rate, FX, amount, cap trim)")
      .requiredOption('-p, --partner <id>', 'the partner to explain')
      .option('--customer <id>', "only this customer's rows")
      .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'json', 'csv']).default('table'))
      .option('-o, --out <file>', 'write the output to FILE (atomically) instead of stdout; - is stdout'),
  )
    .addHelpText(
      'after',
      '\nExamples:\n  $ incent explain --partner 1000001 --rules rules --data fixtures/demo\n  $ incent explain --partner 1000002 --customer C203 --rules rules/csp-power-up-2017.yaml --data fixtures/demo --format json',
    )
    .action(async (o: Record<string, unknown>) => {
      guardOutputs(
        [
          { flag: '--out', path: o.out as string | undefined },
          { flag: '--rejects', path: o.rejects as string | undefined },
        ],
        inputFiles(runOptions(o)),
      );
      const { explain } = await import('./commands/explain.js');
      const output = await explain(
        { ...runOptions(o), partner: o.partner as string, customer: o.customer as string | undefined, format: o.format as ExplainFormat },
        stderrWarnings(Boolean(o.quiet)),
      );
      emit(output, o.out as string | undefined, o.format as string);
    });

  addInputOptions(
    program
      .command('progress')
      .description('per partner and service, what stands between the partner and more money; closest to a threshold first')
      .option('-p, --partner <id>', 'only this partner')
      .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'json']).default('table'))
      .option('-o, --out <file>', 'write the output to FILE (atomically) instead of stdout; - is stdout'),
  )
    .addHelpText(
      'after',
      '\nExamples:\n  $ incent progress --rules rules --data fixtures/demo\n  $ incent progress --partner 1000002 --rules rules/csp-power-up-2017.yaml --data fixtures/demo --format json',
    )
    .action(async (o: Record<string, unknown>) => {
      guardOutputs(
        [
          { flag: '--out', path: o.out as string | undefined },
          { flag: '--rejects', path: o.rejects as string | undefined },
        ],
        inputFiles(runOptions(o)),
      );
      const { progress } = await import('./commands/progress.js');
      const output = await progress(
        { ...runOptions(o), partner: o.partner as string | undefined, format: o.format as ProgressFormat },
        stderrWarnings(Boolean(o.quiet)),
      );
      emit(output, o.out as string | undefined, o.format as string);
    });

  const payout = program
    .command('payout')
    .description('monthly payout runs recorded in a SQLite ledger: pay each amount exactly once')
    .addHelpText('after', '\nExample:\n  $ incent payout run --period 2018-01 --rules rules --data exports/2018-01 --ledger payouts.db\n\nSee docs/ledger.md.');
  const ledgerOption = () => new Option('--ledger <path>', 'the ledger file (made by `incent payout init`)').default('./incent-ledger.db');
  payout
    .command('init')
    .description('create a new, empty ledger file (every other payout command needs one)')
    .addOption(ledgerOption())
    .addHelpText('after', '\nExample:\n  $ incent payout init --ledger payouts.db')
    .action(async (o: Record<string, unknown>) => {
      const { payoutInit } = await payoutCommands();
      const r = payoutInit(o.ledger as string);
      process.stdout.write(r.output);
      process.exitCode = r.exitCode;
    });
  addInputOptions(
    payout
      .command('run')
      .description('compute earnings to date, subtract what the ledger says was paid, record and print what this run pays')
      .requiredOption('--period <YYYY-MM>', 'the month this run pays for (as_of defaults to its last day)', parsePeriod)
      .addOption(ledgerOption())
      .option('--supersede', 'replace the recorded run of this period with a correction run')
      .option('--reason <text>', 'why a correction run replaces the recorded one (with --supersede)')
      .option('--dry-run', 'show what the run would record, and record nothing')
      .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'json']).default('table'))
      .option('--busy-timeout <ms>', 'how long to wait for another run holding the ledger', parseMs, 5000),
  )
    .addHelpText('after', '\nExample:\n  $ incent payout run --period 2018-01 --rules rules --data exports/2018-01 --ledger payouts.db')
    .action(async (o: Record<string, unknown>) => {
      guardOutputs([{ flag: '--rejects', path: o.rejects as string | undefined }], [...inputFiles(runOptions(o)), o.ledger as string]);
      const { payoutRun } = await payoutCommands();
      const r = await payoutRun(
        {
          ...runOptions(o),
          period: o.period as string,
          ledger: o.ledger as string,
          supersede: Boolean(o.supersede),
          reason: o.reason as string | undefined,
          busyTimeoutMs: o.busyTimeout as number,
          dryRun: Boolean(o.dryRun),
          format: o.format as 'table' | 'json',
        },
        stderrWarnings(Boolean(o.quiet)),
      );
      (r.toStderr ? process.stderr : process.stdout).write(r.output);
      process.exitCode = r.exitCode;
    });
  payout
    .command('list')
    .description('the runs in the ledger')
    .addOption(ledgerOption())
    .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'json']).default('table'))
    .addHelpText('after', '\nExample:\n  $ incent payout list --ledger payouts.db')
    .action(async (o: Record<string, unknown>) => {
      const { payoutList } = await payoutCommands();
      process.stdout.write(payoutList(o.ledger as string, o.format as 'table' | 'json'));
    });
  payout
    .command('show')
    .description('one run: its inputs (sha256) and its lines')
    .argument('<run>', 'run id')
    .addOption(ledgerOption())
    .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'json']).default('table'))
    .addHelpText('after', '\nExample:\n  $ incent payout show 3 --ledger payouts.db --format json')
    .action(async (id: string, o: Record<string, unknown>) => {
      const { payoutShow } = await payoutCommands();
      process.stdout.write(payoutShow(o.ledger as string, id, o.format as 'table' | 'json'));
    });
  payout
    .command('export')
    .description('the payment file of a run (CSV cells safe to open in a spreadsheet)')
    .argument('<run>', 'run id')
    .addOption(ledgerOption())
    .addOption(new Option('-f, --format <format>', 'output format').choices(['csv', 'json']).default('csv'))
    .option('-o, --out <file>', 'write it to FILE (atomically)')
    .addHelpText('after', '\nExample:\n  $ incent payout export 3 --format csv --out payments-2018-01.csv')
    .action(async (id: string, o: Record<string, unknown>) => {
      guardOutputs([{ flag: '--out', path: o.out as string | undefined }], [o.ledger as string]);
      const { payoutExport } = await payoutCommands();
      emit(payoutExport(o.ledger as string, id, o.format as 'csv' | 'json'), o.out as string | undefined, o.format as string);
    });
  addInputOptions(
    payout
      .command('verify')
      .description('recompute a recorded run from its inputs (given again): every amount and input hash must match')
      .argument('<run>', 'run id')
      .addOption(ledgerOption()),
  )
    .addHelpText('after', '\nExample:\n  $ incent payout verify 3 --rules rules --data exports/2018-01 --ledger payouts.db')
    .action(async (id: string, o: Record<string, unknown>) => {
      const { payoutVerify } = await payoutCommands();
      const r = await payoutVerify({ ...runOptions(o), ledger: o.ledger as string, run: id }, stderrWarnings(Boolean(o.quiet)));
      process.stdout.write(r.output);
      process.exitCode = r.exitCode;
    });
  payout
    .command('statement')
    .description('what a partner is paid by a run and why')
    .argument('<run>', 'run id')
    .requiredOption('-p, --partner <id>', 'the partner')
    .addOption(ledgerOption())
    .addOption(new Option('-f, --format <format>', 'output format (html: self-contained, printable)').choices(['text', 'html']).default('text'))
    .option('-o, --out <file>', 'write it to FILE (atomically)')
    .option('--payer <name>', 'who pays, for the header (the distributor, the program)')
    .option('--partners <file>', "partners.csv, for the payee's name")
    .option('--reference <text>', 'the payment reference (default: PERIOD-PARTNER-runID)')
    .option('--date <date>', "the statement's date (default: today)", parseDate)
    .option('--all', 'list campaigns with nothing paid, clawed back or carried forward too')
    .addHelpText(
      'after',
      '\nExample:\n  $ incent payout statement 3 --partner 1000001 --partners data/partners.csv --payer "Alpine Distribution" --format html --out statement.html --ledger payouts.db',
    )
    .action(async (id: string, o: Record<string, unknown>) => {
      guardOutputs([{ flag: '--out', path: o.out as string | undefined }], [o.ledger as string]);
      const { payoutStatement } = await payoutCommands();
      const text = await payoutStatement(o.ledger as string, id, o.partner as string, {
        format: o.format as 'text' | 'html',
        payer: o.payer as string | undefined,
        partnersFile: o.partners as string | undefined,
        reference: o.reference as string | undefined,
        date: o.date as string | undefined,
        all: Boolean(o.all),
      });
      emit(text, o.out as string | undefined, o.format as string);
    });

  addInputOptions(
    program
      .command('reconcile')
      .description("compare incent's payouts with Microsoft's earnings export, item by item, with dispute deadlines")
      .requiredOption('-e, --earnings <files...>', "Microsoft's earnings export(s): CSV or TSV, globs, - for standard input")
      .option('--as-of <date>', "the day dispute deadlines are judged on (default: today); the calculation uses each campaign's as_of", parseDate)
      .addOption(
        new Option('-f, --format <format>', 'output format (html: a printable dispute pack per partner)')
          .choices(['table', 'json', 'csv', 'html'])
          .default('table'),
      )
      .option('-o, --out <file>', 'write the output to FILE (atomically) instead of stdout; - is stdout')
      .option('--out-dir <dir>', 'with --format html: one dispute pack per partner, DIR/<campaign>-<partner>.html')
      .option('--exit-code', 'exit 1 when any difference beyond tolerance is found (as git diff --exit-code)'),
    { asOf: false },
  )
    .addHelpText(
      'after',
      '\nExamples:\n  $ incent reconcile --rules rules/csp-power-up-2017.yaml --data fixtures/demo --earnings fixtures/earnings/power-up-2017.csv --as-of 2017-11-01\n' +
        '  $ incent reconcile --rules rules --data exports --earnings earnings/*.tsv --format html --out-dir disputes\n\nThe campaign says which program and levers are its own in a reconcile: block; see docs/reconcile.md.',
    )
    .action(async (o: Record<string, unknown>) => {
      const ro = runOptions(o);
      guardOutputs([{ flag: '--out', path: o.out as string | undefined }], [...inputFiles(ro), ...((o.earnings as string[]) ?? [])]);
      if (o.outDir && o.format !== 'html') throw usageError('--out-dir needs --format html');
      const { reconcile, writeReconciliation } = await import('./commands/reconcile.js');
      const r = await reconcile(
        { ...ro, asOf: undefined, earnings: o.earnings as string[], judgeOn: o.asOf as string | undefined },
        stderrWarnings(Boolean(o.quiet)),
      );
      emit(
        writeReconciliation(r, o.format as 'table' | 'json' | 'csv' | 'html', o.outDir as string | undefined),
        o.out as string | undefined,
        o.format as string,
      );
      const { hasDifferences } = await import('./reconcile/match.js');
      if (o.exitCode && hasDifferences(r.campaigns)) process.exitCode = EXIT_INVALID;
    });

  addInputOptions(
    program
      .command('compare')
      .description('what-if: a baseline against a scenario (or two saved calc JSON results), per partner and service, with what it costs')
      .argument('[results...]', 'two saved `calc --format json` results: BEFORE.json AFTER.json')
      .option('--with-rules <path...>', 'the scenario: these campaign files or folders instead of --rules')
      .option('--with-data <dir>', 'the scenario: this data folder instead of --data')
      .option('--add-transactions <files...>', "the scenario: the baseline's transactions plus these files")
      .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'json', 'csv', 'html']).default('table'))
      .option('-o, --out <file>', 'write the output to FILE (atomically) instead of stdout; - is stdout'),
    { rulesRequired: false },
  )
    .addHelpText(
      'after',
      '\nExamples:\n  $ incent compare --rules rules/csp-power-up-2017.yaml --data fixtures/demo --with-rules proposal/csp-power-up-2017.yaml\n' +
        '  $ incent compare --rules rules --data fixtures/demo --add-transactions pipeline.csv\n  $ incent compare march.json april.json --format csv',
    )
    .action(async (results: string[], o: Record<string, unknown>) => {
      const scenario = {
        withRules: o.withRules as string[] | undefined,
        withData: o.withData as string | undefined,
        addTransactions: o.addTransactions as string[] | undefined,
      };
      const changes = Object.values(scenario).filter((v) => v !== undefined).length;
      if (results.length && (results.length !== 2 || o.rules || changes))
        throw usageError('give two calc JSON results (BEFORE.json AFTER.json), or --rules with --with-rules, --with-data or --add-transactions');
      if (!results.length && (!o.rules || !changes))
        throw usageError('compare needs --rules (the baseline) and at least one of --with-rules, --with-data, --add-transactions; or two calc JSON results');
      const base = results.length ? undefined : runOptions(o);
      guardOutputs([{ flag: '--out', path: o.out as string | undefined }], base ? [...inputFiles(base), ...(scenario.addTransactions ?? [])] : results);
      const { compare } = await import('./commands/compare.js');
      const outcome = await compare({ files: results.length ? [results[0]!, results[1]!] : undefined, base, ...scenario }, stderrWarnings(Boolean(o.quiet)));
      const r = await import('./report/compare.js');
      const render = { table: r.compareTable, json: r.compareJson, csv: r.compareCsv, html: r.compareHtml }[o.format as 'table' | 'json' | 'csv' | 'html'];
      emit(render(outcome), o.out as string | undefined, o.format as string);
    });

  program
    .command('validate')
    .description('check campaign files and rate cards (for CI)')
    .argument('<paths...>', 'campaign files or folders')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json', 'github']).default('text'))
    .option('--strict', 'fail on warnings too')
    .addHelpText('after', '\nExample:\n  $ incent validate rules\n  $ incent validate rules --format github --strict')
    .action(async (paths: string[], o: Record<string, unknown>) => {
      const { validate } = await import('./commands/validate.js');
      const r = validate(paths, o.format as ValidateFormat, Boolean(o.strict));
      process.stdout.write(r.output);
      process.exitCode = r.exitCode;
    });

  program
    .command('schema')
    .description('print the JSON Schema of a campaign file, for editors')
    .option('-o, --out <file>', 'write it to FILE')
    .addHelpText('after', '\nExample:\n  $ incent schema --out schema/campaign.schema.json')
    .action(async (o: Record<string, unknown>) => {
      guardOutputs([{ flag: '--out', path: o.out as string | undefined }], []);
      const { renderSchema } = await import('./commands/schema.js');
      emit(renderSchema(), o.out as string | undefined, 'json');
    });

  program
    .command('test')
    .description("run a campaign's example cases (<campaign>.cases/<case>/expected.yaml) and diff the amounts")
    .argument('<paths...>', 'campaign files or folders')
    .addOption(
      new Option('-f, --format <format>', 'output format (github: annotations on the failed cases; junit: JUnit XML for CI)')
        .choices(['text', 'github', 'junit'])
        .default('text'),
    )
    .option('-o, --out <file>', 'write the output to FILE (atomically) instead of stdout')
    .addHelpText(
      'after',
      '\nExamples:\n  $ incent test rules\n  $ incent test rules --format junit --out incent-cases.xml\n\nA case is a folder of input CSVs plus expected.yaml; see docs/campaign-cases.md.',
    )
    .action(async (paths: string[], o: Record<string, unknown>) => {
      guardOutputs([{ flag: '--out', path: o.out as string | undefined }], []);
      const { runCases } = await import('./commands/test-cases.js');
      const r = await runCases(paths, o.format as 'text' | 'github' | 'junit');
      emit(r.output, o.out as string | undefined, o.format as string);
      process.exitCode = r.exitCode;
    });

  return program;
}

/** Commands load what they need when they run: calc never loads the SQLite ledger. */
function payoutCommands(): Promise<typeof import('./commands/payout.js')> {
  return import('./commands/payout.js');
}

/** A file that cannot be read or written, a full disk: the environment, not incent (exit 1). */
const ENVIRONMENT_CODES = new Set([
  'EACCES',
  'EPERM',
  'ENOSPC',
  'EDQUOT',
  'EROFS',
  'ENOENT',
  'ENOTDIR',
  'EISDIR',
  'EMFILE',
  'ENFILE',
  'EIO',
  'EEXIST',
  'EBUSY',
  'EXDEV',
  'ENAMETOOLONG',
]);

export async function main(argv: string[]): Promise<number> {
  // Box-drawing tables on a terminal; plain aligned text into a pipe or a file.
  useBoxDrawing(process.stdout.isTTY === true);
  const program = buildProgram();
  try {
    // Test hook: an internal error on purpose, to test exit 70 and --debug.
    if (process.env.INCENT_TEST_CRASH === '1') throw new Error('a crash on purpose (INCENT_TEST_CRASH=1)');
    // Defaults from incent.yaml and INCENT_* (the command line wins over both; see src/config.ts).
    const configFile = configPath(argv);
    applyDefaults(program, configFile ? readConfig(configFile) : undefined, configFile);
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT_OK;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return EXIT_OK;
      return EXIT_USAGE;
    }
    if (e instanceof InvalidInputError) {
      process.stderr.write(formatDiagnosticsText(e.diagnostics));
      return EXIT_INVALID;
    }
    const { LedgerError, ledgerFailure } = await import('./ledger/errors.js');
    const ledger = e instanceof LedgerError ? e : ledgerFailure(e, '');
    if (ledger) {
      process.stderr.write(`incent: ${ledger.message}\n`);
      return EXIT_INVALID;
    }
    const code = (e as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && ENVIRONMENT_CODES.has(code)) {
      process.stderr.write(`incent: ${(e as Error).message}\n`);
      return EXIT_INVALID;
    }
    throw e;
  } finally {
    // What a run copied from standard input, and anything a failure left.
    removeAllTemps();
  }
}

/** Ctrl-C or a kill: remove every temporary file the run made, then exit 130 / 143. */
for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const) {
  process.on(signal, () => {
    removeAllTemps();
    process.exit(code);
  });
}

const debug = process.argv.includes('--debug') || process.env.INCENT_DEBUG === '1';
main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    removeAllTemps();
    const message = e instanceof Error ? e.message : String(e);
    process.stderr.write(
      debug && e instanceof Error && e.stack
        ? `incent: internal error: ${e.stack}\n`
        : `incent: internal error: ${message}\n(this is a bug in incent; run again with --debug for the stack, and report it)\n`,
    );
    process.exitCode = EXIT_INTERNAL;
  },
);
