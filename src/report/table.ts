/**
 * calc --format table: one table per campaign, for people at a terminal. Laid out to the
 * terminal's width: when the services do not fit as columns, they go on a line under each
 * partner; then the partner and status columns are shortened. Ineligible partners that
 * earned nothing are folded into one count line unless `all`.
 */
import { formatMoney } from '../money/index.js';
import type { CalcResult, PartnerResult, ServiceResult } from '../engine/types.js';
import { REASON_TEXT, type Reason } from '../engine/reasons.js';
import { fits, renderTable, type Column, type Layout } from './text-table.js';

export interface TableOptions extends Layout {
  /** List every partner, ineligible ones that earned nothing too. */
  all?: boolean;
}

/** The count line of the ineligible partners that earned nothing (calc and progress tables). */
export function foldNote(folded: number): string {
  return `  + ${folded} ineligible partner${folded === 1 ? '' : 's'} with nothing earned; --all lists ${folded === 1 ? 'it' : 'them'}`;
}

/** An ineligible partner with nothing earned: folded into a count line unless --all. */
export const foldable = (p: PartnerResult) => p.status === 'ineligible' && p.total.isZero() && p.payout.isZero();

export function renderCalcTable(r: CalcResult, opts: TableOptions = {}): string {
  const out: string[] = [];
  for (const c of r.campaigns) {
    out.push(`${c.name} (${c.id}) · ${c.period.start} .. ${c.period.end} · as of ${c.asOf} · ${c.currency}`);
    const services = c.partners[0]?.services.map((s) => s.service) ?? [];
    const listed = opts.all ? c.partners : c.partners.filter((p) => !foldable(p));
    const folded = c.partners.length - listed.length;
    const head = (p: PartnerResult) => [p.name ? `${p.partnerId} ${p.name}` : p.partnerId, statusText(p, c.currency)];
    const tail = (p: PartnerResult) => [
      formatMoney(p.total, c.currency) + (p.total.lt(p.subtotal) ? '*' : ''),
      `${formatMoney(p.payout, p.payoutCurrency)} ${p.payoutCurrency}`,
    ];
    const wide: Column[] = [
      { title: 'Partner', min: 16 },
      { title: 'Status', min: 10 },
      ...services.map((s) => ({ title: s, align: 'right' as const })),
      { title: 'Total', align: 'right' },
      { title: 'Payout', align: 'right' },
    ];
    const wideRows = listed.map((p) => [...head(p), ...p.services.map((s) => serviceCell(s, c.currency)), ...tail(p)]);
    if (opts.width === undefined || fits(wide, wideRows, opts.width)) out.push(renderTable(wide, wideRows, opts).trimEnd());
    else {
      // Too wide for the terminal: the services on a line under each partner.
      const narrow: Column[] = [
        { title: 'Partner', min: 16 },
        { title: 'Status', min: 10 },
        { title: 'Total', align: 'right' },
        { title: 'Payout', align: 'right' },
        { title: 'Services', stack: 1 },
      ];
      // A service's words stay on one line (no-break spaces inside it; lines break between services).
      const item = (s: ServiceResult) => `${s.service} ${serviceCell(s, c.currency)}`.replace(/ /g, '\u00a0');
      const narrowRows = listed.map((p) => [...head(p), ...tail(p), p.services.map(item).join(' · ')]);
      out.push(renderTable(narrow, narrowRows, opts).trimEnd());
    }
    if (folded) {
      const why = new Map<string, number>();
      for (const p of c.partners.filter(foldable)) why.set(p.reason?.code ?? 'PARTNER_INELIGIBLE', (why.get(p.reason?.code ?? 'PARTNER_INELIGIBLE') ?? 0) + 1);
      out.push(foldNote(folded));
      out.push(`    ${[...why].map(([code, n]) => `${code} ${n}`).join(', ')}`);
    }
    out.push(
      c.partners.some((p) => p.services.some((s) => s.tier))
        ? '  * capped   - not qualified: qualifying customers / needed   tier N: the tier reached, +M: more the next tier needs'
        : '  * capped   - not qualified: qualifying customers / needed',
    );
    const ex = Object.entries(c.rows.excluded).filter(([, n]) => n && n > 0) as [Reason, number][];
    const excludedTotal = ex.reduce((a, [, n]) => a + n, 0);
    out.push(`  rows: ${c.rows.read} read, ${c.rows.used} used, ${excludedTotal} excluded`);
    for (const [code, n] of ex.sort((a, b) => b[1] - a[1])) out.push(`    ${String(n).padStart(7)}  ${code.padEnd(26)} ${REASON_TEXT[code]}`);
    out.push('');
  }
  if (r.rejected) {
    out.push(
      `${r.rejected.rows} invalid row${r.rejected.rows === 1 ? '' : 's'} set aside (--on-invalid skip)${r.rejected.file ? ` into ${r.rejected.file}` : ''}, in no campaign's counts:`,
    );
    for (const [why, n] of Object.entries(r.rejected.reasons)) out.push(`    ${String(n).padStart(7)}  ${why}`);
    out.push('');
  }
  return out.join('\n');
}

function statusText(p: PartnerResult, currency: string): string {
  if (p.status === 'ineligible') return `ineligible (${p.reason?.code ?? 'PARTNER_INELIGIBLE'})`;
  const notes: string[] = [];
  if (p.reason) notes.push(`part lost: ${p.reason.code}`);
  if (p.carriedForward) notes.push(`${formatMoney(p.carriedForward, currency)} carried forward`);
  return notes.length ? `${p.status} (${notes.join(', ')})` : p.status;
}

function serviceCell(s: ServiceResult, currency: string): string {
  const t = s.tier;
  const tier = t ? (t.reached !== undefined ? ` tier ${t.reached}` : '') + (t.toNext !== undefined ? ` +${t.toNext}` : '') : '';
  if (s.qualified) return `${formatMoney(s.amount, currency)}${s.amount.lt(s.earned) ? '*' : ''}${tier ? ` (${tier.trim()})` : ''}`;
  if (t) return `- ${t.counted} ${t.counts}${tier}`;
  return `- ${s.customers}/${s.customersNeeded} cust`;
}
