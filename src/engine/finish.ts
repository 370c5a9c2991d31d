/**
 * Finishing one partner of a campaign: customer gates, the partner gate per service,
 * earn, service caps, then the campaign cap, minimum and payout currency (payout.ts);
 * with verdicts kept, every customer's and service's decision with its figures.
 */
import { ZERO } from '../money/index.js';
import type { ServiceDef } from '../campaign/model.js';
import { addUnitsExactly } from '../units.js';
import { customerGate, customersNeeded } from './customer-gates.js';
import { type GateFailure } from './partner-gates.js';
import { capService, settle } from './payout.js';
import type { CustomerMeasure, TierStanding } from '../earn/index.js';
import type { PartnerResult, ServiceResult } from './types.js';
import { bump } from './tally.js';
import type { Reason } from './reasons.js';
import { type CustomerVerdict, type PartnerSlot, type PartnerVerdict, type ServiceVerdict } from './verdicts.js';
import type { CampaignRun } from './run.js';
import { CustomerWords } from './words.js';
import { gateOf } from './classify.js';
import { summaryOf } from './tell.js';

export function finishPartner(run: CampaignRun, partnerId: string, slot: PartnerSlot, byPartner: Map<ServiceDef, Map<number, number[]>>): PartnerResult {
  const c = run.c;
  const pc = slot.pc;
  const p = { partnerId };
  const gate = gateOf(run, p.partnerId);
  const keep = run.opts.keepVerdicts !== undefined && run.opts.keepVerdicts !== false;
  const everyCustomer = run.opts.keepVerdicts === true;
  /** 'trace': the qualifying customers, only for the summary lines decided below. */
  const qualifyingBy = new Map<ServiceDef, CustomerVerdict[]>();
  const serviceVerdicts = new Map<ServiceDef, ServiceVerdict>();
  const services: ServiceResult[] = c.services.map((def) => {
    const customerVerdicts = new Map<string, CustomerVerdict>();
    const table = run.tables.get(def)!;
    const slots = byPartner.get(def)!.get(slot.index) ?? [];
    const measures: CustomerMeasure[] = [];
    let units = 0;
    let netUnits = 0;
    let revenue = ZERO;
    const qualifyingRows: number[] = [];
    // With verdicts: the slots whose customer failed, and why (a failed service excludes the others too, below).
    const excludedSlots: number[] = [];
    const exclusions: { readonly reason: Reason; readonly detail: string }[] = [];
    const usage = def.usage ?? null;
    for (const s of slots) {
      const acc = table.view(s, run.customers);
      const customer = table.customer(s);
      if (acc.rows === 0) continue;
      const rev = def.method.measure === 'revenue' ? acc.revenueIn(c, run.opts.fx) : ZERO;
      const active = usage ? acc.active(usage.metrics) : undefined;
      const customerUnits = active ? [...active.values()].reduce(addUnitsExactly, 0) : acc.units;
      const belowClaimMinimum = run.paidSeats !== null && (run.paidSeats.get(acc.customerId) ?? 0) < c.claims!.minPaidSeats!;
      const reason = (belowClaimMinimum ? 'CUSTOMER_BELOW_MINIMUM' : null) ?? customerGate(def, run.netNew.isNetNew(def, customer), customerUnits, rev);
      const measure: CustomerMeasure = { customerId: acc.customerId, unitsBySku: acc.unitsBySku, revenue: rev, transactions: acc.rows, active };
      // Why a failed customer is excluded: the reason and the figures compared, in words when asked.
      const why = keep && reason !== null ? new CustomerWords(run, def, acc.customerId, customer, reason, customerUnits, rev) : undefined;
      // explain and progress keep every customer's verdict, in words; a trace keeps only why each failed slot is excluded (below).
      if (everyCustomer) {
        const detail = why?.detail ?? '';
        customerVerdicts.set(acc.customerId, { customerId: acc.customerId, reason, detail, units: customerUnits, revenue: rev, measure });
        // Its slot's exclusion reads the same words, made once.
        if (why) exclusions.push({ reason: why.reason, detail });
      } else if (why) exclusions.push(why);
      else if (keep && reason === null && def.method.summaryLines && (def.method.summaryNeeds?.(def.config, measure) ?? true)) {
        let q = qualifyingBy.get(def);
        if (!q) qualifyingBy.set(def, (q = []));
        q.push({ customerId: acc.customerId, reason, detail: '', units: customerUnits, revenue: rev, measure });
      }
      if (reason) {
        bump(run.counts, reason, acc.rows);
        bump(pc, reason, acc.rows);
        if (keep) excludedSlots.push(s);
        continue;
      }
      measures.push(measure);
      qualifyingRows.push(acc.rows);
      units = addUnitsExactly(units, customerUnits);
      if (def.method.measure === 'units') netUnits = addUnitsExactly(netUnits, acc.netUnits);
      revenue = revenue.plus(rev);
    }
    const needed = customersNeeded(def.qualify?.customers);
    // Tiers always report where the partner stands, even when it earns nothing; a
    // partner that reaches no tier does not qualify for the service.
    const tierOnly = def.method.standing?.(def.config, measures);
    const qualified =
      gate === null && measures.length >= needed && (needed > 0 || measures.length > 0) && (tierOnly === undefined || tierOnly.reached !== undefined);
    const rows = qualifyingRows.reduce((a, b) => a + b, 0);
    if (!qualified) {
      bump(run.counts, 'SERVICE_NOT_QUALIFIED', rows);
      bump(pc, 'SERVICE_NOT_QUALIFIED', rows);
    } else {
      run.counts.used += rows;
      pc.used += rows;
    }
    // Seat services earn even when not qualified, for `units` (what the service pays, or would pay, after limits).
    const computed = qualified || def.method.measure === 'units' ? def.method.earn(def.config, measures) : undefined;
    const earning = qualified && computed ? computed : { earned: ZERO, lines: [] };
    const { earned, amount } = capService(c, earning.earned, def.cap);
    const tier: TierStanding | undefined = tierOnly;
    const result: ServiceResult = {
      service: def.name,
      qualified,
      customers: measures.length,
      ...(computed?.paid ? { earningCustomers: computed.paid.customers } : {}),
      customersNeeded: needed,
      units: computed?.paid ? computed.paid.units : units,
      ...(computed?.paid ? { netUnits } : {}),
      revenue,
      earned,
      amount,
      cap: def.cap,
      ...(tier ? { tier } : {}),
      ...(qualified && earning.arithmetic ? { arithmetic: earning.arithmetic } : {}),
    };
    if (keep) {
      const notQualified = qualified
        ? undefined
        : gate
          ? `partner is ${gate.code}: ${gate.detail}`
          : tierOnly && tierOnly.reached === undefined
            ? `no tier reached: ${tierOnly.counted} ${tierOnly.counts}; the first tier needs ${tierOnly.next}`
            : `${measures.length} qualifying customer${measures.length === 1 ? '' : 's'}; ${def.name} needs ${needed || 1}`;
      serviceVerdicts.set(def, { def, result, customers: customerVerdicts, notQualified });
      // What settles a pending row, by its slot: its customer's verdict, else the service's.
      let bySlot = run.exclusions.get(def);
      if (!bySlot) run.exclusions.set(def, (bySlot = []));
      for (let i = 0; i < excludedSlots.length; i++) bySlot[excludedSlots[i]!] = exclusions[i]!;
      if (!qualified) {
        const serviceWords = { reason: 'SERVICE_NOT_QUALIFIED' as const, detail: `${def.name}: ${notQualified}` };
        // Every slot its customer's verdict did not exclude (a slot with no rows is never asked about).
        for (const s of slots) bySlot[s] ??= serviceWords;
      }
      if (excludedSlots.length > 0 || (!qualified && measures.length > 0)) run.excludedPartners.add(p.partnerId);
    }
    return result;
  });
  const info = run.opts.partners?.get(p.partnerId);
  // A partner that lost every row it would have earned on to eligibility gaps is ineligible.
  const loss = run.firstLoss.get(p.partnerId);
  const lostAll = loss !== undefined && pc.used === 0;
  const reason: GateFailure | null =
    gate ??
    (loss
      ? {
          code: 'PARTNER_INELIGIBLE',
          detail: `${loss.requirement} not met on ${loss.day}: earnings of ${loss.period}${lostAll ? '' : ' and any other period with a gap'} are lost`,
        }
      : null);
  const t = settle(c, services, gate !== null || lostAll, info, run.opts.fx, run.opts.payoutDate ?? run.asOf);
  const partnerResult: PartnerResult = {
    partnerId: p.partnerId,
    name: info?.name,
    status: t.status,
    reason: reason ?? undefined,
    services,
    subtotal: t.subtotal,
    total: t.total,
    payout: t.payout,
    payoutCurrency: t.payoutCurrency,
    payoutFx: t.payoutFx,
    carriedForward: t.carriedForward,
    rows: pc.toCounts(),
  };
  if (keep) {
    const verdict: PartnerVerdict = { result: partnerResult, services: serviceVerdicts };
    if (!everyCustomer) verdict.summary = summaryOf(run, p.partnerId, serviceVerdicts, (sv) => qualifyingBy.get(sv.def) ?? []);
    run.verdicts.set(p.partnerId, verdict);
  }
  return partnerResult;
}
