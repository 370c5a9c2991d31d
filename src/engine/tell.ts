/**
 * After finish: each row's story from the run's verdicts (explain, traces): what it
 * earns if its customer and service qualify (the method's arithmetic), or why it is
 * excluded after all; and the summary lines that carry what rows cannot.
 */
import { Decimal, ZERO } from '../money/index.js';
import { type ServiceDef } from '../campaign/model.js';
import { type CustomerAcc } from './accumulate.js';
import type { Reason } from './reasons.js';
import { excludedEvent, pendingRowEvent, type Earning, type TraceEvent } from './trace.js';
import type { TxRow, UsageRow } from './types.js';
import { type CustomerVerdict, type RowVerdict, type ServiceVerdict } from './verdicts.js';
import type { CampaignRun } from './run.js';
import { classifyTx, classifyUsage } from './classify.js';

export function event(run: CampaignRun, partnerId: string | null, p: Partial<TraceEvent> & { status: TraceEvent['status']; detail: string }): TraceEvent {
  return { kind: 'row', campaign: run.c.id, partner: partnerId ?? '', amount: ZERO, trimmed: ZERO, paid: ZERO, ...p };
}

/** A row excluded before it accumulates. */
export function excludedAtOnce(run: CampaignRun, r: TxRow, v: RowVerdict, file: string | undefined): TraceEvent {
  run.words.tx(v, r);
  return excludedEvent(run.c.id, v.partnerId ?? '', v.def?.name, v.reason!, run.words.detail, r, file);
}

/** After finish: a transactions row's story (null when this campaign does not count it). */
export function explainTx(run: CampaignRun, r: TxRow, file?: string, only?: (campaign: string, partner: string) => boolean): TraceEvent | null {
  if (!run.paysOnTransactions) return null;
  const c = run.c;
  if (only) {
    // Rows of other partners are skipped before any words are written.
    const quick = classifyTx(run, r);
    if (quick.partnerId === null || !only(c.id, quick.partnerId)) return null;
  }
  const v = classifyTx(run, r);
  if (v.reason) return excludedAtOnce(run, r, v, file);
  const slot = accumulatedIn(run, v.def!, v.partnerId!, r.customerId, r.line);
  return settleRow(
    run,
    pendingRowEvent({ campaign: c.id, partner: v.partnerId!, service: v.def!.name, row: r, file, earning: earningOf(run, r, v), slot }),
    slot,
  );
}

/**
 * What a row that accumulated earns if its customer and service qualify (units x
 * rate, revenue x FX x percent), or that it counts; settle() decides after finish.
 * Per-unit earnings are made once per SKU and unit count.
 */
export function earningOf(run: CampaignRun, r: TxRow, v: RowVerdict): Earning {
  const def = v.def!;
  const m = def.method;
  const f = run.rowFacts;
  f.sku = r.sku;
  f.quantity = r.quantity;
  f.units = v.units ?? 0;
  f.amount = r.amount;
  f.currency = r.currency;
  f.date = r.date;
  const key = m.shareKey?.(def.config, f);
  let byKey = key === undefined ? undefined : run.earnings.get(def);
  if (key !== undefined) {
    if (!byKey) run.earnings.set(def, (byKey = new Map()));
    const had = byKey.get(key);
    if (had) return had;
  }
  run.rowContext ??= { currency: run.c.currency, fx: (cur, date) => fxFor(run, cur, date) };
  const g = m.rowEarning?.(def.config, f, run.rowContext) ?? {
    status: 'counted',
    units: v.units,
    amount: ZERO,
    amountText: '0',
    detail: `counted by ${def.name} (${m.key}); its pay is on the service line`,
  };
  if (byKey && byKey.size < 65536) {
    g.shared = true;
    byKey.set(key!, g);
  }
  return g;
}

/**
 * After finish: a pending row's story, given its customer's and service's verdicts
 * (the row is excluded when either failed), found by the row's slot in its service's
 * table (CampaignRun.add hands it with the event). Mutates and returns `e`.
 */
export function settleRow(run: CampaignRun, e: TraceEvent, slot: number): TraceEvent {
  const x = exclusionAt(run, e.service!, slot);
  if (x === undefined) return e;
  e.status = 'excluded';
  e.reason = x.reason;
  e.detail = x.detail;
  e.units = e.rate = e.fx = undefined;
  e.amount = e.paid = ZERO;
  return e;
}

/**
 * The slot a row that was not excluded at once accumulated in: its partner's and
 * customer's in its service. Told after finish with the same classification that added
 * it, so the slot exists; if it did not, the story would be wrong, and the run stops.
 */
function accumulatedIn(run: CampaignRun, def: ServiceDef, partnerId: string, customerId: string, line: number): number {
  const partner = run.slots.get(partnerId);
  const customer = run.customers.find(customerId);
  const slot = partner === undefined || customer === undefined ? undefined : run.tables.get(def)?.find(partner.index, customer);
  if (slot === undefined)
    throw new Error(`internal: line ${line} of ${run.c.id} (${def.name}) was told as accumulated, but ${partnerId}/${customerId} has no slot`);
  return slot;
}

