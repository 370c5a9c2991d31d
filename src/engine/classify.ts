/**
 * Steps 1-3 for a row: credit, row filters, customer exclusions, partner gates,
 * eligibility. The same code decides calc and explain; `explain` also writes down the
 * values compared (words.ts).
 */
import { type ServiceDef } from '../campaign/model.js';
import { creditRow, creditUsage } from './credit.js';
import type { EligibilityGap } from './eligibility.js';
import { customerExclusion, dateReason, paysFor, programReason, serviceOf } from './filter.js';
import { partnerGate, type GateFailure } from './partner-gates.js';
import type { Reason } from './reasons.js';
import { usageKey } from '../earn/per-active-user.js';
import { rateFor } from '../earn/rate-card.js';
import type { TxRow, UsageRow } from './types.js';
import { refill, type RowVerdict } from './verdicts.js';
import type { CampaignRun } from './run.js';

/**
 * Steps 1-3 for a transactions row: credit, row filters, customer exclusions,
 * partner gates, eligibility. The same code decides calc and explain: a verdict is a
 * reason and its facts (the row, the gate, the period lost), never words (words.ts).
 */
export function classifyTx(run: CampaignRun, r: TxRow, v: RowVerdict = { partnerId: null }): RowVerdict {
  const c = run.c;
  const def = serviceOf(run.serviceIndex, r);
  const partnerId = creditRow(c, r, run.opts.claims);
  // One object per call, filled in place: calc passes the same scratch verdict for every row.
  refill(v, partnerId, def, def);
  if (partnerId === null) {
    v.reason = 'NOT_CREDITED';
    return v;
  }
  const dateR = dateReason(c, run.asOf, r, def);
  if (dateR) {
    v.reason = dateR;
    return v;
  }
  const prog = programReason(c, r);
  if (prog) {
    v.reason = prog;
    return v;
  }
  if (!def || !paysFor(def, r)) {
    v.reason = 'SKU_NOT_ELIGIBLE';
    return v;
  }
  const excluded = c.exclude ? customerExclusion(c, r.customerId, partnerId, r.country, r.flags) : null;
  if (excluded) {
    v.reason = 'CUSTOMER_EXCLUDED';
    v.sub = excluded;
    return v;
  }
  const gate = gateOf(run, partnerId);
  if (gate) {
    v.reason = gate.code;
    v.gate = gate;
    return v;
  }
  // A removal always nets in: losing it to an eligibility gap would add seats.
  if (c.eligibility && !(r.quantity !== null && r.quantity < 0)) {
    const g = eligibilityGap(run, partnerId, r.date);
    if (g) {
      v.reason = 'PARTNER_INELIGIBLE';
      v.gap = g;
      return v;
    }
  }
  // A seat-based service cannot read a missing quantity as 0 seats: the row is refused (the run reports it).
  if (r.quantity === null && def.method.measure === 'units') {
    v.missingQuantity = true;
    return v;
  }
  const q = r.quantity ?? 0;
  v.units = def.method.measure === 'units' ? (def.method.rowUnits ? def.method.rowUnits(def.config, q) : q) : 0;
  return v;
}

