/** incent compare's outputs: a table and summary for people, JSON (schemaVersion 1), CSV, HTML. */
import { formatMoney, formatMoneyGrouped, type Decimal } from '../money/index.js';
import type { CompareOutcome } from '../reconcile/compare.js';
import type { CampaignChange, CurrencyTotal, PartnerChange, ServiceChange } from '../reconcile/compare.js';
import { csvLine } from '../csv-cells.js';
import { esc } from './html.js';
import { renderTable } from './text-table.js';

const m = (d: Decimal | null, currency: string) => (d === null ? null : formatMoney(d, currency));
const signed = (d: Decimal, currency: string) => `${d.gt(0) ? '+' : ''}${formatMoney(d, currency)}`;

/** "this scenario costs 16.00 USD more; 1 partner gains, 0 lose" */
export function costSentence(totals: readonly CurrencyTotal[], gain: number, lose: number): string {
  const money = totals
    .filter((t) => !t.difference.isZero())
    .map((t) => `${formatMoneyGrouped(t.difference.abs(), t.currency)} ${t.currency} ${t.difference.gt(0) ? 'more' : 'less'}`);
  const cost = money.length ? `the scenario pays ${money.join(', ')}` : 'the scenario pays the same';
  return `${cost}; ${gain} partner${gain === 1 ? '' : 's'} gain${gain === 1 ? 's' : ''}, ${lose} lose${lose === 1 ? 's' : ''}`;
}

function serviceJson(s: ServiceChange, currency: string) {
  return {
    service: s.service,
    qualified: s.qualified,
    before: m(s.amount.before, currency),
    after: m(s.amount.after, currency),
    difference: formatMoney(s.difference, currency),
    tierChange: s.tierChange,
  };
}

function partnerJson(p: PartnerChange, currency: string) {
  return {
    partnerId: p.partnerId,
    ...(p.name ? { name: p.name } : {}),
    status: p.status,
    statusChange: p.statusChange,
    total: { before: m(p.total.before, currency), after: m(p.total.after, currency) },
    payout: { before: m(p.payout.before, p.payoutCurrency), after: m(p.payout.after, p.payoutCurrency) },
    payoutCurrency: p.payoutCurrency,
    payoutDifference: formatMoney(p.payoutDifference, p.payoutCurrency),
    services: p.services.map((s) => serviceJson(s, currency)),
  };
}

const totalsJson = (ts: readonly CurrencyTotal[]) =>
  ts.map((t) => ({
    currency: t.currency,
    before: formatMoney(t.before, t.currency),
    after: formatMoney(t.after, t.currency),
    difference: formatMoney(t.difference, t.currency),
  }));

export function compareJson(o: CompareOutcome): string {
  const c = o.comparison;
  return (
    JSON.stringify(
      {
        schemaVersion: 1,
        before: o.before,
        after: o.after,
        summary: costSentence(c.totals, c.gain, c.lose),
        totals: totalsJson(c.totals),
        gain: c.gain,
        lose: c.lose,
        campaigns: c.campaigns.map((k) => ({
          id: k.id,
          currency: k.currency,
          totals: totalsJson(k.totals),
          gain: k.gain,
          lose: k.lose,
          unchanged: k.unchanged,
          partners: k.partners.map((p) => partnerJson(p, k.currency)),
        })),
        ...(c.onlyBefore.length ? { onlyBefore: c.onlyBefore } : {}),
        ...(c.onlyAfter.length ? { onlyAfter: c.onlyAfter } : {}),
      },
      null,
      2,
    ) + '\n'
  );
}

export const COMPARE_CSV_HEADER = [
  'campaign_id',
  'partner_id',
  'partner_name',
  'service',
  'status_before',
  'status_after',
  'before',
  'after',
  'difference',
  'currency',
  'qualified_before',
  'qualified_after',
  'tier_change',
];

/**
 * A line per partner (service empty: its payout, in the payout currency) and a line per
 * service that changed (campaign currency). Summing `difference` over the lines with an
 * empty service, per currency, gives what the scenario costs.
 */
export function compareCsv(o: CompareOutcome): string {
  let out = csvLine(COMPARE_CSV_HEADER);
  const b = (v: boolean | null) => (v === null ? '' : v);
  for (const k of o.comparison.campaigns) {
    for (const p of k.partners) {
      out += csvLine([
        k.id,
        p.partnerId,
        p.name ?? '',
        '',
        p.status.before ?? '',
        p.status.after ?? '',
        m(p.payout.before, p.payoutCurrency) ?? '',
        m(p.payout.after, p.payoutCurrency) ?? '',
        formatMoney(p.payoutDifference, p.payoutCurrency),
        p.payoutCurrency,
        '',
        '',
        '',
      ]);
      for (const s of p.services) {
        out += csvLine([
          k.id,
          p.partnerId,
          p.name ?? '',
          s.service,
          '',
          '',
          m(s.amount.before, k.currency) ?? '',
          m(s.amount.after, k.currency) ?? '',
          formatMoney(s.difference, k.currency),
          k.currency,
          b(s.qualified.before),
          b(s.qualified.after),
          s.tierChange ?? '',
        ]);
      }
    }
  }
  return out;
}

