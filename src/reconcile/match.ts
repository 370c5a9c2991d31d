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
import { ZERO, type Decimal } from '../money/index.js';
import { plusDays } from '../dates.js';
import type { Campaign, ReconcileSpec } from '../campaign/model.js';
import type { Reason } from '../engine/reasons.js';
import type { TraceEvent } from '../engine/trace.js';
import type { PartnerStatus } from '../engine/types.js';
import { earningSku, type EarningLine } from '../input/earnings.js';
import { earningsOf, low, monthOf, type Earning, type OtherPrograms } from './earnings.js';
import {
  CATEGORIES,
  categorize,
  itemOrder,
  newItem,
  type CampaignReconciliation,
  type Category,
  type Item,
  type ItemKey,
  type PartnerReconciliation,
} from './items.js';

export { linesByCampaign, type OtherPrograms } from './earnings.js';
export { hasDifferences, CATEGORIES, type CampaignReconciliation, type Category, type Item, type ItemKey, type PartnerReconciliation } from './items.js';

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

/** A whole reconciliation: every campaign's items, judged on one day. */
export interface Reconciliation {
  /** The day deadlines were judged on. */
  asOf: string;
  campaigns: CampaignReconciliation[];
  /** Lines of programs no campaign reconciles: counted, not compared. */
  otherPrograms: OtherPrograms;
  /** Each earnings file and its lines. */
  files: { file: string; lines: number }[];
}
