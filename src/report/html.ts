/**
 * calc --format html: one self-contained page (inline CSS, no script, no network) a
 * person can open: per campaign the partners' totals, a bar per service against its
 * cap, and the rows excluded by reason.
 */
import { formatMoney, ZERO } from '../money/index.js';
import type { CalcResult, CampaignResult, ServiceResult } from '../engine/types.js';
import { REASON_TEXT, type Reason } from '../engine/reasons.js';

export const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Width of a bar in whole percent of its cap (display only). */
function percentOfCap(s: ServiceResult): number {
  if (!s.cap || s.cap.isZero()) return s.amount.isZero() ? 0 : 100;
  const p = s.amount.div(s.cap).times(100);
  return Math.min(100, Math.max(0, Number(p.toDecimalPlaces(0).toString())));
}

function serviceCell(s: ServiceResult, currency: string): string {
  const amount = formatMoney(s.amount, currency);
  if (!s.qualified)
    return `<td class="svc muted" data-service="${esc(s.service)}">not qualified<br><small>${s.customers} of ${s.customersNeeded} customers</small></td>`;
  const pct = percentOfCap(s);
  const capped = s.amount.lt(s.earned);
  const cap = s.cap ? ` of ${formatMoney(s.cap, currency)}` : '';
  return (
    `<td class="svc" data-service="${esc(s.service)}"><span class="amount">${amount}</span>${capped ? ' <span class="capped" title="earned ' + formatMoney(s.earned, currency) + '">capped</span>' : ''}` +
    `<div class="bar" role="img" aria-label="${amount}${cap}"><div style="width:${pct}%"></div></div><small>${pct}%${cap}</small></td>`
  );
}

function campaignSection(c: CampaignResult): string {
  const services = c.partners[0]?.services.map((s) => s.service) ?? [];
  const rows = c.partners
    .map(
      (p) =>
        `<tr data-partner="${esc(p.partnerId)}"><th scope="row">${esc(p.partnerId)}${p.name ? ` <small>${esc(p.name)}</small>` : ''}</th>` +
        `<td class="status ${p.status}">${p.status}${p.reason ? `<br><small>${esc(p.reason.code)}</small>` : ''}</td>` +
        p.services.map((s) => serviceCell(s, c.currency)).join('') +
        `<td class="num total">${formatMoney(p.total, c.currency)}</td>` +
        `<td class="num payout">${formatMoney(p.payout, p.payoutCurrency)} ${esc(p.payoutCurrency)}${p.carriedForward ? `<br><small>${formatMoney(p.carriedForward, c.currency)} carried forward</small>` : ''}</td></tr>`,
    )
    .join('\n');
  const excluded = (Object.entries(c.rows.excluded) as [Reason, number][]).filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1]);
  const max = Math.max(1, ...excluded.map(([, n]) => n));
  const reasons = excluded
    .map(
      ([r, n]) =>
        `<tr data-reason="${r}"><th scope="row"><code>${r}</code></th><td class="num">${n}</td><td><div class="bar thin"><div style="width:${Math.max(1, Math.floor((n * 100) / max))}%"></div></div></td><td><small>${esc(REASON_TEXT[r])}</small></td></tr>`,
    )
    .join('\n');
  const paid = c.partners.reduce((a, p) => (p.payoutCurrency === c.currency ? a.plus(p.payout) : a), ZERO);
  return `<section id="${esc(c.id)}">
<h2>${esc(c.name)} <small>${esc(c.id)} · ${c.period.start} .. ${c.period.end} · as of ${c.asOf} · ${c.currency}</small></h2>
<p class="summary">${c.partners.length} partners · ${c.partners.filter((p) => p.status === 'payable').length} payable · <span class="paid">${formatMoney(paid, c.currency)}</span> ${c.currency} paid in ${c.currency} · rows: ${c.rows.read} read, ${c.rows.used} used, ${c.rows.read - c.rows.used} excluded</p>
<table class="partners"><thead><tr><th>Partner</th><th>Status</th>${services.map((s) => `<th>${esc(s)}</th>`).join('')}<th>Total</th><th>Payout</th></tr></thead>
<tbody>
${rows}
</tbody></table>
<h3>Rows excluded, by reason</h3>
<table class="reasons"><tbody>
${reasons || '<tr><td>none</td></tr>'}
</tbody></table>
</section>`;
}

export function renderHtml(r: CalcResult): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>incent payouts as of ${r.asOf}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:2rem;color:#1b1f24}
h2 small,h1 small{font-weight:normal;color:#57606a}
table{border-collapse:collapse;margin:.5rem 0 1.5rem}
th,td{border-bottom:1px solid #d0d7de;padding:.35rem .6rem;text-align:left;vertical-align:top}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.svc{min-width:9rem}.muted{color:#8c959f}
.bar{background:#eaeef2;height:.6rem;width:8rem;border-radius:3px;overflow:hidden;margin:.2rem 0}
.bar.thin{width:14rem}.bar>div{background:#2da44e;height:100%}
.capped{background:#fff8c5;border-radius:3px;padding:0 .3rem;font-size:.8em}
.status.payable{color:#1a7f37}.status.ineligible{color:#cf222e}.status.below_minimum{color:#9a6700}
</style></head>
<body>
<h1>incent payouts <small>as of ${r.asOf}</small></h1>
${r.campaigns.map(campaignSection).join('\n')}
${r.rejected ? `<p class="rejected">${r.rejected.rows} invalid rows set aside${r.rejected.file ? ` into ${esc(r.rejected.file)}` : ''}.</p>` : ''}
</body></html>
`;
}
