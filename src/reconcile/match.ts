/**
 * Reconcile: incent's decisions (each row's share of what is paid, after caps) against
 * Microsoft's earnings, item by item. Pure: no file or console I/O.
 *
 * An earning is matched to incent's rows by the most specific key its lines carry:
 * the transaction (transactionId / LineItemId), then subscription + SKU + month, then
 * customer + SKU + month. Earnings that reach the same rows are one item. Rows that
 * earned and match no earning are MISSING; earnings that match no earning row are
 * UNEXPECTED (with the reasons incent excluded the rows it found under the same key).
 * Amounts no row carries (netting, tier pay, rounding) are compared per partner and
 * service, against the earnings that name no transaction, subscription or customer.
 */
import { InvalidInputError, type Diagnostic } from '../diagnostics.js';
import { Decimal, ZERO } from '../money/index.js';
import { plusDays } from '../dates.js';
import type { Campaign, ReconcileSpec } from '../campaign/model.js';
import type { Reason } from '../engine/reasons.js';
import type { TraceEvent } from '../engine/trace.js';
import type { PartnerStatus } from '../engine/types.js';
import { earningSku, type EarningLine } from '../input/earnings.js';

export const CATEGORIES = [
  'MATCHED',
  'UNDERPAID',
  'OVERPAID',
  'MISSING',
  'UNEXPECTED',
  'RATE_DIFFERS',
  'QUANTITY_DIFFERS',
  'FX_DIFFERS',
  'ADJUSTMENT',
  'REVERSED',
] as const;
export type Category = (typeof CATEGORIES)[number];

/** Categories that are a difference to raise with Microsoft (`--exit-code`). */
const OPEN: ReadonlySet<Category> = new Set(['UNDERPAID', 'OVERPAID', 'MISSING', 'UNEXPECTED']);

export type MatchLevel = 'transaction' | 'subscription' | 'customer' | 'partner' | 'earning';

export interface ItemKey {
  level: MatchLevel;
  partnerId: string;
  service?: string;
  transactionId?: string;
  /** An item of several transactions (a growth earning repeated on each): all of them. */
  transactionIds?: string[];
  subscriptionId?: string;
  customerId?: string;
  sku?: string;
  /** YYYY-MM of the transaction. */
  month?: string;
}

/** One of Microsoft's earnings: its lines (a growth earning has one per contributing transaction), counted once. */
export interface Earning {
  earningId: string;
  partnerId: string;
  service: string;
  lines: EarningLine[];
  /** In the campaign currency (Microsoft's own exchange rate where currencies differ); 0 when the payment was reversed. */
  amount: Decimal;
  /** As the export states it. */
  own: { amount: Decimal; currency: string };
  reversed: boolean;
  adjustment: boolean;
  earningDate: string | null;
}

export interface Item {
  categories: Category[];
  key: ItemKey;
  /** incent's amount (null: incent has no row paying this). */
  expected: Decimal | null;
  /** Microsoft's amount in the campaign currency (null: no earning). */
  paid: Decimal | null;
  difference: Decimal;
  /** incent's rows (the explain events) and, for UNEXPECTED, the reasons of the rows it excluded under the key. */
  rows: TraceEvent[];
  reasons: { reason: Reason; rows: number }[];
  earnings: Earning[];
  /** Why incent expects what it does, beyond the rows' own arithmetic (a minimum payout). */
  notes: string[];
  disputeBy: string | null;
  /** Whether disputeBy is before the day reconcile judges deadlines on. */
  deadlinePassed: boolean;
  open: boolean;
}

export interface PartnerReconciliation {
  partnerId: string;
  name?: string;
  status?: PartnerStatus;
  expected: Decimal;
  paid: Decimal;
  difference: Decimal;
  counts: Partial<Record<Category, number>>;
  /** The earliest deadline among open differences. */
  disputeBy: string | null;
  deadlinePassed: boolean;
  items: Item[];
}

export interface CampaignReconciliation {
  id: string;
  name: string;
  program: string;
  currency: string;
  tolerance: Decimal;
  disputeWindowDays: number;
  partners: PartnerReconciliation[];
  /** Earnings lines of this program read, and distinct earnings. */
  lines: number;
  earnings: number;
}

