/**
 * payout statement: what one partner is paid by a recorded run, and why, in words a
 * partner can be sent: a header (payer, payee, statement date, run, period, payment
 * reference), per campaign the services earned to date, paid before, this run and the
 * payout (with the campaign currency where it differs), the reason for anything not
 * paid or clawed back, and totals per payout currency. Text or self-contained,
 * printable HTML. Data in, text out: the ledger's lines decide everything.
 */
import { Decimal, formatMoney, sumByCurrency } from '../money/index.js';
import { REASON_TEXT, type Reason } from '../engine/reasons.js';
import { esc } from './html.js';
import { csvLine } from '../csv-cells.js';

/** One recorded line of the run, as the ledger holds it. */
export interface StatementLine {
  campaign_id: string;
  currency: string;
  action: string;
  reason: string | null;
  earned_to_date: string;
  paid_before: string;
  amount: string;
  carried_forward: string;
  payout_amount: string;
  payout_currency: string;
  services: string;
  /** The exact rate the payout was converted at (null: none, or recorded before the ledger kept it). */
  payout_fx_rate?: string | null;
  /** JSON: per qualified service, { earned, cap, arithmetic } (null: recorded before the ledger kept it). */
  service_detail?: string | null;
}

/** A line's services: each one's amount, and how it comes about (the method's arithmetic, and the cap when it trimmed). */
function serviceRows(l: StatementLine): [service: string, amount: string, how: string][] {
  const detail = l.service_detail ? (JSON.parse(l.service_detail) as Record<string, { earned: string; cap?: string; arithmetic?: string }>) : {};
  return Object.entries(JSON.parse(l.services) as Record<string, string>).map(([service, amount]) => {
    const d = detail[service];
    if (!d) return [service, amount, ''];
    const arithmetic = d.arithmetic ? `${d.arithmetic} = ${d.earned}` : `earned ${d.earned}`;
    return [service, amount, d.cap && new Decimal(d.earned).gt(amount) ? `${arithmetic}; capped at ${d.cap}` : d.arithmetic ? arithmetic : ''];
  });
}

export interface StatementHeader {
  partner: string;
  name?: string;
  payer?: string;
  date: string;
  run: number;
  period: string;
  asOf: string;
  reference: string;
}

/** Reasons of a ledger line beyond the engine's row reasons. */
const LINE_REASONS: Record<string, string> = {
  BELOW_MINIMUM: 'the amount is below the minimum payout',
  EARNED_TO_DATE_DECREASED: 'what the partner has earned to date went down (a cancellation, a removal, a correction)',
};

export function reasonSentence(code: string | null): string {
  if (!code) return '';
  return `${code}: ${LINE_REASONS[code] ?? REASON_TEXT[code as Reason] ?? code}`;
}

/** What the run does for the line, in a few words. */
function whatItDoes(l: StatementLine): string {
  const why = l.reason ? ` (${reasonSentence(l.reason)})` : '';
  switch (l.action) {
    case 'pay':
      return `pays ${l.amount} ${l.currency}${why}`;
    case 'claw_back':
      return `claws back ${formatMoney(new Decimal(l.amount).negated(), l.currency)} ${l.currency}${why}`;
    case 'carried_forward':
      return `pays nothing: ${l.carried_forward} ${l.currency} is below the minimum and carried forward`;
    default:
      return `pays nothing${why}`;
  }
}

/** The payout, with the campaign-currency amount it converts where the currencies differ. */
function payoutWords(l: StatementLine): string {
  if (l.payout_currency === l.currency) return `${l.payout_amount} ${l.payout_currency}`;
  if (!l.payout_fx_rate) return `${l.payout_amount} ${l.payout_currency} (${l.amount} ${l.currency} converted to the payout currency)`;
  // The rate as recorded (exact), shown to 10 significant digits.
  const exact = new Decimal(l.payout_fx_rate);
  const shown = exact.toSignificantDigits(10);
  return `${l.payout_amount} ${l.payout_currency} (${l.amount} ${l.currency} at ${shown.toString()}${shown.eq(exact) ? '' : '…'} ${l.payout_currency} per ${l.currency})`;
}

/** A line with nothing to say: nothing earned, paid before, paid now or carried. */
export function isEmptyLine(l: StatementLine): boolean {
  return [l.earned_to_date, l.paid_before, l.amount, l.carried_forward, l.payout_amount].every((v) => new Decimal(v).isZero());
}

/** Payout totals per currency, in the currency's order of first appearance. */
function totals(lines: readonly StatementLine[]): [string, string][] {
  return [...sumByCurrency(lines.map((l) => [l.payout_currency, l.payout_amount] as const))].map(([cur, sum]) => [cur, formatMoney(sum, cur)]);
}

function headerText(h: StatementHeader): string[] {
  return [
    `Statement for ${h.partner}${h.name ? ` ${h.name}` : ''}: run ${h.run}, period ${h.period}, as of ${h.asOf}`,
    [h.payer ? `From ${h.payer}` : '', `statement date ${h.date}`, `payment reference ${h.reference}`].filter(Boolean).join('; '),
  ];
}

export function statementText(h: StatementHeader, lines: readonly StatementLine[], detail?: string): string {
  const out = headerText(h);
  if (lines.length === 0) out.push('', 'Nothing is paid, clawed back or carried forward in this run (--all lists every campaign).');
  for (const l of lines) {
    out.push('', `${l.campaign_id} (${l.currency}): this run ${whatItDoes(l)}; payout ${payoutWords(l)}`);
    for (const [s, a, how] of serviceRows(l)) out.push(`  ${s.padEnd(16)} ${a.padStart(12)}${how ? `  ${how}` : ''}`);
    out.push(`  ${'earned to date'.padEnd(16)} ${l.earned_to_date.padStart(12)}`);
    out.push(`  ${'paid before'.padEnd(16)} ${l.paid_before.padStart(12)}`);
    out.push(`  ${'this run'.padEnd(16)} ${l.amount.padStart(12)}`);
    out.push(`  ${'carried forward'.padEnd(16)} ${l.carried_forward.padStart(12)}`);
  }
  if (lines.length) out.push('', ...totals(lines).map(([cur, sum]) => `Total this run: ${sum} ${cur}`));
  if (detail) out.push('', "Detail: how it was earned, from the run's inputs", '', detail.trimEnd());
  return out.join('\n') + '\n';
}

