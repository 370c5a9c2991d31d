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

/**
 * A spooled row's line in parts, which calc --explain writes as bytes (the spool keeps
 * the row's own values as stored here): CSV_PARTS and JSON_PARTS give the bytes of
 * traceCsvLine and of JSON.stringify(traceJson(...)) for the same event. A line is
 * head, status, then service, customer, id, file, line, date and sku (the mid), then
 * the earning's tail, the money (amount, trimmed, paid), the detail and the end.
 */
export interface LineParts {
  /** A row's own value as the spool keeps it: CSV its cell; JSON its string, or nothing when it is empty (its key is left out). */
  rowValue(r: TxRow, v: string): string;
  /** An earning's units to fx source (tail), and its detail. */
  earning(g: Earning): { tail: string; detail: string };
  head(campaign: string, partner: string): string;
  status(status: 'earned' | 'counted'): string;
  excluded(reason: string): string;
  service(service: string): string;
  file(file: string): string;
  date(date: string): string;
  /** Whether a row's empty value leaves its key out (JSON), rather than being an empty cell (CSV). */
  readonly skipEmpty: boolean;
  /** Before customer, id, line and sku (JSON: their keys, written only with a value), and after sku. */
  readonly keys: { customer: string; id: string; line: string; sku: string; afterSku: string };
  /** Around amount, trimmed and paid: before, between, between, after. */
  readonly money: readonly [string, string, string, string];
  /** Units to paid of a row excluded after all. */
  readonly excludedMoney: string;
  /** An exclusion's detail and the line's end. */
  exclusionDetail(detail: string): string;
  /** After an earning's detail. */
  readonly end: string;
}

export const CSV_PARTS: LineParts = {
  rowValue: rowCell,
  earning: earningCells,
  head: pendingHead,
  status: (s) => `${s},`,
  excluded: (reason) => `excluded,${reason}`,
  service: (s) => `,${csvCell(s)},`,
  file: (f) => `,${csvCell(f)},`,
  date: (d) => `,${d},`,
  skipEmpty: false,
  keys: { customer: '', id: ',', line: '', sku: '', afterSku: ',' },
  money: ['', ',', ',', ','],
  excludedMoney: ',,,,0,0,0,',
  exclusionDetail: (detail) => `${csvCell(detail)}\n`,
  end: '\n',
};

const json = (v: string) => JSON.stringify(v);

export const JSON_PARTS: LineParts = {
  rowValue: (_r, v) => (v === '' ? '' : json(v)),
  earning: (g) => ({
    tail:
      (g.units !== undefined ? `,"units":${g.units}` : '') +
      (g.rate ? `,"rate":${json(exact(g.rate))}` : '') +
      (g.fx ? `,"fx":{"rate":${json(exact(g.fx.rate))},"source":${json(g.fx.source)}}` : ''),
    detail: `,"detail":${json(g.detail)}`,
  }),
  head: (campaign, partner) => `{"campaign":${json(campaign)},"partner":${json(partner)},"kind":"row","status":`,
  status: (s) => json(s),
  excluded: (reason) => `"excluded","reason":${json(reason)}`,
  service: (s) => (s === '' ? '' : `,"service":${json(s)}`),
  file: (f) => (f === '' ? '' : `,"file":${json(f)}`),
  date: (d) => (d === '' ? '' : `,"date":${json(d)}`),
  skipEmpty: true,
  keys: { customer: ',"customer":', id: ',"transactionId":', line: ',"line":', sku: ',"sku":', afterSku: '' },
  money: [',"amount":"', '","trimmed":"', '","paid":"', '"'],
  excludedMoney: ',"amount":"0","trimmed":"0","paid":"0"',
  exclusionDetail: (detail) => `,"detail":${json(detail)}}\n`,
  end: '}\n',
};
