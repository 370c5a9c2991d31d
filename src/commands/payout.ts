/**
 * incent payout: monthly payout runs recorded in a SQLite ledger. A run computes what
 * each partner has earned to date, subtracts what recorded runs already paid, and
 * records the difference (pay, claw back, or carry forward below a minimum), with the
 * sha256 of every input and campaign file. Each period is paid exactly once: the same
 * inputs again change nothing; other inputs are refused unless --supersede.
 */
import { VERSION } from '../version.js';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { InvalidInputError } from '../diagnostics.js';
import { daysInMonth } from '../dates.js';
import type { Campaign } from '../campaign/model.js';
import {
  getRun,
  initLedger,
  inWriteTransaction,
  listRuns,
  openLedger,
  readState,
  withLedgerErrors,
  writeRun,
  type InputRow,
  type LineAction,
  type NewLine,
  type RunRow,
} from '../ledger/ledger.js';
import { describeChanges, inputsDigestOf, lineJson, PayoutFxMissing, planLines, planRun, type Refusal } from '../ledger/plan.js';
import { renderTable } from '../report/text-table.js';
import { camelKeys, JSON_VERSION } from '../report/json.js';
import { computeRun, type Run, type RunOptions, type Warnings } from './inputs.js';

export interface PayoutRunOptions extends RunOptions {
  period: string;
  ledger: string;
  supersede?: boolean;
  reason?: string;
  busyTimeoutMs?: number;
}

export interface CommandOutput {
  output: string;
  exitCode: number;
  /** A refusal's message goes to stderr. */
  toStderr?: boolean;
}

const PERIOD_RE = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function usage(code: string, flag: string, message: string, expected: string, found: string): InvalidInputError {
  return new InvalidInputError([{ code, severity: 'error', file: flag, message, expected, found }]);
}

/** The last day of a YYYY-MM period: a run's default as_of. */
export function periodEnd(period: string): string {
  const m = PERIOD_RE.exec(period);
  if (!m) throw usage('BAD_PERIOD', '--period', '--period is not a month', 'YYYY-MM, e.g. 2018-01', period);
  return `${period}-${String(daysInMonth(Number(m[1]), Number(m[2]))).padStart(2, '0')}`;
}

