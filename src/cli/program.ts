/** The commands, their options, help texts and examples; each action calls a command module and prints through emit. */
import { VERSION } from '../version.js';
import { Argument, Command, Option } from '@commander-js/extra-typings';
import { calc } from '../commands/calc.js';

import {
  addAsOf,
  addBaselineOptions,
  addInputOptions,
  emit,
  guardOutputs,
  guardRunOutputs,
  inputFiles,
  parseDate,
  runOptions,
  stderrWarnings,
  terminalWidth,
  usageError,
  withProgress,
  EXIT_INVALID,
} from './options.js';
import { addPayoutCommands } from './payout.js';
import { JSON_OUTPUTS, type JsonOutputName } from '../report/json-shapes/index.js';

export function buildProgram(): Command {
  const program = new Command('incent')
    .description('Compute what Microsoft cloud partners are owed by incentive campaigns.')
    .version(VERSION)
    .exitOverride()
    .option('--debug', 'on an internal error, print its stack (also INCENT_DEBUG=1)')
    .option('--config <file>', 'default options from this YAML file (default: ./incent.yaml when it exists; also INCENT_CONFIG)')
    .showHelpAfterError('(run with --help for usage)');

  addAsOf(
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
        .option('--explain <file>', 'also write the trace of every row to FILE: CSV, or JSON Lines for .jsonl')
        .option('--wide', 'table: every column at full width, whatever the terminal width')
        .option('--all', 'table: list ineligible partners that earned nothing too (folded into a count line by default)'),
    ),
  )
    .addHelpText(
      'after',
      '\nExamples:\n  $ incent calc --rules rules --data fixtures/demo\n  $ incent calc --rules rules/csp-power-up-2017.yaml --data fixtures/demo --format json --out payouts.json\n' +
        '  $ incent calc --rules rules/csp-power-up-2017.yaml --data fixtures/demo --transactions exports/2017-*.csv   # Partner Center files, detected\n' +
        '  $ incent calc --rules rules --data fixtures/demo --on-invalid skip --rejects rejects.csv',
    )
    .action(async (o) => {
      const ro = runOptions(o);
      guardOutputs(
        [
          { flag: '--out', path: o.out },
          { flag: '--explain', path: o.explain },
          { flag: '--rejects', path: ro.rejectsFile },
        ],
        inputFiles(ro),
      );
      const run = withProgress(ro, Boolean(o.quiet));
      try {
        const table = { width: o.wide ? undefined : terminalWidth(), all: Boolean(o.all) };
        const output = await calc({ ...run.opts, format: o.format, explain: o.explain, table }, stderrWarnings(Boolean(o.quiet)));
        emit(output, o.out, o.format);
      } finally {
        run.bar?.done();
      }
    });

  addAsOf(
    addInputOptions(
      program
        .command('explain')
        .description("one partner's story: every row credited, excluded (why, with the values compared) or earning (rate, FX, amount, cap trim)")
        .requiredOption('-p, --partner <id>', 'the partner to explain')
        .option('--customer <id>', "only this customer's rows")
        .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'json', 'csv']).default('table'))
        .option('-o, --out <file>', 'write the output to FILE (atomically) instead of stdout; - is stdout'),
    ),
  )
    .addHelpText(
      'after',
      '\nExamples:\n  $ incent explain --partner 1000001 --rules rules --data fixtures/demo\n  $ incent explain --partner 1000002 --customer C203 --rules rules/csp-power-up-2017.yaml --data fixtures/demo --format json',
    )
    .action(async (o) => {
      guardRunOutputs(o);
      const { explain } = await import('../commands/explain.js');
      const output = await explain({ ...runOptions(o), partner: o.partner, customer: o.customer, format: o.format }, stderrWarnings(Boolean(o.quiet)));
      emit(output, o.out, o.format);
    });

  addAsOf(
    addInputOptions(
      program
        .command('progress')
        .description('per partner and service, what stands between the partner and more money; closest to a threshold first')
        .option('-p, --partner <id>', 'only this partner')
        .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'json']).default('table'))
        .option('-o, --out <file>', 'write the output to FILE (atomically) instead of stdout; - is stdout')
        .option('--wide', 'table: every column at full width, whatever the terminal width')
        .option('--all', 'table: list ineligible partners that earned nothing too'),
    ),
  )
    .addHelpText(
      'after',
      '\nExamples:\n  $ incent progress --rules rules --data fixtures/demo\n  $ incent progress --partner 1000002 --rules rules/csp-power-up-2017.yaml --data fixtures/demo --format json',
    )
    .action(async (o) => {
      guardRunOutputs(o);
      const { progress } = await import('../commands/progress.js');
      const output = await progress(
        {
          ...runOptions(o),
          partner: o.partner,
          format: o.format,
          width: o.wide ? undefined : terminalWidth(),
          all: Boolean(o.all),
        },
        stderrWarnings(Boolean(o.quiet)),
      );
      emit(output, o.out, o.format);
    });

  addPayoutCommands(program);

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
  )
    .addHelpText(
      'after',
      '\nExamples:\n  $ incent reconcile --rules rules/csp-power-up-2017.yaml --data fixtures/demo --earnings fixtures/earnings/power-up-2017.csv --as-of 2017-11-01\n' +
        '  $ incent reconcile --rules rules --data exports --earnings earnings/*.tsv --format html --out-dir disputes\n\nThe campaign says which program and levers are its own in a reconcile: block; see docs/reconcile.md.',
    )
    .action(async (o) => {
      const ro = runOptions(o);
      guardOutputs([{ flag: '--out', path: o.out }], [...inputFiles(ro), ...(o.earnings ?? [])]);
      if (o.outDir && o.format !== 'html') throw usageError('--out-dir needs --format html');
      const { reconcile, writeReconciliation } = await import('../commands/reconcile.js');
      const r = await reconcile({ ...ro, asOf: undefined, earnings: o.earnings, judgeOn: o.asOf }, stderrWarnings(Boolean(o.quiet)));
      emit(writeReconciliation(r, o.format, o.outDir), o.out, o.format);
      const { hasDifferences } = await import('../reconcile/match.js');
      if (o.exitCode && hasDifferences(r.campaigns)) process.exitCode = EXIT_INVALID;
    });

  addAsOf(
    addBaselineOptions(
      program
        .command('compare')
        .description('what-if: a baseline against a scenario (or two saved calc JSON results), per partner and service, with what it costs')
        .argument('[results...]', 'two saved `calc --format json` results: BEFORE.json AFTER.json')
        .option('--with-rules <path...>', 'the scenario: these campaign files or folders instead of --rules')
        .option('--with-data <dir>', 'the scenario: this data folder instead of --data')
        .option('--add-transactions <files...>', "the scenario: the baseline's transactions plus these files")
        .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'json', 'csv', 'html']).default('table'))
        .option('-o, --out <file>', 'write the output to FILE (atomically) instead of stdout; - is stdout'),
    ),
  )
    .addHelpText(
      'after',
      '\nExamples:\n  $ incent compare --rules rules/csp-power-up-2017.yaml --data fixtures/demo --with-rules proposal/csp-power-up-2017.yaml\n' +
        '  $ incent compare --rules rules --data fixtures/demo --add-transactions pipeline.csv\n  $ incent compare march.json april.json --format csv',
    )
    .action(async (results, o) => {
      const scenario = {
        withRules: o.withRules,
        withData: o.withData,
        addTransactions: o.addTransactions,
      };
      const changes = Object.values(scenario).filter((v) => v !== undefined).length;
      if (results.length && (results.length !== 2 || o.rules || changes))
        throw usageError('give two calc JSON results (BEFORE.json AFTER.json), or --rules with --with-rules, --with-data or --add-transactions');
      if (!results.length && (!o.rules || !changes))
        throw usageError('compare needs --rules (the baseline) and at least one of --with-rules, --with-data, --add-transactions; or two calc JSON results');
      const base = results.length ? undefined : runOptions(o);
      guardOutputs([{ flag: '--out', path: o.out }], base ? [...inputFiles(base), ...(scenario.addTransactions ?? [])] : results);
      const { compare } = await import('../commands/compare.js');
      const outcome = await compare({ files: results.length ? [results[0]!, results[1]!] : undefined, base, ...scenario }, stderrWarnings(Boolean(o.quiet)));
      const r = await import('../report/compare.js');
      const render = { table: r.compareTable, json: r.compareJson, csv: r.compareCsv, html: r.compareHtml }[o.format];
      emit(render(outcome), o.out, o.format);
    });

  program
    .command('validate')
    .description('check campaign files and rate cards (for CI)')
    .argument('<paths...>', 'campaign files or folders')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json', 'github']).default('text'))
    .option('--strict', 'fail on warnings too')
    .addHelpText('after', '\nExample:\n  $ incent validate rules\n  $ incent validate rules --format github --strict')
    .action(async (paths, o) => {
      const { validate } = await import('../commands/validate.js');
      const r = validate(paths, o.format, Boolean(o.strict));
      process.stdout.write(r.output);
      process.exitCode = r.exitCode;
    });

  program
    .command('schema')
    .description('print the JSON Schema of a campaign file, for editors (or, with --format markdown, the reference of every key)')
    .addOption(
      new Option('-f, --format <format>', 'json: the JSON Schema; markdown: the campaign file reference').choices(['json', 'markdown']).default('json'),
    )
    .addOption(
      new Option('--output <name>', "instead, the JSON Schema of a command's JSON output (schema/<name>.schema.json)").choices(
        Object.keys(JSON_OUTPUTS) as JsonOutputName[],
      ),
    )
    .option('-o, --out <file>', 'write it to FILE')
    .addHelpText(
      'after',
      '\nExamples:\n  $ incent schema --out schema/campaign.schema.json\n  $ incent schema --format markdown --out docs/campaign-reference.md\n  $ incent schema --output calc --out schema/calc.schema.json',
    )
    .action(async (o) => {
      guardOutputs([{ flag: '--out', path: o.out }], []);
      const { renderReference, renderSchema } = await import('../commands/schema.js');
      if (o.output && o.format === 'markdown') throw usageError('--output gives a JSON Schema: leave out --format markdown');
      emit(o.format === 'markdown' ? renderReference() : renderSchema(o.output), o.out, 'json');
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
    .action(async (paths, o) => {
      guardOutputs([{ flag: '--out', path: o.out }], []);
      const { runCases } = await import('../commands/test-cases.js');
      const r = await runCases(paths, o.format);
      emit(r.output, o.out, o.format);
      process.exitCode = r.exitCode;
    });

  program
    .command('init')
    .description('start a campaign: its YAML (with the editor schema comment), a rate card, an example case, and the JSON Schema beside them')
    .argument('[dir]', 'the folder to write in', '.')
    .option('--id <id>', 'the campaign id (and file name)', 'my-campaign')
    .addHelpText('after', '\nExample:\n  $ incent init campaigns --id power-up-2026\n  $ incent validate campaigns/rules && incent test campaigns/rules')
    .action(async (dir, o) => {
      const { init } = await import('../commands/init.js');
      const written = init(dir, o.id);
      const rules = written[0]!.replace(/[^/\\]*$/, '');
      emit(
        `${written.map((f) => `wrote ${f}`).join('\n')}\nnext: edit ${written[0]}, then\n  incent validate ${rules}\n  incent test ${rules}\n`,
        undefined,
        'text',
      );
    });

  program
    .command('completion')
    .description('print a shell completion script (bash, zsh or fish) made from these commands and options')
    .addArgument(new Argument('<shell>', 'the shell').choices(['bash', 'zsh', 'fish']))
    .addHelpText(
      'after',
      '\nExamples:\n  $ incent completion bash > /etc/bash_completion.d/incent\n  $ incent completion zsh >> ~/.zshrc\n  $ incent completion fish > ~/.config/fish/completions/incent.fish',
    )
    .action(async (shell) => {
      const { completionScript } = await import('../commands/completion.js');
      process.stdout.write(completionScript(program, shell));
    });

  return program;
}
