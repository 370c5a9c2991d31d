/**
 * reconcile --format html: a dispute pack per partner, self-contained (inline CSS, no
 * script) and printable (A4 or Letter; a partner to a page, no table cut across a
 * row): each open difference with incent's arithmetic, Microsoft's lines, the
 * difference and the deadline to dispute it.
 */
import type { Reconciliation } from '../reconcile/match.js';
import type { CampaignReconciliation, PartnerReconciliation } from '../reconcile/match.js';
import { esc } from './html.js';
import { itemSubject, itemWhy, moneyText } from './reconcile.js';

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem;color:#1b1b1b}
h1{font-size:1.3rem;margin:0 0 .2rem}h2{font-size:1.1rem;margin:1.2rem 0 .4rem}
table{border-collapse:collapse;width:100%;margin:.4rem 0 1rem}th,td{border-bottom:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.cat{font-weight:600}.passed{color:#a00}.muted{color:#666}small{color:#555}
section.partner{page-break-after:always;break-after:page}section.partner:last-child{page-break-after:auto;break-after:auto}
tr{page-break-inside:avoid;break-inside:avoid}
@page{margin:15mm}@media print{body{margin:0}}
`;

function partnerSection(c: CampaignReconciliation, p: PartnerReconciliation, asOf: string): string {
  const cur = c.currency;
  const open = p.items.filter((i) => i.open || i.categories.includes('ADJUSTMENT'));
  const rows = open
    .map(
      (i) =>
        `<tr><td class="cat">${esc(i.categories.join(', '))}</td><td>${esc(itemSubject(i))}<br><small>${esc(itemWhy(i, cur))}</small></td>` +
        `<td class="num">${i.expected ? esc(moneyText(i.expected, cur)) : '-'}</td><td class="num">${i.paid ? esc(moneyText(i.paid, cur)) : '-'}</td>` +
        `<td class="num">${esc(moneyText(i.difference, cur))}</td><td class="${i.deadlinePassed ? 'passed' : ''}">${i.open && i.disputeBy ? `${esc(i.disputeBy)}${i.deadlinePassed ? ' (passed)' : ''}` : ''}</td></tr>`,
    )
    .join('\n');
  return `<section class="partner" data-partner="${esc(p.partnerId)}">
<h1>${esc(p.partnerId)}${p.name ? ` ${esc(p.name)}` : ''}: ${esc(c.name)}</h1>
<p class="muted">Microsoft program "${esc(c.program)}" · amounts in ${esc(cur)} · deadlines judged on ${esc(asOf)} (${c.disputeWindowDays} days from the earning date)</p>
<table><tr><th class="num">Expected (incent)</th><th class="num">Paid (Microsoft)</th><th class="num">Difference</th><th>Items</th><th>Earliest dispute deadline</th></tr>
<tr><td class="num">${esc(moneyText(p.expected, cur))}</td><td class="num">${esc(moneyText(p.paid, cur))}</td><td class="num">${esc(moneyText(p.difference, cur))}</td>
<td>${esc(
    Object.entries(p.counts)
      .map(([k, n]) => `${n} ${k}`)
      .join(', '),
  )}</td><td class="${p.deadlinePassed ? 'passed' : ''}">${p.disputeBy ? esc(p.disputeBy) + (p.deadlinePassed ? ' (passed)' : '') : ''}</td></tr></table>
<h2>Open differences and adjustments</h2>
${open.length ? `<table><tr><th>Category</th><th>Item and why</th><th class="num">Expected</th><th class="num">Paid</th><th class="num">Difference</th><th>Dispute by</th></tr>\n${rows}</table>` : '<p>None: every item matched.</p>'}
</section>`;
}

/** One page for the partners given (default: every partner with an item). */
export function disputePack(r: Reconciliation, only?: { campaign: string; partner: string }): string {
  const sections: string[] = [];
  for (const c of r.campaigns)
    for (const p of c.partners) if (!only || (only.campaign === c.id && only.partner === p.partnerId)) sections.push(partnerSection(c, p, r.asOf));
  const title = only ? `Dispute pack ${only.partner}` : 'incent reconcile';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${CSS}</style></head>
<body>
${sections.join('\n')}
</body></html>
`;
}
