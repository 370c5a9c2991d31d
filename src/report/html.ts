/**
 * calc --format html: one self-contained page (inline CSS and SVG, no script, no network)
 * a person can open or print: per campaign its own period and as_of, the partners'
 * totals with the campaign cap marked where it trims, each service against its cap (a
 * bar only where a cap exists), how far a service is from its customer gate, where a
 * tiered service stands on its ladder, the totals paid per currency, and every row
 * accounted for (used, or excluded by reason). Amounts are shown with thousands
 * separators; the digits are the exact amounts.
 */
import { Decimal, formatMoneyGrouped, sumByCurrency } from '../money/index.js';
import type { CalcResult, CampaignResult, ServiceResult } from '../engine/types.js';
import type { TierStanding } from '../earn/index.js';
import { REASON_TEXT, type Reason } from '../engine/reasons.js';

export const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const shown = formatMoneyGrouped;

/** A whole percent of `of` (display only), clamped to 0..100. */
function percent(part: Decimal, of: Decimal): number {
  if (of.isZero()) return part.isZero() ? 0 : 100;
  return Math.min(100, Math.max(0, Number(part.div(of).times(100).toDecimalPlaces(0).toString())));
}

const W = 120;
const H = 10;

/** A meter: `pct` of the width filled, the end marked (a cap, a gate). */
function meter(pct: number, label: string, kind: 'cap' | 'gate'): string {
  const fill = kind === 'cap' ? (pct >= 100 ? '#bf8700' : '#2da44e') : '#d4a72c';
  const w = Math.floor((pct * W + 50) / 100);
  return (
    `<svg class="meter ${kind}" width="${W + 2}" height="${H}" viewBox="0 0 ${W + 2} ${H}" role="img" aria-label="${esc(label)}"><title>${esc(label)}</title>` +
    `<rect width="${W}" height="${H}" rx="2" fill="#eaeef2"/><rect width="${w}" height="${H}" rx="2" fill="${fill}"/>` +
    `<line x1="${W + 1}" y1="0" x2="${W + 1}" y2="${H}" stroke="#57606a" stroke-width="2"/></svg>`
  );
}

/** A tier ladder: a rung at the tier reached and the next one, and where the partner stands. */
function ladder(t: TierStanding): string {
  const top = Math.max(t.next ?? 0, t.reached ?? 0, t.counted, 1) * 1.1;
  const x = (n: number) => Math.floor((n * W) / top);
  const rung = (n: number, colour: string, name: string) =>
    `<line x1="${x(n)}" y1="0" x2="${x(n)}" y2="14" stroke="${colour}" stroke-width="2"><title>${name}: ${n}</title></line>`;
  const label =
    `${t.counted} ${t.counts} counted` +
    (t.reached !== undefined ? `; the tier at ${t.reached} reached` : '; no tier reached') +
    (t.next !== undefined ? `; the tier at ${t.next} needs ${t.toNext} more` : '');
  return (
    `<svg class="ladder" width="${W + 4}" height="16" viewBox="0 0 ${W + 4} 16" role="img" aria-label="${esc(label)}"><title>${esc(label)}</title>` +
    `<line x1="0" y1="7" x2="${W}" y2="7" stroke="#d0d7de" stroke-width="2"/>` +
    (t.reached !== undefined ? rung(t.reached, '#1a7f37', 'tier reached') : '') +
    (t.next !== undefined ? rung(t.next, '#8c959f', 'next tier') : '') +
    `<circle cx="${x(t.counted)}" cy="7" r="4" fill="#0969da"><title>counted: ${t.counted}</title></circle></svg>`
  );
}

function serviceCell(s: ServiceResult, currency: string): string {
  const amount = shown(s.amount, currency);
  const tier = s.tier ? `<br>${ladder(s.tier)}` : '';
  if (!s.qualified) {
    const gate =
      s.customersNeeded > 0
        ? `<br>${meter(percent(new Decimal(s.customers), new Decimal(s.customersNeeded)), `${s.customers} of ${s.customersNeeded} customers`, 'gate')}<small>${s.customers} of ${s.customersNeeded} customers</small>`
        : '';
    return `<td class="svc muted" data-service="${esc(s.service)}">not qualified${gate}${tier}</td>`;
  }
  const capped = s.amount.lt(s.earned);
  const cappedMark = capped ? ` <span class="capped" title="earned ${shown(s.earned, currency)}">capped</span>` : '';
  if (!s.cap) return `<td class="svc" data-service="${esc(s.service)}"><span class="amount">${amount}</span>${tier}</td>`;
  const pct = percent(s.amount, s.cap);
  const label = `${amount} of ${shown(s.cap, currency)}`;
  return `<td class="svc" data-service="${esc(s.service)}"><span class="amount">${amount}</span>${cappedMark}<br>${meter(pct, label, 'cap')}<small>${pct}% of cap ${shown(s.cap, currency)}</small>${tier}</td>`;
}

