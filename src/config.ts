/**
 * Defaults a monthly script need not repeat: `incent.yaml` (in the working folder, or
 * --config FILE, or INCENT_CONFIG) and INCENT_* environment variables give the input
 * options (rules, data, ledger, encoding, ...). Precedence: the command line, then the
 * environment, then the file, then incent's own defaults. Output paths and the choices
 * of one run (--out, --period, --partner, ...) are never taken from either.
 */
import { existsSync, readFileSync } from 'node:fs';
import { isMap, isScalar, LineCounter, parseDocument } from 'yaml';
import type { CommandUnknownOpts as Command, Option } from '@commander-js/extra-typings';
import { InvalidInputError, type Diagnostic } from './diagnostics.js';

/** The options a config file or the environment may set (long names, as on the command line). */
export const CONFIGURABLE = [
  'rules',
  'data',
  'transactions',
  'partners',
  'registrations',
  'fx',
  'usage',
  'claims',
  'eligibility',
  'earnings',
  'ledger',
  'preset',
  'columns',
  'charge-types',
  'encoding',
  'date-format',
  'decimal-comma',
  'on-invalid',
  'campaign',
  'as-of',
  'payout-date',
  'payer',
  'busy-timeout',
  'quiet',
  'verbose',
] as const;

/** INCENT_DATA for --data, INCENT_AS_OF for --as-of. */
export function envName(long: string): string {
  return `INCENT_${long.toUpperCase().replace(/-/g, '_')}`;
}

/** The config file this run reads, if any: --config FILE, INCENT_CONFIG, or ./incent.yaml. */
export function configPath(argv: readonly string[]): string | undefined {
  const i = argv.findIndex((a) => a === '--config' || a.startsWith('--config='));
  if (i >= 0) return argv[i]!.includes('=') ? argv[i]!.slice('--config='.length) : argv[i + 1];
  if (process.env.INCENT_CONFIG) return process.env.INCENT_CONFIG;
  return existsSync('incent.yaml') ? 'incent.yaml' : undefined;
}

/** The file's values by long option name, with the line each is on; refused whole on any problem. */
export function readConfig(file: string): Map<string, { value: unknown; line: number }> {
  if (!existsSync(file))
    throw new InvalidInputError([
      { code: 'MISSING_INPUT', severity: 'error', file, message: 'no such config file', expected: 'a YAML file of option: value lines', found: 'no file' },
    ]);
  const counter = new LineCounter();
  const doc = parseDocument(readFileSync(file, 'utf8'), { lineCounter: counter });
  const problems: Diagnostic[] = doc.errors.map((e) => ({
    code: 'CONFIG_INVALID',
    severity: 'error',
    file,
    line: e.linePos?.[0].line,
    column: e.linePos?.[0].col,
    message: e.message,
  }));
  const out = new Map<string, { value: unknown; line: number }>();
  const contents = doc.contents;
  if (!problems.length && contents !== null && !isMap(contents)) {
    problems.push({
      code: 'CONFIG_INVALID',
      severity: 'error',
      file,
      line: 1,
      message: 'expected a map of option: value',
      expected: 'data: exports/2018-01',
      found: String(doc.toJS()),
    });
  }
  const values = (problems.length ? {} : (doc.toJS() ?? {})) as Record<string, unknown>;
  for (const item of !problems.length && isMap(contents) ? contents.items : []) {
    const key = isScalar(item.key) ? String(item.key.value) : String(item.key);
    const line = counter.linePos((isScalar(item.key) ? item.key.range?.[0] : undefined) ?? 0).line;
    if (!(CONFIGURABLE as readonly string[]).includes(key)) {
      problems.push({
        code: 'CONFIG_UNKNOWN_KEY',
        severity: 'error',
        file,
        line,
        field: key,
        message: `"${key}" is not an option a config file can set`,
        expected: `one of ${CONFIGURABLE.join(', ')}`,
        found: key,
      });
      continue;
    }
    out.set(key, { value: values[key], line });
  }
  if (problems.length) throw new InvalidInputError(problems);
  return out;
}

/** Every command of the program, subcommands included. */
function allCommands(c: Command): Command[] {
  return [c, ...c.commands.flatMap(allCommands)];
}

/** An option's value from text (config or environment), as the command line would give it. */
function parseValue(option: Option, raw: unknown): unknown {
  if (option.variadic) return (Array.isArray(raw) ? raw : String(raw).split(',')).map(String);
  if (option.required || option.optional) return option.parseArg ? option.parseArg(String(raw), undefined as unknown as string) : String(raw);
  return raw === true || raw === 'true' || raw === '1';
}

/**
 * Before parsing: each configurable option of each command takes the config file's
 * value, then its INCENT_* variable over it, as its default, so a flag on the command
 * line replaces either (a variadic flag starts afresh, it does not add to them).
 */
export function applyDefaults(program: Command, config: Map<string, { value: unknown; line: number }> | undefined, file: string | undefined): void {
  for (const cmd of allCommands(program)) {
    for (const option of cmd.options as Option[]) {
      const long = option.long?.replace(/^--/, '');
      if (!long || !(CONFIGURABLE as readonly string[]).includes(long)) continue;
      // Shown in --help; the value itself is applied here (commander reads env only for options made with it).
      option.env(envName(long));
      const key = option.attributeName();
      const set = (raw: unknown, source: 'config' | 'env', where: Omit<Diagnostic, 'code' | 'severity' | 'message'>) => {
        let value: unknown;
        try {
          value = parseValue(option, raw);
        } catch (e) {
          throw new InvalidInputError([
            { code: 'CONFIG_INVALID', severity: 'error', ...where, field: long, message: (e as Error).message, found: String(raw) },
          ]);
        }
        option.default(value);
        cmd.setOptionValueWithSource(key, value, source);
      };
      const entry = config?.get(long);
      if (entry) set(entry.value, 'config', { file: file ?? 'incent.yaml', line: entry.line });
      const env = process.env[envName(long)];
      if (env !== undefined && env !== '') set(env, 'env', { file: envName(long) });
    }
  }
}
