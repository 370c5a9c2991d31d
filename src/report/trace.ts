/** Trace events as CSV rows or JSON objects (calc --explain, explain --format csv|json). */
import type { Earning, TraceEvent } from '../engine/trace.js';
import type { TxRow } from '../engine/types.js';
import { exactText } from '../money/index.js';
import { csvCell, formulaStart } from '../csv-cells.js';

export const TRACE_CSV_HEADER = [
  'campaign_id',
  'partner_id',
  'kind',
  'status',
  'reason',
  'service',
  'customer_id',
  'transaction_id',
  'file',
  'line',
  'date',
  'sku',
  'units',
  'rate',
  'fx_rate',
  'fx_source',
  'amount',
  'trimmed',
  'paid',
  'detail',
];

/** Exact decimals as text: no rounding, no exponent. */
const exact = (d: Parameters<typeof exactText>[0] | undefined) => (d === undefined ? '' : exactText(d));

/** csvCell for a column whose value repeats from line to line (campaign, service, file): the last answer is kept. */
function repeating(): (v: string) => string {
  let last = '';
  let quoted = '';
  return (v) => {
    if (v !== last) {
      last = v;
      quoted = csvCell(v);
    }
    return quoted;
  };
}
const campaignCell = repeating();
const serviceCell = repeating();
const fileCell = repeating();

/**
 * A cell of the row's own text: when the file had no quotes or carriage returns (plain),
 * only a formula's first character needs care; otherwise csvCell.
 */
export function rowCell(r: TxRow, v: string): string {
  return !r.plain || formulaStart(v) ? csvCell(v) : v;
}

/**
 * One trace line. Cells incent writes itself or has validated (kind, status, reason
 * codes, YYYY-MM-DD dates, numbers) need no quoting; cells that come from the inputs
 * or campaigns go through csvCell.
 */
export function traceCsvLine(e: TraceEvent): string {
  return (
    `${campaignCell(e.campaign)},${csvCell(e.partner)},${e.kind},${e.status},${e.reason ?? ''},${serviceCell(e.service ?? '')},` +
    `${csvCell(e.customer ?? '')},${csvCell(e.transactionId ?? '')},${fileCell(e.file ?? '')},${e.line ?? ''},${e.date ?? ''},` +
    `${csvCell(e.sku ?? '')},${e.units ?? ''},${exact(e.rate)},${exact(e.fx?.rate)},${csvCell(e.fx?.source ?? '')},` +
    `${exact(e.amount)},${exact(e.trimmed)},${exact(e.paid)},${csvCell(e.detail)}\n`
  );
}

export function traceJson(e: TraceEvent): Record<string, unknown> {
  const o: Record<string, unknown> = { campaign: e.campaign, partner: e.partner, kind: e.kind, status: e.status };
  if (e.reason) o.reason = e.reason;
  for (const k of ['service', 'customer', 'transactionId', 'file', 'line', 'date', 'sku', 'units'] as const) if (e[k] !== undefined && e[k] !== '') o[k] = e[k];
  if (e.rate) o.rate = exact(e.rate);
  if (e.fx) o.fx = { rate: exact(e.fx.rate), source: e.fx.source };
  o.amount = exact(e.amount);
  o.trimmed = exact(e.trimmed);
  o.paid = exact(e.paid);
  o.detail = e.detail;
  return o;
}

/** The cells of an earning (units .. fx_source, and the detail). */
export function earningCells(g: Earning): { tail: string; detail: string } {
  return { tail: `${g.units ?? ''},${exact(g.rate)},${exact(g.fx?.rate)},${csvCell(g.fx?.source ?? '')},`, detail: csvCell(g.detail) };
}

const partnerCell = repeating();

/** A pending row's first cells (campaign_id, partner_id, kind), as traceCsvLine writes them. */
export function pendingHead(campaign: string, partner: string): string {
  return `${campaignCell(campaign)},${partnerCell(partner)},row,`;
}