/** Every row of the campaign: used, or excluded by reason, as one stacked bar. */
function rowAccounting(c: CampaignResult, excluded: [Reason, number][]): string {
  const total = Math.max(1, c.rows.read);
  const parts: [string, number, string][] = [
    ['used', c.rows.used, '#2da44e'],
    ...excluded.map(([r, n], i): [string, number, string] => [r, n, GREYS[i % GREYS.length]!]),
  ];
  // Whole pixels from running sums, so the parts always end at the full width.
  let before = 0;
  const rects = parts
    .filter(([, n]) => n > 0)
    .map(([name, n, colour]) => {
      const x = Math.floor((before * 480) / total);
      before += n;
      const w = Math.floor((before * 480) / total) - x;
      return `<rect x="${x}" width="${w}" height="14" fill="${colour}"><title>${name}: ${n}</title></rect>`;
    })
    .join('');
  const label = `${c.rows.read} rows: ${c.rows.used} used, ${c.rows.read - c.rows.used} excluded`;
  return `<svg class="rows" width="480" height="14" viewBox="0 0 480 14" role="img" aria-label="${esc(label)}"><title>${esc(label)}</title>${rects}</svg>`;
}

const GREYS = ['#8c959f', '#afb8c1', '#6e7781', '#d0d7de', '#57606a'];

/** What the campaign pays, per payout currency (the campaign's first). */
function paidByCurrency(c: CampaignResult): [string, Decimal][] {
  return [...sumByCurrency(c.partners.map((p) => [p.payoutCurrency, p.payout] as const))].sort(([a], [b]) =>
    a === c.currency ? -1 : b === c.currency ? 1 : a < b ? -1 : 1,
  );
}

function campaignSection(c: CampaignResult): string {
  const services = c.partners[0]?.services.map((s) => s.service) ?? [];
  const rows = c.partners
    .map((p) => {
      const trimmed = p.total.lt(p.subtotal);
      const total = trimmed
        ? `<td class="num total">${shown(p.total, c.currency)}<br><small class="campaign-cap" title="the services add to ${shown(p.subtotal, c.currency)}">campaign cap: ${shown(p.subtotal, c.currency)} earned</small></td>`
        : `<td class="num total">${shown(p.total, c.currency)}</td>`;
      return (
        `<tr data-partner="${esc(p.partnerId)}"><th scope="row">${esc(p.partnerId)}${p.name ? ` <small>${esc(p.name)}</small>` : ''}</th>` +
        `<td class="status ${p.status}">${p.status}${p.reason ? `<br><small>${esc(p.reason.code)}</small>` : ''}</td>` +
        p.services.map((s) => serviceCell(s, c.currency)).join('') +
        total +
        `<td class="num payout">${shown(p.payout, p.payoutCurrency)} ${esc(p.payoutCurrency)}${p.carriedForward ? `<br><small>${shown(p.carriedForward, c.currency)} carried forward</small>` : ''}</td></tr>`
      );
    })
    .join('\n');
  const excluded = (Object.entries(c.rows.excluded) as [Reason, number][]).filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1]);
  const reasons = excluded
    .map(
      ([r, n]) => `<tr data-reason="${r}"><th scope="row"><code>${r}</code></th><td class="num">${n}</td><td><small>${esc(REASON_TEXT[r])}</small></td></tr>`,
    )
    .join('\n');
  const paid = paidByCurrency(c)
    .map(([cur, amount]) => `<span class="paid" data-currency="${esc(cur)}">${shown(amount, cur)} ${esc(cur)}</span>`)
    .join(' + ');
  return `<section id="${esc(c.id)}">
<h2>${esc(c.name)} <small>${esc(c.id)} · ${c.period.start} .. ${c.period.end} · as of ${c.asOf} · ${c.currency}</small></h2>
<p class="summary">${c.partners.length} partners · ${c.partners.filter((p) => p.status === 'payable').length} payable · paid: ${paid || '0'}</p>
<table class="partners"><thead><tr><th>Partner</th><th>Status</th>${services.map((s) => `<th>${esc(s)}</th>`).join('')}<th>Total</th><th>Payout</th></tr></thead>
<tbody>
${rows}
</tbody></table>
<h3>Every row accounted for</h3>
<p>${rowAccounting(c, excluded)}<br><small>${c.rows.read} read · ${c.rows.used} used · ${c.rows.read - c.rows.used} excluded</small></p>
<table class="reasons"><tbody>
${reasons || '<tr><td>no row excluded</td></tr>'}
</tbody></table>
</section>`;
}

export function renderHtml(r: CalcResult): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>incent payouts</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:2rem;color:#1b1f24}
h2 small,h1 small{font-weight:normal;color:#57606a}
table{border-collapse:collapse;margin:.5rem 0 1.5rem}
th,td{border-bottom:1px solid #d0d7de;padding:.35rem .6rem;text-align:left;vertical-align:top}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.svc{min-width:9rem}.muted{color:#8c959f}
svg{display:block;margin:.2rem 0}
.capped,.campaign-cap{background:#fff8c5;border-radius:3px;padding:0 .3rem;font-size:.8em}
.status.payable{color:#1a7f37}.status.ineligible{color:#cf222e}.status.below_minimum{color:#9a6700}
@media print{body{margin:0;font-size:10pt}section{break-inside:avoid-page}tr{break-inside:avoid}thead{display:table-header-group}}
@page{margin:12mm}
</style></head>
<body>
<h1>incent payouts <small>${r.campaigns.length} campaign${r.campaigns.length === 1 ? '' : 's'}, each as of its own date</small></h1>
${r.campaigns.map(campaignSection).join('\n')}
${r.rejected ? `<p class="rejected">${r.rejected.rows} invalid rows set aside${r.rejected.file ? ` into ${esc(r.rejected.file)}` : ''}.</p>` : ''}
</body></html>
`;
}