/** After finish: why the row that accumulated in `service`'s `slot` is excluded after all (its customer's or service's verdict), or undefined. */
export function exclusionAt(run: CampaignRun, service: string, slot: number): { reason: Reason; detail: string } | undefined {
  return exclusionIn(run, run.serviceIndex.byName.get(service)!, slot);
}

/** After finish: why the row that accumulated in `def`'s `slot` is excluded after all, or undefined. */
function exclusionIn(run: CampaignRun, def: ServiceDef, slot: number): { reason: Reason; detail: string } | undefined {
  return run.exclusions.get(def)?.[slot];
}

/** After finish: a usage row's story. */
export function explainUsage(run: CampaignRun, u: UsageRow, file?: string, only?: (campaign: string, partner: string) => boolean): TraceEvent | null {
  if (!run.paysOnUsage) return null;
  if (only) {
    const quick = classifyUsage(run, u, true);
    if (quick.partnerId === null || !only(run.c.id, quick.partnerId)) return null;
  }
  const v = classifyUsage(run, u, false);
  const base = { file, line: u.line, date: u.date, customer: u.customerId, sku: v.sku, service: v.def?.name };
  if (v.reason) return event(run, v.partnerId, { ...base, status: 'excluded', reason: v.reason, detail: run.words.usage(v, u) });
  // Its customer's or its service's verdict, by its slot (as for a transactions row).
  const slot = accumulatedIn(run, v.def!, v.partnerId!, u.customerId, u.line);
  const x = exclusionIn(run, v.def!, slot);
  if (x) return event(run, v.partnerId, { ...base, status: 'excluded', reason: x.reason, detail: x.detail });
  if (!u.userId) {
    const standing = customerAcc(run, v.partnerId!, v.def!, u.customerId)?.latest(v.usageKey!, u.metric);
    if (standing && standing.line !== u.line) {
      return event(run, v.partnerId, {
        ...base,
        status: 'excluded',
        reason: 'SUPERSEDED',
        detail: `${u.metric} = ${u.value} on ${u.date}; the count of ${standing.date} (line ${standing.line}, ${standing.value}) replaces it`,
      });
    }
  }
  const what = u.userId ? `user ${u.userId} active in ${u.workload}` : `${u.metric} = ${u.value} in ${u.workload}`;
  return event(run, v.partnerId, { ...base, status: 'counted', detail: `${what}; the customer's pay is on its customer line` });
}

/** One customer of a partner and service, after the rows are in. */
export function customerAcc(run: CampaignRun, partnerId: string, def: ServiceDef, customerId: string): CustomerAcc | undefined {
  const slot = run.slots.get(partnerId);
  const customer = run.customers.find(customerId);
  if (!slot || customer === undefined) return undefined;
  const table = run.tables.get(def)!;
  const s = table.find(slot.index, customer);
  return s === undefined ? undefined : table.view(s, run.customers);
}

const SAME_CURRENCY: { readonly rate: Decimal; readonly source: string } = Object.freeze({ rate: new Decimal(1), source: 'same currency' });

export function fxFor(run: CampaignRun, cur: string, date: string): { rate: Decimal; source: string } {
  const c = run.c;
  if (cur === c.currency) return SAME_CURRENCY;
  const fixed = c.fixedFx.get(cur);
  if (fixed) return { rate: fixed, source: `campaign fx.fixed ${cur}` };
  const q = run.opts.fx!.rate(cur, c.currency, date);
  return {
    rate: q.rate,
    source: `fx.csv ${q.source === 'table-inverse' ? 'inverse of ' : ''}${q.quoteDate ?? ''}${q.quoteLine ? ` (line ${q.quoteLine})` : ''}`,
  };
}

/**
 * After finish: the lines that carry pay rows cannot: a customer's netting or
 * limits (per_unit), a customer's active users (per_active_user), a tier's pay.
 */
export function summaryItems(run: CampaignRun, partnerId: string): TraceEvent[] {
  const pv = run.verdicts.get(partnerId);
  if (!pv) return [];
  return pv.summary ?? summaryOf(run, partnerId, pv.services, (sv) => [...sv.customers.values()].filter((x) => x.reason === null));
}

/** The summary lines of a partner, given each service's qualifying customers. */
export function summaryOf(
  run: CampaignRun,
  partnerId: string,
  services: ReadonlyMap<ServiceDef, ServiceVerdict>,
  qualifyingOf: (sv: ServiceVerdict) => CustomerVerdict[],
): TraceEvent[] {
  const c = run.c;
  const out: TraceEvent[] = [];
  for (const sv of services.values()) {
    if (!sv.result.qualified) continue;
    const def = sv.def;
    const lines = def.method.summaryLines;
    if (!lines) continue;
    const qualifying = [...qualifyingOf(sv)].sort((a, b) => (a.customerId < b.customerId ? -1 : 1));
    for (const l of lines(def.config, def.name, qualifying, c.currency)) {
      out.push({
        ...event(run, partnerId, { status: l.status, detail: l.detail }),
        kind: l.kind,
        service: def.name,
        ...(l.customer !== undefined ? { customer: l.customer } : {}),
        ...(l.units !== undefined ? { units: l.units } : {}),
        amount: l.amount,
        paid: l.amount,
      });
    }
  }
  return out;
}
