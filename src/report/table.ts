/** calc --format table: one table per campaign, for people at a terminal. */
import { formatMoney } from '../money/index.js';
import type { CalcResult, PartnerResult, ServiceResult } from '../engine/types.js';
import { REASON_TEXT, type Reason } from '../engine/reasons.js';
import { renderTable, type Column } from './text-table.js';

export function renderCalcTable(r: CalcResult): string {
  const out: string[] = [];
  for (const c of r.campaigns) {
    out.push(`${c.name} (${c.id}) · ${c.period.start} .. ${c.period.end} · as of ${c.asOf} · ${c.currency}`);
    const services = c.partners[0]?.services.map((s) => s.service) ?? [];
    const columns: Column[] = [
      { title: 'Partner' },
      { title: 'Status' },
      ...services.map((s) => ({ title: s, align: 'right' as const })),
      { title: 'Total', align: 'right' },
      { title: 'Payout', align: 'right' },
    ];
    const rows = c.partners.map((p) => [
      p.name ? `${p.partnerId} ${p.name}` : p.partnerId,
      statusText(p, c.currency),
      ...p.services.map((s) => serviceCell(s, c.currency)),
      formatMoney(p.total, c.currency) + (p.total.lt(p.subtotal) ? '*' : ''),
      `${formatMoney(p.payout, p.payoutCurrency)} ${p.payoutCurrency}`,
    ]);
    out.push(renderTable(columns, rows).trimEnd());
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
