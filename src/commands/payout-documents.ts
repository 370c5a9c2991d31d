/**
 * What a recorded run gives out: the payment file (a line per payee and currency, or
 * the run's lines) and a partner's statement. Read-only: the ledger's lines decide
 * everything; nothing is computed again.
 */
import { InvalidInputError } from '../diagnostics.js';
import type { LineRow, RunRow } from '../ledger/ledger.js';
import { csvLine } from '../csv-cells.js';
import { Decimal, formatMoney, sumByCurrency } from '../money/index.js';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeAtomic } from '../atomic-write.js';
import { isEmptyLine, statementCsv, statementHtml, statementIndexHtml, statementText, statementTotals, type IndexEntry } from '../report/statement.js';
import { readPartners } from '../input/tables.js';
import { RowProblems } from '../input/row-errors.js';
import { today } from '../dates.js';
import { camelKeys, JSON_VERSION } from '../report/json.js';
import { loadRun, recomputeRun, usage } from './payout.js';
import type { InputRow } from '../ledger/ledger.js';
import { explainRun } from './explain.js';
import type { RunOptions, Warnings } from './inputs.js';

export const EXPORT_HEADER = [
  'run_id',
  'period',
  'campaign_id',
  'partner_id',
  'status',
  'action',
  'reason',
  'earned_to_date',
  'paid_before',
  'amount',
  'carried_forward',
  'currency',
  'payout_amount',
  'payout_currency',
  'delta',
];

/** The payment file of a run. CSV cells that a spreadsheet would run as formulas are neutralised. */
export const PAYEES_HEADER = ['run_id', 'period', 'partner_id', 'partner_name', 'payout_amount', 'payout_currency', 'campaigns', 'lines'];

/**
 * The payment file of a run. By default a line per payee and payout currency (the sum
 * of the partner's lines; zero amounts left out unless `all`), so each line is one
 * payment; `lines` gives the run's lines themselves (a campaign and partner each).
 */
export async function payoutExport(
  ledger: string,
  id: string,
  o: { format: 'csv' | 'json'; lines?: boolean; all?: boolean; partnersFile?: string },
): Promise<string> {
  const { run, lines } = loadRun(ledger, id);
  if (!o.lines) return payeesExport(run, lines, o.format, Boolean(o.all), o.partnersFile ? await partnerNames(o.partnersFile) : new Map());
  const format = o.format;
  const rows = lines.map((l) => ({
    run_id: run.id,
    period: run.period,
    campaign_id: l.campaign_id,
    partner_id: l.partner_id,
    status: l.status,
    action: l.action,
    reason: l.reason ?? '',
    earned_to_date: l.earned_to_date,
    paid_before: l.paid_before,
    amount: l.amount,
    carried_forward: l.carried_forward,
    currency: l.currency,
    payout_amount: l.payout_amount,
    payout_currency: l.payout_currency,
    delta: l.delta ?? '',
  }));
  if (format === 'json')
    return (
      JSON.stringify(
        { schemaVersion: JSON_VERSION, run: { id: run.id, period: run.period, asOf: run.as_of, status: run.status }, payments: rows.map(camelKeys) },
        null,
        2,
      ) + '\n'
    );
  return csvLine(EXPORT_HEADER) + rows.map((r) => csvLine(EXPORT_HEADER.map((h) => r[h as keyof typeof r]))).join('');
}

/** partners.csv's names by partner id. */
async function partnerNames(file: string): Promise<Map<string, string>> {
  const problems = new RowProblems();
  const partners = await readPartners(file, problems);
  if (problems.count) throw new InvalidInputError(problems.all());
  return new Map([...partners].map(([id, p]) => [id, p.name]));
}

/** A payment per payee and payout currency: the sum of its lines, exact (the lines hold the currency's digits). */
function payeesExport(run: RunRow, lines: readonly LineRow[], format: 'csv' | 'json', all: boolean, names: ReadonlyMap<string, string>): string {
  const by = new Map<string, { partner: string; currency: string; amount: Decimal; campaigns: string[] }>();
  for (const l of lines) {
    const k = `${l.partner_id}\u0000${l.payout_currency}`;
    let p = by.get(k);
    if (!p) by.set(k, (p = { partner: l.partner_id, currency: l.payout_currency, amount: new Decimal(0), campaigns: [] }));
    p.amount = p.amount.plus(l.payout_amount);
    p.campaigns.push(l.campaign_id);
  }
  const payees = [...by.values()].filter((p) => all || !p.amount.isZero());
  const totals = sumByCurrency(payees.map((p) => [p.currency, p.amount] as const));
  const money = (d: Decimal, cur: string) => formatMoney(d, cur);
  if (format === 'json') {
    return (
      JSON.stringify(
        {
          schemaVersion: JSON_VERSION,
          run: { id: run.id, period: run.period, asOf: run.as_of, status: run.status },
          payments: payees.map((p) => ({
            partnerId: p.partner,
            ...(names.get(p.partner) ? { name: names.get(p.partner) } : {}),
            amount: money(p.amount, p.currency),
            currency: p.currency,
            campaigns: p.campaigns,
          })),
          totals: [...totals].map(([currency, amount]) => ({ currency, amount: money(amount, currency) })),
        },
        null,
        2,
      ) + '\n'
    );
  }
  return (
    csvLine(PAYEES_HEADER) +
    payees
      .map((p) =>
        csvLine([
          run.id,
          run.period,
          p.partner,
          names.get(p.partner) ?? '',
          money(p.amount, p.currency),
          p.currency,
          p.campaigns.join(';'),
          p.campaigns.length,
        ]),
      )
      .join('')
  );
}