/** What incent decided for one partner of one campaign (commands/decisions.ts). */
export interface IncentPartner {
  partnerId: string;
  name?: string;
  status: PartnerStatus;
  /** Row events and summary lines, with `paid` after caps. */
  events: readonly TraceEvent[];
}

export interface ReconcileInput {
  campaign: Campaign;
  spec: ReconcileSpec;
  partners: readonly IncentPartner[];
}

/** Lines of the export whose program no campaign reconciles: counted, not compared. */
export interface OtherPrograms {
  lines: number;
  programs: Record<string, number>;
}

const low = (s: string | undefined) => (s ?? '').toLowerCase();
const monthOf = (d: string | null | undefined) => (d ? d.slice(0, 7) : '');

function problem(l: EarningLine, field: string, message: string, expected: string, found: string): Diagnostic {
  return { code: 'INVALID_EARNING', severity: 'error', file: l.file, line: l.line, field, message, expected, found };
}

/** Splits the export's lines by the campaign whose program they are; the rest are counted. */
export function linesByCampaign(
  inputs: readonly ReconcileInput[],
  lines: readonly EarningLine[],
): { byCampaign: Map<string, EarningLine[]>; other: OtherPrograms } {
  const byProgram = new Map<string, string>();
  const clash: Diagnostic[] = [];
  for (const { campaign, spec } of inputs) {
    const had = byProgram.get(low(spec.program));
    if (had)
      clash.push({
        code: 'PROGRAM_TWICE',
        severity: 'error',
        file: campaign.file,
        field: 'reconcile.program',
        message: `campaigns ${had} and ${campaign.id} both reconcile program "${spec.program}"`,
        expected: 'one campaign per program',
        found: spec.program,
      });
    byProgram.set(low(spec.program), campaign.id);
  }
  if (clash.length) throw new InvalidInputError(clash);
  const byCampaign = new Map<string, EarningLine[]>(inputs.map((i) => [i.campaign.id, []]));
  const other: OtherPrograms = { lines: 0, programs: {} };
  for (const l of lines) {
    const id = byProgram.get(low(l.programName));
    if (id) byCampaign.get(id)!.push(l);
    else {
      other.lines++;
      other.programs[l.programName] = (other.programs[l.programName] ?? 0) + 1;
    }
  }
  return { byCampaign, other };
}

/** The earning's amount in the campaign currency, by Microsoft's own figures, or why it cannot be had. */
function inCampaignCurrency(l: EarningLine, currency: string): Decimal | string {
  const txCur = l.transactionCurrency;
  if (l.earningAmount !== null && txCur === currency) return l.earningAmount;
  if (currency === 'USD' && l.earningAmountUSD !== null) return l.earningAmountUSD;
  if (currency === 'USD' && l.earningAmount !== null && txCur && l.earningExchangeRate !== null) return l.earningAmount.times(l.earningExchangeRate);
  if (l.earningAmountInLastPaymentCurrency !== null && l.lastPaymentCurrency === currency) return l.earningAmountInLastPaymentCurrency;
  if (l.earningAmount !== null && !txCur) return 'earningAmount has no currency (transactionCurrency is empty)';
  return `no amount in ${currency}: the line states ${[l.earningAmount !== null ? `${l.earningAmount.toString()} ${txCur}` : '', l.earningAmountUSD !== null ? `${l.earningAmountUSD.toString()} USD` : ''].filter(Boolean).join(', ') || 'no convertible amount'}`;
}

const REVERSING_TYPES = new Set(['refund', 'cancellation', 'cancel', 'chargeback', 'reversal']);

