/** calc's CSV outputs (a row per campaign and partner, or per service with csv-long). */
import { formatMoney } from '../money/index.js';
import { csvLine } from '../csv-cells.js';
import type { CalcResult, ServiceResult } from '../engine/types.js';

/**
 * calc --format csv: one row per (campaign, partner), its services as columns, so that a
 * column's sum is a true total: `payout` summed per `payout_currency` is what is paid.
 * The services' columns are the union over the campaigns, in the order they first appear
 * (empty where a campaign has no such service).
 */
/** A service's figures as both CSV layouts write them: qualified, customers, units, revenue, earned, amount. */
function serviceCells(s: ServiceResult, currency: string): (string | number | boolean)[] {
  return [s.qualified, s.customers, s.units, formatMoney(s.revenue, currency), formatMoney(s.earned, currency), formatMoney(s.amount, currency)];
}

export function renderCalcCsv(r: CalcResult): string {
  const services: string[] = [];
  for (const c of r.campaigns) for (const p of c.partners) for (const s of p.services) if (!services.includes(s.service)) services.push(s.service);
  const header = ['campaign_id', 'partner_id', 'partner_name', 'status', 'reason', 'currency'];
  for (const s of services) header.push(`${s}_qualified`, `${s}_customers`, `${s}_units`, `${s}_revenue`, `${s}_earned`, `${s}_amount`);
  header.push('total', 'payout', 'payout_currency', 'carried_forward');
  let out = csvLine(header);
  for (const c of r.campaigns) {
    for (const p of c.partners) {
      const cells: (string | number | boolean)[] = [c.id, p.partnerId, p.name ?? '', p.status, p.reason?.code ?? '', c.currency];
      for (const name of services) {
        const s = p.services.find((x) => x.service === name);
        cells.push(...(s ? serviceCells(s, c.currency) : ['', '', '', '', '', '']));
      }
      cells.push(
        formatMoney(p.total, c.currency),
        formatMoney(p.payout, p.payoutCurrency),
        p.payoutCurrency,
        p.carriedForward ? formatMoney(p.carriedForward, c.currency) : '',
      );
      out += csvLine(cells);
    }
  }
  return out;
}

export const CALC_CSV_LONG_HEADER = [
  'campaign_id',
  'partner_id',
  'status',
  'service',
  'qualified',
  'customers',
  'units',
  'revenue',
  'earned',
  'amount',
  'currency',
  'total',
  'payout',
  'payout_currency',
  'carried_forward',
];

/**
 * calc --format csv-long: a row per partner and service (its service's figures), then a
 * row per partner with an empty `service` carrying the partner's total and payout. Each
 * amount is on one row only, so a column's sum is a true total.
 */
export function renderCalcCsvLong(r: CalcResult): string {
  let out = csvLine(CALC_CSV_LONG_HEADER);
  for (const c of r.campaigns) {
    for (const p of c.partners) {
      for (const s of p.services) {
        out += csvLine([c.id, p.partnerId, p.status, s.service, ...serviceCells(s, c.currency), c.currency, '', '', '', '']);
      }
      out += csvLine([
        c.id,
        p.partnerId,
        p.status,
        '',
        '',
        '',
        '',
        '',
        '',
        '',
        c.currency,
        formatMoney(p.total, c.currency),
        formatMoney(p.payout, p.payoutCurrency),
        p.payoutCurrency,
        p.carriedForward ? formatMoney(p.carriedForward, c.currency) : '',
      ]);
    }
  }
  return out;
}