/** How a statement is headed and what it lists (payout statement's flags). */
export interface StatementOptions {
  format: 'text' | 'html' | 'csv';
  /** Who pays (the distributor or the program). */
  payer?: string;
  /** partners.csv, for the payee's name. */
  partnersFile?: string;
  reference?: string;
  /** The statement's date (default: today). */
  date?: string;
  /** List campaigns with nothing to say too. */
  all?: boolean;
  /** --detail: the run's inputs again, to add the partner's arithmetic and rows (explain), checked by sha256 against the run. */
  detail?: RunOptions;
  warnings?: Warnings;
}

/**
 * A statement's detail: the partner's story as explain tells it (units x rate, revenue x
 * percent, the tier reached, every row), from the run's own inputs, given again: refused
 * unless every input's sha256 is the one the run recorded.
 */
async function statementDetail(run: RunRow, recorded: readonly InputRow[], partner: string, o: RunOptions, warnings: Warnings): Promise<string> {
  const { run: computed, changes } = await recomputeRun(run, recorded, o, warnings, true);
  if (changes.length)
    throw usage(
      'INPUTS_CHANGED',
      '--detail',
      `the inputs given are not run ${run.id}'s: ${changes.join('; ')}`,
      "the run's inputs, unchanged (see payout show)",
      'other inputs',
    );
  return explainRun(computed, { partner, format: 'table' });
}

/**
 * Every partner's statement of a run into `dir`: DIR/<partner>.html and DIR/<partner>.csv,
 * then DIR/index.html and DIR/index.csv listing them; each file written whole (a temporary
 * file, then a rename). Partners with nothing to say are left out unless `all`.
 */
export async function payoutStatements(ledger: string, id: string, dir: string, o: StatementOptions): Promise<string> {
  const { run, lines } = loadRun(ledger, id);
  const names = o.partnersFile ? await partnerNames(o.partnersFile) : new Map<string, string>();
  const byPartner = new Map<string, LineRow[]>();
  for (const l of lines) byPartner.set(l.partner_id, [...(byPartner.get(l.partner_id) ?? []), l]);
  mkdirSync(dir, { recursive: true });
  const entries: IndexEntry[] = [];
  for (const [partner, mine] of [...byPartner].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const shown = o.all ? mine : mine.filter((l) => !isEmptyLine(l));
    if (shown.length === 0) continue;
    const header = headerFor(run, partner, names.get(partner) || undefined, o);
    const file = safeName(partner);
    writeAtomic(join(dir, `${file}.html`), statementHtml(header, shown));
    writeAtomic(join(dir, `${file}.csv`), statementCsv(header, shown));
    entries.push({ partner, ...(header.name ? { name: header.name } : {}), html: `${file}.html`, csv: `${file}.csv`, totals: statementTotals(shown) });
  }
  writeAtomic(
    join(dir, 'index.csv'),
    csvLine(['partner_id', 'partner_name', 'payout_amount', 'payout_currency', 'html', 'csv']) +
      entries.flatMap((e) => e.totals.map(([cur, sum]) => csvLine([e.partner, e.name ?? '', sum, cur, e.html, e.csv]))).join(''),
  );
  writeAtomic(join(dir, 'index.html'), statementIndexHtml({ id: run.id, period: run.period, asOf: run.as_of }, entries, o.payer));
  return `wrote ${entries.length} statement${entries.length === 1 ? '' : 's'} of run ${run.id} (HTML and CSV each) and index.html, index.csv into ${dir}\n`;
}

/** A partner id as a file name: letters, digits, dot, dash and underscore; anything else becomes _. */
function safeName(partner: string): string {
  return partner.replace(/[^A-Za-z0-9._-]/g, '_') || '_';
}

function headerFor(run: RunRow, partner: string, name: string | undefined, o: StatementOptions) {
  return {
    partner,
    name,
    payer: o.payer,
    date: o.date ?? today(),
    run: run.id,
    period: run.period,
    asOf: run.as_of,
    reference: o.reference ?? `${run.period}-${partner}-run${run.id}`,
  };
}

/** What one partner is paid by a run, and why: earned to date per campaign and service, paid before, carried, clawed back. */
export async function payoutStatement(ledger: string, id: string, partner: string, o: StatementOptions): Promise<string> {
  const { run, lines, inputs } = loadRun(ledger, id);
  const mine = lines.filter((l) => l.partner_id === partner);
  if (mine.length === 0) throw usage('UNKNOWN_PARTNER', '--partner', `run ${run.id} has no line for partner ${partner}`, 'a partner of this run', partner);
  const name = o.partnersFile ? (await partnerNames(o.partnersFile)).get(partner) || undefined : undefined;
  const header = headerFor(run, partner, name, o);
  const shown = o.all ? mine : mine.filter((l) => !isEmptyLine(l));
  const detail = o.detail ? await statementDetail(run, inputs, partner, o.detail, o.warnings ?? { warn() {} }) : undefined;
  return o.format === 'html' ? statementHtml(header, shown, detail) : o.format === 'csv' ? statementCsv(header, shown) : statementText(header, shown, detail);
}