function servicesText(p: PartnerChange, currency: string): string {
  // A service on one side only (its campaign or partner is new, or gone) says how it stands, not that it changed.
  const qualifiedWords = (q: { before: boolean | null; after: boolean | null }) =>
    q.before === q.after
      ? ''
      : q.before === null
        ? ` (${q.after ? 'qualified' : 'not qualified'})`
        : q.after === null
          ? ''
          : ` (${q.after ? 'now qualified' : 'no longer qualified'})`;
  return p.services
    .map((s) => `${s.service} ${signed(s.difference, currency)}${qualifiedWords(s.qualified)}${s.tierChange ? ` (${s.tierChange})` : ''}`)
    .join('; ');
}

function campaignText(k: CampaignChange): string {
  const head = `${k.id} · ${k.currency} · ${costSentence(k.totals, k.gain, k.lose)}; ${k.unchanged} unchanged`;
  if (k.partners.length === 0) return head;
  const table = renderTable(
    [
      { title: 'Partner' },
      { title: 'Status' },
      { title: 'Payout before', align: 'right' },
      { title: 'After', align: 'right' },
      { title: 'Difference', align: 'right' },
      { title: 'Services' },
    ],
    k.partners.map((p) => [
      `${p.partnerId}${p.name ? ` ${p.name}` : ''}`,
      p.statusChange ?? p.status.after ?? '',
      p.payout.before ? `${formatMoney(p.payout.before, p.payoutCurrency)} ${p.payoutCurrency}` : '-',
      p.payout.after ? `${formatMoney(p.payout.after, p.payoutCurrency)} ${p.payoutCurrency}` : '-',
      signed(p.payoutDifference, p.payoutCurrency),
      servicesText(p, k.currency),
    ]),
  );
  return `${head}\n${table.trimEnd()}`;
}

export function compareTable(o: CompareOutcome): string {
  const c = o.comparison;
  const out = [`before: ${o.before}`, `after:  ${o.after}`, `In all, ${costSentence(c.totals, c.gain, c.lose)}.`, '', ...c.campaigns.map(campaignText)];
  if (c.onlyBefore.length) out.push(`only before: ${c.onlyBefore.join(', ')}`);
  if (c.onlyAfter.length) out.push(`only after: ${c.onlyAfter.join(', ')}`);
  return out.join('\n') + '\n';
}

export function compareHtml(o: CompareOutcome): string {
  const c = o.comparison;
  const sections = c.campaigns
    .map(
      (k) =>
        `<section><h2>${esc(k.id)}</h2><p>${esc(costSentence(k.totals, k.gain, k.lose))}; ${k.unchanged} unchanged</p>` +
        (k.partners.length
          ? `<table><tr><th>Partner</th><th>Status</th><th class="num">Before</th><th class="num">After</th><th class="num">Difference</th><th>Services</th></tr>` +
            k.partners
              .map(
                (p) =>
                  `<tr><td>${esc(p.partnerId)}${p.name ? ` ${esc(p.name)}` : ''}</td><td>${esc(p.statusChange ?? p.status.after ?? '')}</td>` +
                  `<td class="num">${p.payout.before ? esc(formatMoneyGrouped(p.payout.before, p.payoutCurrency)) : '-'}</td><td class="num">${p.payout.after ? esc(formatMoneyGrouped(p.payout.after, p.payoutCurrency)) : '-'}</td>` +
                  `<td class="num">${esc(signed(p.payoutDifference, p.payoutCurrency))} ${esc(p.payoutCurrency)}</td><td>${esc(servicesText(p, k.currency))}</td></tr>`,
              )
              .join('') +
            '</table>'
          : '') +
        '</section>',
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>incent compare</title>
<style>body{font:14px/1.45 system-ui,sans-serif;margin:2rem}table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #ddd;padding:.3rem .5rem;text-align:left}.num{text-align:right;font-variant-numeric:tabular-nums}tr{break-inside:avoid}</style></head>
<body><h1>incent compare</h1><p>before: ${esc(o.before)}<br>after: ${esc(o.after)}</p><p><strong>${esc(costSentence(c.totals, c.gain, c.lose))}</strong></p>
${sections}
</body></html>
`;
}
