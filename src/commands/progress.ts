/**
 * incent progress: per partner and service, what stands between the partner and more
 * money: qualifying customers N of M, customers close to qualifying, the next tier,
 * room under each cap, the gap to the minimum payout and the days left in the period.
 * Partners closest to a threshold come first: a distributor uses this to nudge resellers.
 */
import { daysBetween } from '../dates.js';
import { formatMoney, ZERO, type Decimal } from '../money/index.js';
import type { PartnerVerdict, SettledCampaign } from '../engine/verdicts.js';
import { renderTable } from '../report/text-table.js';
import { foldable, foldNote } from '../report/table.js';
import { JSON_VERSION } from '../report/json.js';
import { computeRun, type RunOptions, type Warnings } from './inputs.js';

export type ProgressFormat = 'table' | 'json';

export interface ProgressOptions extends RunOptions {
  partner?: string;
  format: ProgressFormat;
  /** The table: the terminal's width (none: full width), and whether to list ineligible partners that earned nothing. */
  width?: number;
  all?: boolean;
}

export interface Nudge {
  service?: string;
  /** What is missing, in words: "1 more qualifying customer", "C203: 1 more seat". */
  text: string;
  /** How far, as a share of the threshold (0 = there; 1 = nothing yet): the sort key. */
  distance: number;
}

export interface PartnerProgress {
  campaign: string;
  partnerId: string;
  name?: string;
  status: string;
  total: string;
  currency: string;
  daysLeft: number;
  services: {
    service: string;
    qualified: boolean;
    customers: number;
    customersNeeded: number;
    amount: string;
    capRoom?: string;
    tier?: { counted: number; reached?: number; next?: number; toNext?: number };
  }[];
  campaignCapRoom?: string;
  minimumGap?: string;
  nudges: Nudge[];
}

function progressOf(cr: SettledCampaign, v: PartnerVerdict): PartnerProgress {
  const c = cr.c;
  const r = v.result;
  const money = (d: Decimal) => formatMoney(d, c.currency);
  const daysLeft = Math.max(0, daysBetween(cr.asOf, c.period.end));
  const nudges: Nudge[] = [];
  const services: PartnerProgress['services'] = [];
  for (const sv of v.services.values()) {
    const res = sv.result;
    const q = sv.def.qualify;
    services.push({
      service: res.service,
      qualified: res.qualified,
      customers: res.customers,
      customersNeeded: res.customersNeeded,
      amount: money(res.amount),
      ...(res.cap ? { capRoom: money(res.cap.minus(res.amount).isNegative() ? ZERO : res.cap.minus(res.amount)) } : {}),
      ...(res.tier ? { tier: { counted: res.tier.counted, reached: res.tier.reached, next: res.tier.next, toNext: res.tier.toNext } } : {}),
    });
    if (r.status === 'ineligible') continue;
    if (!res.qualified && res.customersNeeded > res.customers) {
      const missing = res.customersNeeded - res.customers;
      nudges.push({
        service: res.service,
        text: `${res.service}: ${missing} more qualifying customer${missing === 1 ? '' : 's'} (${res.customers} of ${res.customersNeeded})`,
        distance: missing / res.customersNeeded,
      });
    }
    if (res.tier?.toNext !== undefined && res.tier.next !== undefined) {
      const unit = res.tier.toNext === 1 ? res.tier.counts.replace(/s$/, '') : res.tier.counts;
      nudges.push({
        service: res.service,
        text: `${res.service}: ${res.tier.toNext} more ${unit} reach${res.tier.toNext === 1 ? 'es' : ''} the tier at ${res.tier.next}`,
        distance: res.tier.toNext / res.tier.next,
      });
    }
    for (const cv of sv.customers.values()) {
      if (cv.reason !== 'CUSTOMER_BELOW_MINIMUM') continue;
      if (q?.unitsPerCustomer !== undefined && cv.units < q.unitsPerCustomer) {
        const more = q.unitsPerCustomer - cv.units;
        const what = sv.def.method.measure === 'usage' ? 'active users' : 'seats';
        nudges.push({
          service: res.service,
          text: `${res.service}: customer ${cv.customerId} has ${cv.units} ${what}, ${more} more qualif${more === 1 ? 'ies' : 'y'} it`,
          distance: more / q.unitsPerCustomer,
        });
      } else if (q?.revenuePerCustomer !== undefined && cv.revenue.lt(q.revenuePerCustomer)) {
        const more = q.revenuePerCustomer.minus(cv.revenue);
        nudges.push({
          service: res.service,
          text: `${res.service}: customer ${cv.customerId} billed ${money(cv.revenue)}, ${money(more)} ${c.currency} more qualifies it`,
          distance: more.div(q.revenuePerCustomer).toNumber(),
        });
      }
    }
  }
  const campaignCapRoom = c.cap ? (c.cap.gt(r.total) ? c.cap.minus(r.total) : ZERO) : undefined;
  let minimumGap: Decimal | undefined;
  if (c.minimumPayout && r.status === 'below_minimum') {
    minimumGap = c.minimumPayout.amount.minus(r.total);
    nudges.push({
      text: `${money(minimumGap)} ${c.currency} more reaches the ${money(c.minimumPayout.amount)} minimum payout`,
      distance: minimumGap.div(c.minimumPayout.amount).toNumber(),
    });
  }
  nudges.sort((a, b) => a.distance - b.distance);
  return {
    campaign: c.id,
    partnerId: r.partnerId,
    ...(r.name ? { name: r.name } : {}),
    status: r.status,
    total: money(r.total),
    currency: c.currency,
    daysLeft,
    services,
    ...(campaignCapRoom ? { campaignCapRoom: money(campaignCapRoom) } : {}),
    ...(minimumGap ? { minimumGap: money(minimumGap) } : {}),
    nudges,
  };
}