/** Groups one campaign's lines into earnings (an earningId counted once), with service and amount. */
export function earningsOf(campaign: Campaign, spec: ReconcileSpec, lines: readonly EarningLine[]): Earning[] {
  const problems: Diagnostic[] = [];
  const byId = new Map<string, Earning>();
  for (const l of lines) {
    const service = spec.levers.get(l.lever) ?? spec.levers.get(l.engagementName);
    if (service === undefined) {
      problems.push(
        problem(
          l,
          'lever',
          `lever ${JSON.stringify(l.lever || l.engagementName)} of "${l.programName}" pays no service of ${campaign.id}`,
          `one of ${[...spec.levers.keys()].map((k) => JSON.stringify(k)).join(', ')} (reconcile.levers in ${campaign.file})`,
          l.lever || l.engagementName || '(empty)',
        ),
      );
      continue;
    }
    const amount = inCampaignCurrency(l, campaign.currency);
    if (typeof amount === 'string') {
      problems.push(
        problem(
          l,
          'earningAmount',
          `cannot compare in ${campaign.currency}: ${amount}`,
          `earningAmount in ${campaign.currency}${campaign.currency === 'USD' ? ', earningAmountUSD, or earningAmount with earningExchangeRate' : ''}`,
          amount,
        ),
      );
      continue;
    }
    const reversed = low(l.paymentStatus) === 'reversed' || REVERSING_TYPES.has(low(l.transactionType));
    const had = byId.get(l.earningId);
    if (had) {
      const first = had.lines[0]!;
      // A growth earning repeats on each contributing transaction with the same figures; different figures cannot both stand.
      const same = first.partnerId === l.partnerId && had.service === service && inCampaignCurrency(first, campaign.currency).toString() === amount.toString();
      if (!same) {
        problems.push(
          problem(
            l,
            'earningId',
            `earning ${l.earningId} is written differently on line ${first.line} and here`,
            'the same partner, lever and amount on every line of one earningId',
            `${l.partnerId} ${l.lever || l.engagementName} ${amount.toString()} here, ${first.partnerId} ${first.lever || first.engagementName} ${inCampaignCurrency(first, campaign.currency).toString()} on line ${first.line}`,
          ),
        );
      }
      had.lines.push(l);
      had.reversed ||= reversed;
      continue;
    }
    const ownCurrency = l.earningAmount !== null ? l.transactionCurrency || campaign.currency : l.earningAmountUSD !== null ? 'USD' : l.lastPaymentCurrency;
    const own = l.earningAmount ?? l.earningAmountUSD ?? l.earningAmountInLastPaymentCurrency!;
    byId.set(l.earningId, {
      earningId: l.earningId,
      partnerId: l.partnerId,
      service,
      lines: [l],
      amount,
      own: { amount: own, currency: ownCurrency },
      reversed,
      adjustment: l.reasonCode !== '',
      earningDate: l.earningDate,
    });
  }
  if (problems.length) throw new InvalidInputError(problems.slice(0, 200));
  for (const e of byId.values()) {
    // A reversed payment pays nothing; a refund or cancellation is the negative earning it states.
    if (e.lines.some((l) => low(l.paymentStatus) === 'reversed')) e.amount = ZERO;
    e.earningDate = e.lines.reduce<string | null>((a, l) => (l.earningDate && (!a || l.earningDate < a) ? l.earningDate : a), null);
  }
  return [...byId.values()];
}

/** incent's rows of one partner, findable by each key. */
class RowIndex {
  readonly byTx = new Map<string, TraceEvent[]>();
  readonly bySub = new Map<string, TraceEvent[]>();
  readonly byCustomer = new Map<string, TraceEvent[]>();

  add(e: TraceEvent): void {
    const put = (m: Map<string, TraceEvent[]>, k: string) => {
      const list = m.get(k);
      if (list) list.push(e);
      else m.set(k, [e]);
    };
    if (e.transactionId) put(this.byTx, low(e.transactionId));
    const tail = `|${low(e.sku)}|${monthOf(e.date)}`;
    if (e.subscriptionId) put(this.bySub, low(e.subscriptionId) + tail);
    if (e.customer) put(this.byCustomer, low(e.customer) + tail);
  }

  /** The rows of a line's most specific key that finds any, and that key. */
  find(l: EarningLine): { rows: TraceEvent[]; key: Omit<ItemKey, 'partnerId'> } | null {
    const sku = earningSku(l);
    const month = monthOf(l.transactionDate ?? l.earningDate);
    for (const id of [l.transactionId, l.lineItemId]) {
      const rows = id ? this.byTx.get(low(id)) : undefined;
      if (rows) return { rows, key: { level: 'transaction', transactionId: rows[0]!.transactionId } };
    }
    const tail = `|${low(sku)}|${month}`;
    const bySub = l.subscriptionId ? this.bySub.get(low(l.subscriptionId) + tail) : undefined;
    if (bySub) return { rows: bySub, key: { level: 'subscription', subscriptionId: l.subscriptionId, sku, month } };
    const byCustomer = l.customerId ? this.byCustomer.get(low(l.customerId) + tail) : undefined;
    if (byCustomer) return { rows: byCustomer, key: { level: 'customer', customerId: l.customerId, sku, month } };
    return null;
  }
}

