/**
 * One run of the command line: parse, run the command, and turn every outcome into an exit code
 * (0 done, 1 bad input or refused, 2 wrong command line, 70 internal error). The only place that
 * prints an error. The binary (src/cli.ts) adds signals; the tests call `runMain` in-process.
 */
import { CommanderError } from 'commander';
import { InvalidInputError } from '../diagnostics.js';
import { formatDiagnosticsText } from '../report/diagnostics.js';
import { useBoxDrawing } from '../report/text-table.js';
import { removeAllTemps } from '../temp-files.js';
import { applyDefaults, configPath, readConfig } from '../config.js';
import { buildProgram } from './program.js';
import { EXIT_INTERNAL, EXIT_INVALID, EXIT_OK, EXIT_USAGE } from './options.js';

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

async function main(argv: string[]): Promise<number> {
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
    const { LedgerError, ledgerFailure } = await import('../ledger/errors.js');
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

/** Runs the command line `argv` (as process.argv: node, script, args...) and returns its exit code; never throws. */
export async function runMain(argv: string[]): Promise<number> {
  const debug = argv.includes('--debug') || process.env.INCENT_DEBUG === '1';
  try {
    return await main(argv);
  } catch (e) {
    removeAllTemps();
    const message = e instanceof Error ? e.message : String(e);
    process.stderr.write(
      debug && e instanceof Error && e.stack
        ? `incent: internal error: ${e.stack}\n`
        : `incent: internal error: ${message}\n(this is a bug in incent; run again with --debug for the stack, and report it)\n`,
    );
    return EXIT_INTERNAL;
  }
}