/** Steps 1-3 for a usage row: the window, credit through the directory, filters, exclusions, gates; facts, never words. */
export function classifyUsage(run: CampaignRun, u: UsageRow, scratch: boolean): RowVerdict {
  const c = run.c;
  const dir = run.directory!;
  const def = run.workloadIndex.get(u.workload);
  if (def) {
    // Most rows of a long file end here: calc refills one scratch verdict for them.
    const start = run.windowStart.get(def)!;
    const early: Reason | null = u.date > run.asOf ? 'AFTER_AS_OF' : u.date < start ? 'OUTSIDE_WINDOW' : null;
    if (early) {
      const v = refill(scratch ? run.scratch : { partnerId: null }, null, def, undefined);
      v.reason = early;
      return v;
    }
  }
  const partnerId = creditUsage(c, u, run.opts.claims, dir);
  if (partnerId === null) return { partnerId, def, reason: 'NOT_CREDITED' };
  if (!def) return { partnerId, reason: 'WORKLOAD_NOT_ELIGIBLE' };
  const cfg = def.usage!;
  if (u.date < c.period.start || u.date > c.period.end) return { partnerId, def, reason: 'OUTSIDE_PERIOD' };
  if (cfg.metrics === null ? u.userId === '' : !cfg.metrics.includes(u.metric)) return { partnerId, def, reason: 'METRIC_NOT_PAID' };
  const sub = u.subscriptionId ? dir.subscriptions.get(u.subscriptionId) : undefined;
  const cust = dir.customers.get(u.customerId);
  const sku = u.sku || sub?.sku || onlySku(run, def, u.workload, cust?.subscriptionBySku);
  const subId = u.subscriptionId || (sku ? cust?.subscriptionBySku.get(sku) : undefined);
  const facts = subId ? dir.subscriptions.get(subId) : undefined;
  const licenseProgram = u.licenseProgram || facts?.program || '';
  const subscriptionType = u.subscriptionType || facts?.type || 'paid';
  const program = programReason(c, { licenseProgram, subscriptionType });
  if (program) return { partnerId, def, reason: program, compared: program === 'LICENSE_PROGRAM' ? licenseProgram : subscriptionType };
  const flags = u.flags ?? (cust?.flags ? [...cust.flags] : null);
  const country = u.country || cust?.country || '';
  const excluded = customerExclusion(c, u.customerId, partnerId, country, flags);
  if (excluded) return { partnerId, def, reason: 'CUSTOMER_EXCLUDED', sub: excluded, compared: country };
  if (!sku || !rateFor(cfg.rates, sku, u.workload)) return { partnerId, def, reason: 'SKU_NOT_ELIGIBLE', compared: sku };
  const gate = gateOf(run, partnerId);
  if (gate) return { partnerId, def, reason: gate.code, gate };
  if (c.eligibility) {
    const g = eligibilityGap(run, partnerId, u.date);
    if (g) return { partnerId, def, reason: 'PARTNER_INELIGIBLE', gap: g };
  }
  return { partnerId, def, usageKey: usageKey(sku, u.workload), sku };
}

/** The customer's one SKU that the service rates for the workload, when the usage row names none. */
export function onlySku(run: CampaignRun, def: ServiceDef, workload: string, bySku: ReadonlyMap<string, string> | undefined): string {
  const cfg = def.usage!;
  const rated = [...(bySku?.keys() ?? [])].filter((sku) => rateFor(cfg.rates, sku, workload));
  return rated.length === 1 ? rated[0]! : '';
}

/** The period (day, month, semester) of `day` lost to a requirement the partner did not meet, or null. */
export function eligibilityGap(run: CampaignRun, partnerId: string, day: string): EligibilityGap | null {
  const e = run.c.eligibility;
  if (!e) return null;
  const key = `${partnerId}\u0000${e.period === 'day' ? day : e.period === 'month' ? day.slice(0, 7) : `${day.slice(0, 4)}${day.slice(5, 7) >= '07' ? 'H1' : 'H2'}`}`;
  let g = run.eligibilityGaps.get(key);
  if (g === undefined) {
    g = run.opts.eligibility
      ? run.opts.eligibility.gap(partnerId, e.requirements, e.period, day, run.bounds)
      : { requirement: e.requirements[0]!, day, period: day };
    run.eligibilityGaps.set(key, g);
  }
  return g;
}

export function gateOf(run: CampaignRun, partnerId: string): GateFailure | null {
  let g = run.gates.get(partnerId);
  if (g === undefined) {
    g = partnerGate(run.c, partnerId, run.opts);
    run.gates.set(partnerId, g);
  }
  return g;
}
