import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCampaign } from '../src/campaign/parse.js';
import { resolveCampaign } from '../src/campaign/resolve.js';
import { inlineRateCard, type RateCard } from '../src/earn/rate-card.js';
import { runChecks } from '../src/campaign/checks.js';
import type { Campaign } from '../src/campaign/model.js';
import type { TxRow, UsageRow } from '../src/engine/types.js';
import { parseMicros } from '../src/money/index.js';
import { formatDiagnosticsText } from '../src/report/diagnostics.js';
import { runMain } from '../src/cli/main.js';

/** The built binary (test/global-setup.ts builds it once per test run). */
export const BINARY = join(process.cwd(), 'dist/cli.js');

/** A campaign from YAML text with inline rate cards only. */
export function campaignFromYaml(yaml: string, file = 'test.yaml'): Campaign {
  const parsed = parseCampaign(yaml, file);
  if (!parsed.raw) throw new Error(formatDiagnosticsText(parsed.diagnostics));
  const cards = new Map<string, RateCard>();
  for (const [name, s] of Object.entries(parsed.raw.services)) {
    const rates = s.per_unit?.rates ?? s.per_active_user?.rates;
    if (rates && typeof rates !== 'string') cards.set(name, inlineRateCard(rates, file, 1));
  }
  const errors = runChecks(parsed, parsed.raw, cards).filter((d) => d.severity === 'error');
  if (errors.length) throw new Error(formatDiagnosticsText(errors));
  return resolveCampaign(parsed.raw, file, cards);
}

let seq = 0;
/** A canonical transaction row with defaults: paid CSP, today's campaign partner P1. */
export function tx(p: Partial<TxRow> & { amount?: string | null }): TxRow {
  seq++;
  const amount = p.amount ?? null;
  return {
    id: p.id ?? `T${String(seq).padStart(6, '0')}`,
    line: p.line ?? seq + 1,
    date: '2017-03-01',
    partnerId: 'P1',
    resellerId: '',
    customerId: 'C1',
    country: 'US',
    sku: 'E3',
    service: '',
    licenseProgram: 'CSP',
    subscriptionId: '',
    subscriptionType: 'paid',
    quantity: null,
    currency: amount === null ? '' : 'USD',
    netNew: null,
    flags: null,
    ...p,
    amount,
    amountMicros: amount === null ? undefined : (parseMicros(amount) ?? undefined),
  };
}

let useq = 0;
/** A usage.csv row with defaults: an ExO event of user U1 of customer C1 on 2018-06-20. */
export function use(p: Partial<UsageRow>): UsageRow {
  useq++;
  return {
    line: useq + 1,
    date: '2018-06-20',
    customerId: 'C1',
    workload: 'ExO',
    sku: '',
    subscriptionId: '',
    userId: p.metric ? '' : 'U1',
    metric: '',
    value: null,
    country: '',
    flags: null,
    subscriptionType: '',
    licenseProgram: '',
    ...p,
  };
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the command line in this process (as `incent ARGS...` would run), capturing stdout and stderr;
 * `cwd` and `env` apply for the run and are put back after. Given `input` (standard input), it runs the
 * built binary instead. The true end-to-end tests use `runBinary`.
 */
export async function runCli(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string | Buffer } = {}): Promise<CliRun> {
  if (opts.input !== undefined) return runBinary(args, opts);
  const out: string[] = [];
  const err: string[] = [];
  const stdoutWrite = process.stdout.write;
  const stderrWrite = process.stderr.write;
  const capture =
    (into: string[]) =>
    (chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
      into.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      const done = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
      if (done) done();
      return true;
    };
  const cwd = process.cwd();
  const saved = new Map<string, string | undefined>();
  // Tables are laid out to $COLUMNS when set: a test gets full-width tables unless it asks for a width.
  for (const [k, v] of Object.entries({ COLUMNS: undefined, ...opts.env })) {
    saved.set(k, process.env[k]);
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  process.exitCode = undefined;
  process.stdout.write = capture(out) as typeof process.stdout.write;
  process.stderr.write = capture(err) as typeof process.stderr.write;
  try {
    if (opts.cwd) process.chdir(opts.cwd);
    const code = await runMain(['node', 'incent', ...args]);
    return { code, stdout: out.join(''), stderr: err.join('') };
  } finally {
    process.stdout.write = stdoutWrite;
    process.stderr.write = stderrWrite;
    process.chdir(cwd);
    process.exitCode = undefined;
    for (const [k, v] of saved) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

/** Runs the built binary `dist/cli.js` as a child process, as users do. */
export function runBinary(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string | Buffer } = {}): CliRun {
  const env: NodeJS.ProcessEnv = { ...process.env, ...opts.env };
  if (opts.env?.COLUMNS === undefined) delete env.COLUMNS;
  const r = spawnSync(process.execPath, [BINARY, ...args], {
    cwd: opts.cwd ?? process.cwd(),
    env,
    encoding: 'utf8',
    ...(opts.input !== undefined ? { input: opts.input } : {}),
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'incent-test-'));
}

/** Runs the CLI as a child process we can kill or wait on, resolving `seen` when `until` appears on stderr. */
export function startCli(args: string[], env: NodeJS.ProcessEnv = {}, until?: string) {
  const child = spawn(process.execPath, [BINARY, ...args], { env: { ...process.env, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  const seen = new Promise<void>((resolve) => {
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (until && stderr.includes(until)) resolve();
    });
  });
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { child, seen, done };
}