export async function progress(opts: ProgressOptions, warnings: Warnings): Promise<string> {
  const run = await computeRun(opts, warnings, true);
  const all: PartnerProgress[] = [];
  /** The partners a table folds into a count line, decided from their results as calc's table decides (not from their words). */
  const folds = new Set<PartnerProgress>();
  for (const cr of run.ev.settled) {
    for (const [partner, v] of cr.verdicts) {
      if (opts.partner && partner !== opts.partner) continue;
      const p = progressOf(cr, v);
      all.push(p);
      if (foldable(v.result)) folds.add(p);
    }
  }
  // Closest to a threshold first; partners with nothing to reach (ineligible, or at every cap) last.
  const closeness = (p: PartnerProgress) => p.nudges[0]?.distance ?? Infinity;
  all.sort((a, b) => closeness(a) - closeness(b) || (a.campaign < b.campaign ? -1 : a.campaign > b.campaign ? 1 : a.partnerId < b.partnerId ? -1 : 1));
  if (opts.format === 'json') return JSON.stringify({ schemaVersion: JSON_VERSION, partners: all }, null, 2) + '\n';
  // The table: ineligible partners that earned nothing are folded into a count line unless --all.
  const listed = opts.all ? all : all.filter((p) => !folds.has(p));
  const folded = all.length - listed.length;
  const rows = listed.map((p) => [
    p.campaign,
    p.name ? `${p.partnerId} ${p.name}` : p.partnerId,
    p.status,
    `${p.total} ${p.currency}`,
    (p.nudges
      .slice(0, 2)
      .map((n) => n.text)
      .join('; ') || (p.status === 'ineligible' ? '(ineligible)' : '-')) + (p.nudges.length > 2 ? ` (+${p.nudges.length - 2} more)` : ''),
    p.status === 'ineligible'
      ? ''
      : p.services
          .filter((s) => s.capRoom !== undefined && s.qualified)
          .map((s) => `${s.service} ${s.capRoom}`)
          .join(', ') + (p.campaignCapRoom ? `${p.services.some((s) => s.capRoom !== undefined && s.qualified) ? '; ' : ''}campaign ${p.campaignCapRoom}` : ''),
    String(p.daysLeft),
  ]);
  // Too wide for the terminal: the next step, then the room under caps, go on lines under each partner.
  return (
    renderTable(
      [
        { title: 'Campaign', min: 12 },
        { title: 'Partner', min: 16 },
        { title: 'Status' },
        { title: 'Total', align: 'right' },
        { title: 'Next step (closest first)', stack: 1 },
        { title: 'Room under caps', stack: 2 },
        { title: 'Days left', align: 'right' },
      ],
      rows,
      { width: opts.width },
    ).trimEnd() +
    '\n' +
    (folded ? `${foldNote(folded)}\n` : '')
  );
}
