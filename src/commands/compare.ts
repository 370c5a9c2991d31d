/**
 * incent compare: what a change would do. Two saved `calc --format json` results, or
 * a baseline run (--rules/--data) against a scenario (--with-rules, --with-data,
 * --add-transactions) computed now. Both sides go through calc's JSON shape, so a saved
 * file and a run compare alike.
 */
import { readFileSync } from 'node:fs';
import { InvalidInputError } from '../diagnostics.js';
import { resolveInputs } from '../input/data.js';
import { calcResultSchema, compareResults, type CalcJson, type CompareOutcome } from '../reconcile/compare.js';
import { CALC_JSON_VERSION, resultToJson } from '../report/json.js';
import { computeResult, type RunOptions, type Warnings } from './inputs.js';

export interface CompareOptions {
  /** Two saved calc JSON results: before, after. */
  files?: [string, string];
  /** The baseline run. */
  base?: RunOptions;
  withRules?: string[];
  withData?: string;
  addTransactions?: string[];
}

/** A saved calc JSON result, read and checked; refused with the file's name when it is not one this incent can read. */
export function readCalcJson(file: string): CalcJson {
  const text = readFileSync(file, 'utf8');
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new InvalidInputError([
      {
        code: 'NOT_JSON',
        severity: 'error',
        file,
        message: `not JSON: ${(e as Error).message}`,
        expected: 'the output of incent calc --format json',
        found: text.slice(0, 40),
      },
    ]);
  }
  const version = (data as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (version !== undefined && version !== CALC_JSON_VERSION) {
    throw new InvalidInputError([
      {
        code: 'INCOMPATIBLE_VERSION',
        severity: 'error',
        file,
        field: 'schemaVersion',
        message: `made by an incent whose calc JSON is version ${JSON.stringify(version)}; this incent reads version ${CALC_JSON_VERSION}: run calc again with this incent`,
        expected: `schemaVersion ${CALC_JSON_VERSION}`,
        found: JSON.stringify(version),
      },
    ]);
  }
  const parsed = calcResultSchema.safeParse(data);
  if (!parsed.success) {
    throw new InvalidInputError(
      parsed.error.issues.slice(0, 20).map((i) => ({
        code: 'NOT_A_CALC_RESULT',
        severity: 'error' as const,
        file,
        field: i.path.join('.'),
        message: `not a calc result: ${i.path.join('.') || '(top)'}: ${i.message}`,
        expected: 'the output of incent calc --format json',
      })),
    );
  }
  return parsed.data;
}

/** The result of a run, as calc --format json writes it. */
async function runAsJson(opts: RunOptions, warnings: Warnings): Promise<CalcJson> {
  return calcResultSchema.parse(JSON.parse(JSON.stringify(resultToJson(await computeResult(opts, warnings)))));
}

export async function compare(opts: CompareOptions, warnings: Warnings): Promise<CompareOutcome> {
  if (opts.files) {
    const [b, a] = opts.files;
    return { comparison: compareResults(readCalcJson(b), readCalcJson(a)), before: b, after: a };
  }
  const base = opts.base!;
  const scenario: RunOptions = { ...base };
  const changed: string[] = [];
  if (opts.withRules) {
    scenario.rules = opts.withRules;
    changed.push(`rules ${opts.withRules.join(', ')}`);
  }
  if (opts.withData) {
    scenario.data = opts.withData;
    changed.push(`data ${opts.withData}`);
  }
  if (opts.addTransactions) {
    scenario.transactions = [...(resolveInputs(scenario).transactionFiles ?? []), ...opts.addTransactions];
    changed.push(`added transactions ${opts.addTransactions.join(', ')}`);
  }
  const before = await runAsJson(base, warnings);
  const after = await runAsJson(scenario, warnings);
  return {
    comparison: compareResults(before, after),
    before: `rules ${base.rules.join(', ')}${base.data ? `, data ${base.data}` : ''}`,
    after: changed.join('; '),
  };
}