const CSS = `body{font:14px/1.45 system-ui,sans-serif;margin:2rem;color:#1b1b1b}
td,th{padding:.3rem .6rem;border-bottom:1px solid #ddd;text-align:left}td.num{text-align:right;font-variant-numeric:tabular-nums}
table{border-collapse:collapse;margin:.4rem 0 1rem}section{break-inside:avoid;page-break-inside:avoid}tr{break-inside:avoid}
.meta{color:#555}pre{font-size:.85em;white-space:pre-wrap}@page{margin:15mm}@media print{body{margin:0}}`;

export function statementHtml(h: StatementHeader, lines: readonly StatementLine[], detail?: string): string {
  const [title, meta] = headerText(h);
  const sections = lines.map((l) => {
    return `<section><h2>${esc(l.campaign_id)}</h2><p>This run ${esc(whatItDoes(l))}; payout ${esc(payoutWords(l))}.</p>
<table><tr><th>Service</th><th>Earned to date</th><th>How</th></tr>${serviceRows(l)
      .map(([s, a, how]) => `<tr><td>${esc(s)}</td><td class="num">${esc(a)}</td><td>${esc(how)}</td></tr>`)
      .join('')}
<tr><th>Earned to date</th><td class="num">${esc(l.earned_to_date)}</td></tr><tr><th>Paid before</th><td class="num">${esc(l.paid_before)}</td></tr>
<tr><th>This run</th><td class="num">${esc(l.amount)}</td></tr><tr><th>Carried forward</th><td class="num">${esc(l.carried_forward)}</td></tr></table></section>`;
  });
  const total = lines.length
    ? `<table class="totals">${totals(lines)
        .map(([cur, sum]) => `<tr><th>Total this run</th><td class="num">${esc(sum)} ${esc(cur)}</td></tr>`)
        .join('')}</table>`
    : '<p>Nothing is paid, clawed back or carried forward in this run.</p>';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Statement ${esc(h.partner)} run ${h.run}</title>
<style>${CSS}</style></head><body>
<h1>Statement for ${esc(h.partner)}${h.name ? ` ${esc(h.name)}` : ''}</h1><p class="meta">${esc(title!.slice(title!.indexOf(': ') + 2))}<br>${esc(meta!)}</p>
${sections.join('\n')}
${total}
${detail ? `<section class="detail"><h2>Detail: how it was earned, from the run's inputs</h2><pre>${esc(detail)}</pre></section>` : ''}
</body></html>
`;
}

/** The statement as CSV: a row per campaign (service empty) and a row per service of it (its earned to date). */
export const STATEMENT_CSV_HEADER = [
  'run_id',
  'period',
  'partner_id',
  'partner_name',
  'campaign_id',
  'service',
  'currency',
  'earned_to_date',
  'paid_before',
  'this_run',
  'carried_forward',
  'payout_amount',
  'payout_currency',
  'payout_fx_rate',
  'action',
  'reason',
];

export function statementCsv(h: StatementHeader, lines: readonly StatementLine[]): string {
  const rows: string[][] = [];
  const id = [String(h.run), h.period, h.partner, h.name ?? ''];
  for (const l of lines) {
    rows.push([
      ...id,
      l.campaign_id,
      '',
      l.currency,
      l.earned_to_date,
      l.paid_before,
      l.amount,
      l.carried_forward,
      l.payout_amount,
      l.payout_currency,
      l.payout_fx_rate ?? '',
      l.action,
      l.reason ?? '',
    ]);
    for (const [s, a] of Object.entries(JSON.parse(l.services) as Record<string, string>))
      rows.push([...id, l.campaign_id, s, l.currency, a, '', '', '', '', '', '', '', '']);
  }
  return csvLine(STATEMENT_CSV_HEADER) + rows.map((r) => csvLine(r)).join('');
}

/** One partner's entry in a folder of statements. */
export interface IndexEntry {
  partner: string;
  name?: string;
  html: string;
  csv: string;
  /** Payout per currency, formatted. */
  totals: [string, string][];
}

/** index.html of a folder of statements: a line per partner, its totals, links to its files. */
export function statementIndexHtml(run: { id: number; period: string; asOf: string }, entries: readonly IndexEntry[], payer?: string): string {
  const rows = entries
    .map(
      (e) =>
        `<tr><td>${esc(e.partner)}</td><td>${esc(e.name ?? '')}</td><td class="num">${e.totals.map(([cur, sum]) => `${esc(sum)} ${esc(cur)}`).join('<br>')}</td>` +
        `<td><a href="${esc(e.html)}">statement</a> · <a href="${esc(e.csv)}">CSV</a></td></tr>`,
    )
    .join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Statements, run ${run.id}</title>
<style>${CSS}</style></head><body>
<h1>Statements of run ${run.id}</h1><p class="meta">period ${esc(run.period)}, as of ${esc(run.asOf)}${payer ? `; from ${esc(payer)}` : ''}; ${entries.length} partner${entries.length === 1 ? '' : 's'}</p>
<table><tr><th>Partner</th><th>Name</th><th>This run</th><th>Files</th></tr>
${rows}
</table>
</body></html>
`;
}

export { totals as statementTotals };