async function sha256(file: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(file)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** Every file the run depends on: inputs, campaign files, rate cards. */
export async function hashInputs(run: Run): Promise<InputRow[]> {
  const files = [...run.files];
  const cards = new Set<string>();
  for (const c of run.campaigns) {
    files.push({ role: 'campaign', path: c.file });
    for (const s of c.services) {
      for (const e of s.rateCard?.values() ?? []) if (e.file !== c.file) cards.add(e.file);
    }
  }
  for (const f of cards) files.push({ role: 'rate-card', path: f });
  const out: InputRow[] = [];
  for (const f of files) out.push({ ...f, sha256: await sha256(f.path) });
  return out.sort((a, b) => (a.role + a.path < b.role + b.path ? -1 : 1));
}

function inputsDigest(inputs: readonly InputRow[]): string {
  return createHash('sha256').update(inputsDigestOf(inputs).join('\n')).digest('hex');
}

export type PayoutFormat = 'table' | 'json';

/** `incent payout init`: a new, empty ledger (an existing incent ledger is left as it is). */
export function payoutInit(ledger: string): CommandOutput {
  const r = initLedger(ledger);
  return {
    output: r.created
      ? `created the ledger ${ledger} (schema ${r.version})\n`
      : `${ledger} is already an incent ledger (schema ${r.version}); nothing changed\n`,
    exitCode: 0,
  };
}

/** Test hook: hold the write transaction open this long (ms), to test kill -9 and races. */
function pauseForTests(): void {
  const ms = Number(process.env.INCENT_TEST_PAUSE_IN_TX_MS ?? 0);
  if (ms > 0) {
    process.stderr.write('incent: (test) holding the ledger transaction\n');
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
  }
}

function refusalMessage(r: Refusal): string {
  if (r.kind === 'later-periods') {
    return (
      `period ${r.period} is not after the recorded period${r.later.length > 1 ? 's' : ''} ${r.later.join(', ')}: ` +
      `a run for it would count as unpaid what ${r.later.length > 1 ? 'those runs' : 'that run'} paid, and pay it twice.\n` +
      'nothing recorded. Run the next period instead, or correct this one with --supersede --reason "why".'
    );
  }
  return (
    `period ${r.run.run.period} is already recorded by run ${r.run.run.id} from other inputs:\n${r.changes.map((c) => `  ${c}`).join('\n')}\n` +
    'nothing recorded. To replace it with a correction run, pass --supersede --reason "why".'
  );
}

export async function payoutRun(opts: PayoutRunOptions & { dryRun?: boolean; format?: PayoutFormat }, warnings: Warnings): Promise<CommandOutput> {
  const asOf = opts.asOf ?? periodEnd(opts.period);
  periodEnd(opts.period);
  if (opts.supersede && !opts.reason) throw usage('BAD_FLAGS', '--supersede', '--supersede needs --reason TEXT', '--supersede --reason "..."', '(no reason)');
  // Refuse a missing or foreign ledger, or a period before a recorded one, before the computation
  // (the write transaction checks again: another run may record meanwhile).
  const peek = openLedger(opts.ledger, { readonly: true, busyTimeoutMs: opts.busyTimeoutMs });
  try {
    const later = readState(peek, opts.period, opts.ledger).later;
    if (later.length && !opts.supersede)
      return { output: refusalMessage({ kind: 'later-periods', period: opts.period, later }) + '\n', exitCode: 1, toStderr: true };
  } finally {
    peek.close();
  }
  const run = await computeRun({ ...opts, asOf }, warnings);
  const inputs = await hashInputs(run);
  const planInput = {
    result: run.result,
    campaigns: run.campaigns,
    fx: run.fx,
    payoutDate: (c: Campaign) => opts.payoutDate ?? run.result.campaigns.find((x) => x.id === c.id)?.asOf ?? asOf,
  };
  const runInfo = { period: opts.period, asOf, inputs, supersede: Boolean(opts.supersede) };
  const format = opts.format ?? 'table';
  const db = openLedger(opts.ledger, { readonly: Boolean(opts.dryRun), busyTimeoutMs: opts.busyTimeoutMs });
  try {
    const decide = () => {
      const plan = planRun(planInput, readState(db, opts.period, opts.ledger), runInfo);
      if (plan.kind !== 'record' || opts.dryRun) return { plan };
      const recorded = writeRun(db, {
        period: opts.period,
        asOf,
        version: VERSION,
        inputsDigest: inputsDigest(inputs),
        inputs,
        lines: plan.lines,
        supersedes: plan.supersedes,
        reason: opts.reason,
      });
      pauseForTests();
      return { plan, recorded };
    };
    const { plan, recorded } = opts.dryRun ? withLedgerErrors(opts.ledger, decide) : inWriteTransaction(db, opts.ledger, decide);
    if (plan.kind === 'refused') return { output: refusalMessage(plan.refusal) + '\n', exitCode: 1, toStderr: true };
    if (format === 'json') {
      const body =
        plan.kind === 'unchanged'
          ? {
              schemaVersion: JSON_VERSION,
              runId: plan.runId,
              period: opts.period,
              asOf,
              recorded: false,
              unchanged: true,
              dryRun: Boolean(opts.dryRun),
              lines: [],
            }
          : {
              schemaVersion: JSON_VERSION,
              runId: recorded?.id ?? null,
              period: opts.period,
              asOf,
              recorded: Boolean(recorded),
              dryRun: Boolean(opts.dryRun),
              supersedes: plan.supersedes ?? null,
              reason: opts.reason ?? null,
              lines: plan.lines.map(lineJson),
            };
      return { output: JSON.stringify(body, null, 2) + '\n', exitCode: 0 };
    }
    if (plan.kind === 'unchanged')
      return { output: `period ${opts.period} is already recorded by run ${plan.runId} from identical inputs: nothing changed\n`, exitCode: 0 };
    if (!recorded)
      return {
        output:
          `dry run: nothing recorded. A run for ${opts.period} (as of ${asOf}) would record:\n` +
          summaryCounts(plan.lines) +
          linesTable(plan.lines.filter((l) => l.action !== 'nothing')),
        exitCode: 0,
      };
    return { output: runSummary(recorded, plan.lines, plan.supersedes), exitCode: 0 };
  } catch (e) {
    if (e instanceof PayoutFxMissing) throw usage('MISSING_INPUT', 'fx.csv', e.message, 'fx.csv', 'no file');
    throw e;
  } finally {
    db.close();
  }
}

function summaryCounts(lines: readonly NewLine[]): string {
  const n = (a: LineAction) => lines.filter((l) => l.action === a).length;
  return `${n('pay')} to pay, ${n('claw_back')} to claw back, ${n('carried_forward')} carried forward\n`;
}

function runSummary(run: RunRow, lines: readonly NewLine[], replaced?: number): string {
  const head =
    `run ${run.id} recorded for ${run.period} (as of ${run.as_of})${replaced !== undefined ? `, superseding run ${replaced}: ${run.reason}` : ''}: ` +
    summaryCounts(lines);
  return head + linesTable(lines.filter((l) => l.action !== 'nothing'));
}

function linesTable(lines: readonly NewLine[]): string {
  if (lines.length === 0) return '';
  return renderTable(
    [
      { title: 'Campaign' },
      { title: 'Partner' },
      { title: 'Action' },
      { title: 'Reason' },
      { title: 'Earned to date', align: 'right' },
      { title: 'Paid before', align: 'right' },
      { title: 'This run', align: 'right' },
      { title: 'Carried', align: 'right' },
      { title: 'Payout', align: 'right' },
    ],
    lines.map((l) => [
      l.campaign_id,
      l.partner_id,
      l.action,
      l.reason ?? '',
      l.earned_to_date,
      l.paid_before,
      l.amount,
      l.carried_forward,
      `${l.payout_amount} ${l.payout_currency}`,
    ]),
  );
}

export function payoutList(ledger: string, format: 'table' | 'json'): string {
  const db = openLedger(ledger, { readonly: true });
  try {
    const runs = listRuns(db, ledger);
    if (format === 'json') return JSON.stringify({ schemaVersion: JSON_VERSION, runs: runs.map(camelKeys) }, null, 2) + '\n';
    if (runs.length === 0) return `no runs in ${ledger}\n`;
    return renderTable(
      [
        { title: 'Run', align: 'right' },
        { title: 'Period' },
        { title: 'As of' },
        { title: 'Status' },
        { title: 'Recorded at' },
        { title: 'Supersedes' },
        { title: 'Reason' },
      ],
      runs.map((r) => [String(r.id), r.period, r.as_of, r.status, r.created_at, r.supersedes ? String(r.supersedes) : '', r.reason ?? '']),
    );
  } finally {
    db.close();
  }
}

export function loadRun(ledger: string, id: string) {
  const n = Number(id);
  const db = openLedger(ledger, { readonly: true });
  try {
    const r = Number.isInteger(n) ? getRun(db, n, ledger) : undefined;
    if (!r) throw usage('UNKNOWN_RUN', 'RUN', `no run ${id} in ${ledger}`, 'a run id from `incent payout list`', id);
    return r;
  } finally {
    db.close();
  }
}

export function payoutShow(ledger: string, id: string, format: 'table' | 'json'): string {
  const { run, lines, inputs } = loadRun(ledger, id);
  if (format === 'json')
    return (
      JSON.stringify(
        {
          schemaVersion: JSON_VERSION,
          run: camelKeys(run),
          inputs,
          lines: lines.map((l) =>
            camelKeys({
              ...l,
              services: JSON.parse(l.services) as unknown,
              service_detail: l.service_detail === null ? null : (JSON.parse(l.service_detail) as unknown),
            }),
          ),
        },
        null,
        2,
      ) + '\n'
    );
  return (
    `run ${run.id} · period ${run.period} · as of ${run.as_of} · ${run.status}${run.supersedes ? ` · supersedes run ${run.supersedes} (${run.reason})` : ''} · incent ${run.incent_version}\n` +
    inputs.map((i) => `  ${i.role.padEnd(13)} ${i.sha256.slice(0, 16)}  ${i.path}`).join('\n') +
    '\n' +
    linesTable(lines)
  );
}

/** Recomputes a recorded run from its inputs, given again; every amount and every input hash must match. */
/**
 * A recorded run computed again from its inputs, given again (at the run's as_of), with
 * what differs among the inputs by role and sha256 (verify, statement --detail).
 */
export async function recomputeRun(recorded: RunRow, recordedInputs: readonly InputRow[], opts: RunOptions, warnings: Warnings, keepVerdicts = false) {
  const run = await computeRun({ ...opts, asOf: recorded.as_of }, warnings, keepVerdicts);
  const inputs = await hashInputs(run);
  return { run, inputs, changes: describeChanges(recordedInputs, inputs, recorded.as_of, recorded.as_of) };
}

export async function payoutVerify(opts: RunOptions & { ledger: string; run: string }, warnings: Warnings): Promise<CommandOutput> {
  const { run: recorded, lines, inputs: oldInputs } = loadRun(opts.ledger, opts.run);
  const { run, inputs, changes } = await recomputeRun(recorded, oldInputs, opts, warnings);
  const problems: string[] = changes;
  const paid = lines.map((l) => ({
    campaign_id: l.campaign_id,
    partner_id: l.partner_id,
    currency: l.currency,
    payout_currency: l.payout_currency,
    amounts: [l.paid_before],
  }));
  let planned: NewLine[];
  try {
    planned = planLines({ result: run.result, campaigns: run.campaigns, fx: run.fx, payoutDate: () => opts.payoutDate ?? recorded.as_of }, paid);
  } catch (e) {
    if (e instanceof PayoutFxMissing) throw usage('MISSING_INPUT', 'fx.csv', e.message, 'fx.csv', 'no file');
    throw e;
  }
  const again = new Map(planned.map((l) => [`${l.campaign_id}\u0000${l.partner_id}`, l]));
  for (const l of lines) {
    const n = again.get(`${l.campaign_id}\u0000${l.partner_id}`);
    for (const f of ['earned_to_date', 'amount', 'carried_forward', 'payout_amount'] as const) {
      if (!n || n[f] !== l[f]) problems.push(`${l.campaign_id} ${l.partner_id} ${f}: recorded ${l[f]}, recomputed ${n?.[f] ?? '(partner absent)'}`);
    }
  }
  if (problems.length === 0) return { output: `run ${recorded.id} verified: ${lines.length} lines and ${inputs.length} input files match\n`, exitCode: 0 };
  return { output: `run ${recorded.id} does not verify:\n${problems.map((p) => `  ${p}`).join('\n')}\n`, exitCode: 1 };
}
