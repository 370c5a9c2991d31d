/** incent payout init|run|list|show|export|verify|statement: the ledger's commands. */
import { Command, Option } from '@commander-js/extra-typings';
import { resolveInputs } from '../input/data.js';

import {
  addAsOf,
  addBaselineOptions,
  addInputOptions,
  emit,
  guardOutputs,
  inputFiles,
  parseDate,
  parseMs,
  parsePeriod,
  runOptions,
  stderrWarnings,
  usageError,
} from './options.js';

export function addPayoutCommands(program: Command): void {
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
    .action(async (o) => {
      const { payoutInit } = await payoutCommands();
      const r = payoutInit(o.ledger);
      process.stdout.write(r.output);
      process.exitCode = r.exitCode;
    });
  addAsOf(
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
    ),
  )
    .addHelpText('after', '\nExample:\n  $ incent payout run --period 2018-01 --rules rules --data exports/2018-01 --ledger payouts.db')
    .action(async (o) => {
      guardOutputs([{ flag: '--rejects', path: o.rejects }], [...inputFiles(runOptions(o)), o.ledger]);
      const { payoutRun } = await payoutCommands();
      const r = await payoutRun(
        {
          ...runOptions(o),
          period: o.period,
          ledger: o.ledger,
          supersede: Boolean(o.supersede),
          reason: o.reason,
          busyTimeoutMs: o.busyTimeout,
          dryRun: Boolean(o.dryRun),
          format: o.format,
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
    .action(async (o) => {
      const { payoutList } = await payoutCommands();
      process.stdout.write(payoutList(o.ledger, o.format));
    });
  payout
    .command('show')
    .description('one run: its inputs (sha256) and its lines')
    .argument('<run>', 'run id')
    .addOption(ledgerOption())
    .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'json']).default('table'))
    .addHelpText('after', '\nExample:\n  $ incent payout show 3 --ledger payouts.db --format json')
    .action(async (id, o) => {
      const { payoutShow } = await payoutCommands();
      process.stdout.write(payoutShow(o.ledger, id, o.format));
    });
  payout
    .command('export')
    .description('the payment file of a run: a line per payee and payout currency (CSV cells safe to open in a spreadsheet)')
    .argument('<run>', 'run id')
    .addOption(ledgerOption())
    .addOption(new Option('-f, --format <format>', 'output format').choices(['csv', 'json']).default('csv'))
    .option('-o, --out <file>', 'write it to FILE (atomically)')
    .option('--lines', "the run's lines instead (a campaign and partner each, with earned to date, paid before, action and reason)")
    .option('--all', 'payees whose payment is zero too')
    .option('--partners <file>', "partners.csv, for the payees' names")
    .addHelpText(
      'after',
      '\nExamples:\n  $ incent payout export 3 --partners data/partners.csv --out payments-2018-01.csv\n  $ incent payout export 3 --lines --format json',
    )
    .action(async (id, o) => {
      guardOutputs([{ flag: '--out', path: o.out }], [o.ledger]);
      const { payoutExport } = await import('../commands/payout-documents.js');
      const text = await payoutExport(o.ledger, id, {
        format: o.format,
        lines: Boolean(o.lines),
        all: Boolean(o.all),
        partnersFile: o.partners,
      });
      emit(text, o.out, o.format);
    });
  addAsOf(
    addInputOptions(
      payout
        .command('verify')
        .description('recompute a recorded run from its inputs (given again): every amount and input hash must match')
        .argument('<run>', 'run id')
        .addOption(ledgerOption()),
    ),
  )
    .addHelpText('after', '\nExample:\n  $ incent payout verify 3 --rules rules --data exports/2018-01 --ledger payouts.db')
    .action(async (id, o) => {
      const { payoutVerify } = await payoutCommands();
      const r = await payoutVerify({ ...runOptions(o), ledger: o.ledger, run: id }, stderrWarnings(Boolean(o.quiet)));
      process.stdout.write(r.output);
      process.exitCode = r.exitCode;
    });
  addBaselineOptions(
    payout
      .command('statement')
      .description('what a partner is paid by a run and why')
      .argument('<run>', 'run id')
      .option('-p, --partner <id>', 'the partner (or --out-dir for every partner)')
      .addOption(ledgerOption())
      .addOption(new Option('-f, --format <format>', 'output format (html: self-contained, printable)').choices(['text', 'html', 'csv']).default('text'))
      .option('-o, --out <file>', 'write it to FILE (atomically)')
      .option('--out-dir <dir>', "every partner's statement of the run: DIR/<partner>.html and .csv, and DIR/index.html, index.csv")
      .option('--payer <name>', 'who pays, for the header (the distributor, the program)')
      .option('--reference <text>', 'the payment reference (default: PERIOD-PARTNER-runID)')
      .option('--date <date>', "the statement's date (default: today)", parseDate)
      .option('--all', 'list campaigns with nothing paid, clawed back or carried forward too')
      .option(
        '--detail',
        "add how it was earned (explain: units x rate, revenue x percent, tiers, every row), from the run's inputs given again (--rules, --data; checked by sha256)",
      ),
    "the run's campaign files, for --detail",
  )
    .addHelpText(
      'after',
      '\nExamples:\n  $ incent payout statement 3 --partner 1000001 --partners data/partners.csv --payer "Alpine Distribution" --format html --out statement.html --ledger payouts.db\n' +
        '  $ incent payout statement 3 --out-dir statements/2018-01 --partners data/partners.csv --ledger payouts.db',
    )
    .action(async (id, o) => {
      if (!o.partner === !o.outDir) throw usageError('give --partner for one statement, or --out-dir for every partner of the run');
      if (o.outDir && o.out) throw usageError('--out-dir writes a folder of statements: leave out --out');
      if (o.detail && (!o.rules || !o.partner || o.format === 'csv'))
        throw usageError("--detail needs --partner, the run's inputs (--rules, --data) and --format text or html");
      guardOutputs([{ flag: '--out', path: o.out }], [o.ledger]);
      const { payoutStatement, payoutStatements } = await import('../commands/payout-documents.js');
      const options = {
        format: o.format,
        payer: o.payer,
        // Names from --partners, or the partners.csv of --data.
        partnersFile: resolveInputs(runOptions(o)).partners,
        reference: o.reference,
        date: o.date,
        all: Boolean(o.all),
        ...(o.detail ? { detail: runOptions(o), warnings: stderrWarnings(Boolean(o.quiet)) } : {}),
      };
      if (o.outDir) {
        process.stdout.write(await payoutStatements(o.ledger, id, o.outDir, options));
        return;
      }
      // Here --partner is given (exactly one of --partner and --out-dir is, checked above).
      const text = await payoutStatement(o.ledger, id, o.partner ?? '', options);
      emit(text, o.out, o.format);
    });
}

/** Commands load what they need when they run: calc never loads the SQLite ledger. */
export function payoutCommands(): Promise<typeof import('../commands/payout.js')> {
  return import('../commands/payout.js');
}
