/** calc --format csv: one line per partner and service, for spreadsheets and scripts. */
import { formatMoney } from '../money/index.js';
import type { CalcResult } from '../engine/types.js';

/** Quotes a cell per RFC 4180 and neutralises text that a spreadsheet would run as a formula. */
export function csvCell(v: string | number | boolean): string {
  let s = String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s) && !/^[+-]?\d+(\.\d+)?$/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(cells: readonly (string | number | boolean)[]): string {
  return cells.map(csvCell).join(',') + '\n';
}

export const CALC_CSV_HEADER = [
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

export function renderCalcCsv(r: CalcResult): string {
  let out = csvLine(CALC_CSV_HEADER);
  for (const c of r.campaigns) {
    for (const p of c.partners) {
      for (const s of p.services) {
        out += csvLine([
          c.id,
          p.partnerId,
          p.status,
          s.service,
          s.qualified,
          s.customers,
          s.units,
          formatMoney(s.revenue, c.currency),
          formatMoney(s.earned, c.currency),
          formatMoney(s.amount, c.currency),
          c.currency,
          formatMoney(p.total, c.currency),
          formatMoney(p.payout, p.payoutCurrency),
          p.payoutCurrency,
          p.carriedForward ? formatMoney(p.carriedForward, c.currency) : '',
        ]);
      }
    }
  }
  return out;
}
