/**
 * The trace: for every row, who it was credited to, which filter or gate it passed or
 * failed with the values compared, and what it earned (units x rate, revenue x FX x
 * percent) and what a cap trimmed. Summary lines carry what rows alone cannot: a
 * customer's netting or limits, a tier's pay, rounding, the campaign cap, the minimum.
 *
 * Caps trim in a stated order: earning items are taken by date, then transaction id
 * (summary lines last); the earliest fill the cap, the latest are trimmed.
 */
import { ZERO, type Decimal } from '../money/index.js';
import type { Reason } from './reasons.js';
import type { TxRow } from './types.js';
import type { RowEarning } from '../earn/types.js';

export type TraceStatus = 'earned' | 'counted' | 'excluded' | 'adjustment' | 'rounding' | 'cap' | 'minimum' | 'payout';

export interface TraceEvent {
  kind: 'row' | 'customer' | 'service' | 'partner';
  campaign: string;
  partner: string;
  service?: string;
  customer?: string;
  transactionId?: string;
  /** The row's subscription (reconcile matches on it). */
  subscriptionId?: string;
  file?: string;
  line?: number;
  date?: string;
  status: TraceStatus;
  reason?: Reason;
  detail: string;
  sku?: string;
  units?: number;
  rate?: Decimal;
  fx?: { rate: Decimal; source: string };
  /** Exact, in the campaign currency, before caps. */
  amount: Decimal;
  /** What caps took from it (zero or negative). */
  trimmed: Decimal;
  /** amount + trimmed: this item's share of what is paid. */
  paid: Decimal;
  /** Of `trimmed`, what the service cap took (the rest is the campaign cap's). Set by allocate. */
  serviceTrimmed?: Decimal;
}

/**
 * Words told on many rows (a date outside the period, a partner's gate, a licence
 * program, a SKU no service pays): each made once and numbered, so a trace writer can
 * quote each once.
 */
export class Phrases {
  readonly texts: string[] = [];
  private readonly ids = new Map<string, number>();

  id(text: string): number {
    let i = this.ids.get(text);
    if (i === undefined) this.ids.set(text, (i = this.texts.push(text) - 1));
    return i;
  }
}

/**
 * Where calc --explain tells each row as it is read: the rows a campaign excludes before
 * they accumulate (~9 in 10 of a year's rows) as the fields of their line, with no event
 * object; the others as events whose verdict waits for the end of the run.
 */
export interface AtOnce {
  /** `phrase`: the number of `detail` in the run's Phrases, or -1 when the words are the row's own. */
  excluded(
    campaign: string,
    partner: string,
    service: string | undefined,
    reason: Reason,
    detail: string,
    phrase: number,
    r: TxRow,
    file: string | undefined,
  ): void;
  /** A row that accumulated in `slot` of its service's table, told as if its customer and service qualify: CampaignRun.settle decides after finish. */
  pending(p: PendingRow): void;
}

/** What a row earns (units x rate, revenue x FX x percent), as the earning method tells it. */
export type Earning = RowEarning;

/** A pending row as the engine hands it to the trace (one object refilled per row: copy what you keep). */
export interface PendingRow {
  campaign: string;
  partner: string;
  service: string;
  row: TxRow;
  file: string | undefined;
  earning: Earning;
  slot: number;
}

/** A pending row's event (explain, JSON traces). */
export function pendingRowEvent(p: PendingRow): TraceEvent {
  const e = rowEvent(p.campaign, p.partner, p.service, p.row, p.file, p.earning.status, undefined, p.earning.detail);
  const g = p.earning;
  if (g.units !== undefined) e.units = g.units;
  if (g.rate !== undefined) e.rate = g.rate;
  if (g.fx !== undefined) e.fx = g.fx;
  e.amount = e.paid = g.amount;
  return e;
}

/** An input row's event, before what it earns or why it is excluded is filled in. */
export function rowEvent(
  campaign: string,
  partner: string,
  service: string | undefined,
  r: TxRow,
  file: string | undefined,
  status: TraceStatus,
  reason: Reason | undefined,
  detail: string,
): TraceEvent {
  return {
    kind: 'row',
    campaign,
    partner,
    amount: ZERO,
    trimmed: ZERO,
    paid: ZERO,
    transactionId: r.id,
    subscriptionId: r.subscriptionId,
    file,
    line: r.line,
    date: r.date,
    customer: r.customerId,
    sku: r.sku,
    service,
    status,
    reason,
    detail,
  };
}

/** The event of a row excluded before it accumulates. */
export function excludedEvent(
  campaign: string,
  partner: string,
  service: string | undefined,
  reason: Reason,
  detail: string,
  r: TxRow,
  file: string | undefined,
): TraceEvent {
  return rowEvent(campaign, partner, service, r, file, 'excluded', reason, detail);
}