/** Whether a line names a transaction, subscription or customer (else it is a partner-level earning). */
const namesRows = (l: EarningLine) => Boolean(l.transactionId || l.lineItemId || l.subscriptionId || l.customerId);

function distinct(values: readonly Decimal[]): string[] {
  return [...new Set(values.map((v) => v.toString()))].sort();
}

function sameSet(a: readonly Decimal[], b: readonly Decimal[]): boolean {
  const x = distinct(a);
  const y = distinct(b);
  return x.length === y.length && x.every((v, i) => new Decimal(v).eq(new Decimal(y[i]!)));
}

/** The categories of an item, from its two sides. */
function categorize(item: Item, tolerance: Decimal, currency: string): void {
  const cats: Category[] = [];
  const { expected, paid, earnings, rows } = item;
  if (earnings.some((e) => e.adjustment)) cats.push('ADJUSTMENT');
  else if (paid === null) cats.push('MISSING');
  else if (expected === null) cats.push('UNEXPECTED');
  else if (item.difference.abs().lte(tolerance)) cats.push('MATCHED');
  else cats.push(item.difference.isNegative() ? 'UNDERPAID' : 'OVERPAID');
  if (expected !== null && paid !== null && earnings.length && rows.length) {
    const msRates = earnings.flatMap((e) => e.lines.map((l) => l.earningRate)).filter((r): r is Decimal => r !== null);
    const ourRates = rows.map((r) => r.rate).filter((r): r is Decimal => r !== undefined);
    if (msRates.length && ourRates.length && !sameSet(msRates, ourRates)) cats.push('RATE_DIFFERS');
    const lines = earnings.flatMap((e) => e.lines);
    const seatRows = rows.filter((r) => r.units !== undefined);
    if (lines.every((l) => l.quantity !== null) && seatRows.length === rows.length && rows.length > 0) {
      const theirs = lines.reduce((a, l) => a.plus(l.quantity!), ZERO);
      const ours = rows.reduce((a, r) => a + (r.units ?? 0), 0);
      if (!theirs.eq(ours)) cats.push('QUANTITY_DIFFERS');
    }
    // Microsoft's earningExchangeRate converts to USD: comparable with incent's rate when the campaign is in USD.
    if (currency === 'USD') {
      const msFx = lines
        .filter((l) => l.transactionCurrency && l.transactionCurrency !== 'USD')
        .map((l) => l.earningExchangeRate)
        .filter((r): r is Decimal => r !== null);
      const ourFx = rows.map((r) => r.fx?.rate).filter((r): r is Decimal => r !== undefined);
      if (msFx.length && ourFx.length && !sameSet(msFx, ourFx)) cats.push('FX_DIFFERS');
    }
  }
  if (earnings.some((e) => e.reversed)) cats.push('REVERSED');
  item.categories = cats;
  item.open = cats.some((c) => OPEN.has(c));
}

function newItem(key: ItemKey): Item {
  return {
    categories: [],
    key,
    expected: null,
    paid: null,
    difference: ZERO,
    rows: [],
    reasons: [],
    earnings: [],
    notes: [],
    disputeBy: null,
    deadlinePassed: false,
    open: false,
  };
}

const plus = (a: Decimal | null, b: Decimal) => (a === null ? b : a.plus(b));

