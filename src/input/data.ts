/** Which input files a run reads: `--data DIR` by their names, or one flag per file. */
import { createWriteStream, existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { pipeline } from 'node:stream/promises';
import { InvalidInputError } from '../diagnostics.js';
import { trackTemp } from '../temp-files.js';
import { basename, dirname, join } from 'node:path';
import type { Diagnostic } from '../diagnostics.js';
import { requiredInputs, type Campaign, type InputName } from '../campaign/model.js';

export interface InputFlags {
  data?: string;
  /** One or more files or globs (`exports/*.csv`). */
  transactions?: string[];
  partners?: string;
  registrations?: string;
  fx?: string;
  usage?: string;
  claims?: string;
  eligibility?: string;
}

export const INPUT_FILES: Record<InputName, string> = {
  transactions: 'transactions.csv',
  partners: 'partners.csv',
  registrations: 'registrations.csv',
  fx: 'fx.csv',
  usage: 'usage.csv',
  claims: 'claims.csv',
  eligibility: 'eligibility.csv',
};

export type InputPaths = Partial<Record<InputName, string>> & { transactionFiles?: string[] };

export function resolveInputs(flags: InputFlags): InputPaths {
  const out: InputPaths = {};
  for (const name of Object.keys(INPUT_FILES) as InputName[]) {
    const explicit = name === 'transactions' ? flags.transactions?.[0] : flags[name];
    if (explicit) out[name] = explicit;
    else if (flags.data) {
      const p = join(flags.data, INPUT_FILES[name]);
      if (existsSync(p)) out[name] = p;
    }
  }
  if (flags.transactions?.length) out.transactionFiles = flags.transactions.flatMap(expandGlob);
  else if (out.transactions) out.transactionFiles = [out.transactions];
  return out;
}

/**
 * A file name with `*` or `?` in its last part matches the files of its folder (sorted),
 * for shells that pass the pattern through; no match keeps the pattern, so reading it
 * reports "no such file".
 */
export function expandGlob(pattern: string): string[] {
  const base = basename(pattern);
  if (!/[*?]/.test(base)) return [pattern];
  const dir = dirname(pattern);
  const re = new RegExp(
    `^${base
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [pattern];
  }
  const matched = names
    .filter((n) => re.test(n))
    .sort()
    .map((n) => join(dir, n));
  return matched.length ? matched : [pattern];
}

/** A campaign that needs a file that was not given is an error naming the file. */
export function missingInputs(campaigns: readonly Campaign[], paths: InputPaths, flags: InputFlags): Diagnostic[] {
  const out: Diagnostic[] = [];
  const needed = new Map<InputName, string[]>();
  for (const c of campaigns) for (const n of requiredInputs(c)) if (!paths[n]) needed.set(n, [...(needed.get(n) ?? []), c.id]);
  for (const [name, ids] of needed) {
    const where = flags.data ? `not found in ${flags.data}` : 'not given';
    out.push({
      code: 'MISSING_INPUT',
      severity: 'error',
      file: flags.data ? join(flags.data, INPUT_FILES[name]) : INPUT_FILES[name],
      message: `${INPUT_FILES[name]} is needed by ${ids.join(', ')} but was ${where}: pass --${name} FILE or put it in --data DIR`,
      expected: INPUT_FILES[name],
      found: 'no file',
    });
  }
  return out;
}

/**
 * `-` as an input file is standard input (as csvkit and xsv read it): copied once to a
 * temporary `stdin.csv` (removed when the process ends), since a file is read more than
 * once (its header first, billing exports twice). At most one input can be `-`.
 */
export async function materializeStdin<T extends InputFlags>(flags: T): Promise<T> {
  const keys = (['partners', 'registrations', 'fx', 'usage', 'claims', 'eligibility'] as const).filter((k) => flags[k] === '-');
  const inTransactions = flags.transactions?.filter((t) => t === '-').length ?? 0;
  if (keys.length + inTransactions === 0) return flags;
  if (keys.length + inTransactions > 1)
    throw new InvalidInputError([
      {
        code: 'BAD_FLAGS',
        severity: 'error',
        file: '-',
        message: 'only one input can be read from standard input (-)',
        expected: 'one - among the input flags',
        found: `${keys.length + inTransactions}`,
      },
    ]);
  const file = await stdinFile();
  const out = { ...flags };
  for (const k of keys) out[k] = file;
  if (inTransactions) out.transactions = flags.transactions!.map((t) => (t === '-' ? file : t));
  return out;
}

/** Standard input, copied once to a temporary `stdin.csv` (removed when the process ends). */
export async function stdinFile(): Promise<string> {
  const dir = trackTemp(mkdtempSync(join(tmpdir(), 'incent-stdin-')));
  const file = join(dir, 'stdin.csv');
  await pipeline(process.stdin, createWriteStream(file));
  return file;
}