/** Reconciles one campaign: every earning and every row that earned, as items per partner. */
export function reconcileCampaign(input: ReconcileInput, lines: readonly EarningLine[], judgeOn: string): CampaignReconciliation {
  const { campaign, spec } = input;
  const earnings = earningsOf(campaign, spec, lines);
  const incent = new Map(input.partners.map((p) => [p.partnerId, p]));
  const partnerIds = [...new Set([...input.partners.map((p) => p.partnerId), ...earnings.map((e) => e.partnerId)])];
  const byPartner = new Map<string, Earning[]>();
  for (const e of earnings) byPartner.set(e.partnerId, [...(byPartner.get(e.partnerId) ?? []), e]);
  const latestEarning = (list: readonly Earning[]) =>
    list.reduce<string | null>((a, e) => (e.earningDate && (!a || e.earningDate > a) ? e.earningDate : a), null);
  const campaignLatest = latestEarning(earnings);

  const partners: PartnerReconciliation[] = [];
  for (const partnerId of partnerIds) {
    const ours = incent.get(partnerId);
    const theirs = byPartner.get(partnerId) ?? [];
    // Below the minimum payout nothing is paid: each row's share is 0, and so is the minimum's line.
    const belowMinimum = ours?.status === 'below_minimum';
    const earned = new RowIndex();
    const excluded = new RowIndex();
    const earningRows: TraceEvent[] = [];
    const summary = new Map<string, TraceEvent[]>();
    for (const e of ours?.events ?? []) {
      if (e.kind === 'row' && e.status === 'excluded') excluded.add(e);
      else if (e.kind === 'row') {
        earned.add(e);
        earningRows.push(e);
      } else if (e.service && !belowMinimum) summary.set(e.service, [...(summary.get(e.service) ?? []), e]);
    }
    const share = (e: TraceEvent) => (belowMinimum ? ZERO : e.paid);
    const items: Item[] = [];
    const itemOfRow = new Map<TraceEvent, Item>();
    const partnerLevel = new Map<string, Earning[]>();

    for (const earning of theirs) {
      if (earning.adjustment) {
        const item = newItem({ level: 'earning', partnerId, service: earning.service });
        item.earnings.push(earning);
        item.paid = earning.amount;
        items.push(item);
        continue;
      }
      if (!earning.lines.some(namesRows)) {
        partnerLevel.set(earning.service, [...(partnerLevel.get(earning.service) ?? []), earning]);
        continue;
      }
      const found = earning.lines.map((l) => earned.find(l)).filter((f) => f !== null);
      const rows = [...new Set(found.flatMap((f) => f.rows))];
      if (rows.length === 0) {
        const l = earning.lines[0]!;
        const item = newItem({
          level: 'earning',
          partnerId,
          service: earning.service,
          transactionId: l.transactionId || l.lineItemId || undefined,
          subscriptionId: l.subscriptionId || undefined,
          customerId: l.customerId || undefined,
          sku: earningSku(l) || undefined,
          month: monthOf(l.transactionDate ?? l.earningDate) || undefined,
        });
        item.earnings.push(earning);
        item.paid = earning.amount;
        const why = new Map<Reason, number>();
        for (const el of earning.lines) for (const r of excluded.find(el)?.rows ?? []) why.set(r.reason!, (why.get(r.reason!) ?? 0) + 1);
        item.reasons = [...why].map(([reason, n]) => ({ reason, rows: n }));
        items.push(item);
        continue;
      }
      // Earnings that reach the same rows are one item.
      const joined = [...new Set(rows.map((r) => itemOfRow.get(r)).filter((i): i is Item => i !== undefined))];
      const key =
        found.length === 1 || found.every((f) => JSON.stringify(f.key) === JSON.stringify(found[0]!.key)) ? found[0]!.key : { level: found[0]!.key.level };
      let item: Item;
      if (joined.length === 0) {
        item = newItem({ partnerId, service: earning.service, ...key });
        items.push(item);
      } else {
        item = joined[0]!;
        for (const other of joined.slice(1)) {
          item.rows.push(...other.rows);
          item.earnings.push(...other.earnings);
          for (const r of other.rows) itemOfRow.set(r, item);
          items.splice(items.indexOf(other), 1);
        }
        if (JSON.stringify(item.key) !== JSON.stringify({ partnerId, service: earning.service, ...key }))
          item.key = { level: item.key.level, partnerId, service: item.key.service };
      }
      item.earnings.push(earning);
      for (const r of rows) {
        if (itemOfRow.get(r) === item) continue;
        itemOfRow.set(r, item);
        item.rows.push(r);
      }
    }
    for (const item of items) {
      if (item.rows.length) item.expected = item.rows.reduce((a, r) => a.plus(share(r)), ZERO);
      if (item.earnings.length && item.paid === null) item.paid = item.earnings.reduce((a, e) => a.plus(e.amount), ZERO);
    }
    // Rows that earned something and no earning reached.
    for (const r of earningRows) {
      if (itemOfRow.has(r) || share(r).isZero()) continue;
      const item = newItem({
        level: 'transaction',
        partnerId,
        service: r.service,
        transactionId: r.transactionId,
        customerId: r.customer,
        subscriptionId: r.subscriptionId || undefined,
        sku: r.sku,
        month: monthOf(r.date),
      });
      item.rows.push(r);
      item.expected = share(r);
      items.push(item);
    }
    // What no row carries, per service: netting, tier pay, rounding; against earnings that name no row.
    for (const service of new Set([...summary.keys(), ...partnerLevel.keys()])) {
      const lines = summary.get(service) ?? [];
      const theirsHere = partnerLevel.get(service) ?? [];
      const expected = lines.reduce((a, e) => a.plus(e.paid), ZERO);
      if (expected.isZero() && theirsHere.length === 0) continue;
      const item = newItem({ level: 'partner', partnerId, service });
      item.rows.push(...lines);
      item.expected = lines.length ? expected : null;
      item.earnings.push(...theirsHere);
      if (theirsHere.length) item.paid = theirsHere.reduce((a, e) => a.plus(e.amount), ZERO);
      items.push(item);
    }
    const latest = latestEarning(theirs) ?? campaignLatest;
    for (const item of items) {
      item.difference = (item.paid ?? ZERO).minus(item.expected ?? ZERO);
      if (belowMinimum && item.rows.length) item.notes.push('the partner is below the minimum payout: incent pays nothing for these rows');
      categorize(item, spec.tolerance, campaign.currency);
      // Only an open difference has a deadline: from its earliest earningDate, or for a missing earning from the partner's latest statement.
      const from = !item.open
        ? null
        : item.earnings.length
          ? item.earnings.reduce<string | null>((a, e) => (e.earningDate && (!a || e.earningDate < a) ? e.earningDate : a), null)
          : latest;
      item.disputeBy = from ? plusDays(from, spec.disputeWindowDays) : null;
      if (!item.key.transactionId && item.key.level === 'transaction') {
        const ids = [...new Set(item.rows.map((r) => r.transactionId).filter((t): t is string => Boolean(t)))];
        if (ids.length === 1) item.key.transactionId = ids[0];
        else if (ids.length > 1) item.key.transactionIds = ids;
      }
      item.deadlinePassed = item.disputeBy !== null && item.disputeBy < judgeOn;
    }
    if (items.length === 0) continue;
    items.sort(itemOrder);
    const counts: Partial<Record<Category, number>> = {};
    for (const c of CATEGORIES) {
      const n = items.filter((i) => i.categories.includes(c)).length;
      if (n) counts[c] = n;
    }
    const open = items.filter((i) => i.open && i.disputeBy !== null).map((i) => i.disputeBy!);
    const disputeBy = open.length ? open.sort()[0]! : null;
    const expected = items.reduce((a, i) => plus(a, i.expected ?? ZERO), ZERO);
    const paid = items.reduce((a, i) => plus(a, i.paid ?? ZERO), ZERO);
    partners.push({
      partnerId,
      name: ours?.name,
      status: ours?.status,
      expected,
      paid,
      difference: paid.minus(expected),
      counts,
      disputeBy,
      deadlinePassed: disputeBy !== null && disputeBy < judgeOn,
      items,
    });
  }
  partners.sort((a, b) => (a.partnerId < b.partnerId ? -1 : a.partnerId > b.partnerId ? 1 : 0));
  return {
    id: campaign.id,
    name: campaign.name,
    program: spec.program,
    currency: campaign.currency,
    tolerance: spec.tolerance,
    disputeWindowDays: spec.disputeWindowDays,
    partners,
    lines: lines.length,
    earnings: earnings.length,
  };
}

/** Items in the order of their first row or line: date, then transaction, then earning id. */
function itemOrder(a: Item, b: Item): number {
  const at = (i: Item) => i.rows[0]?.date ?? i.earnings[0]?.lines[0]?.transactionDate ?? i.earnings[0]?.earningDate ?? '\uffff';
  const id = (i: Item) => i.key.transactionId ?? i.rows[0]?.transactionId ?? i.earnings[0]?.earningId ?? '';
  const da = at(a);
  const db = at(b);
  if (da !== db) return da < db ? -1 : 1;
  return id(a) < id(b) ? -1 : id(a) > id(b) ? 1 : 0;
}

/** Whether any item anywhere is a difference beyond tolerance. */
export function hasDifferences(campaigns: readonly CampaignReconciliation[]): boolean {
  return campaigns.some((c) => c.partners.some((p) => p.items.some((i) => i.open)));
}
