/**
 * evaluate(): credit -> filter -> partner gates -> customer gates -> partner gate ->
 * earn -> round -> caps -> minimum -> payout currency. No file or console I/O: rows
 * come in as plain objects, one at a time (Evaluator.add) or as an iterable.
 */
import { ZERO, type FxTable } from '../money/index.js';
import type { Campaign, ServiceDef } from '../campaign/model.js';
import { PartnerAcc } from './accumulate.js';
import { creditRow } from './credit.js';
import { customerGate, customersNeeded, isNetNew } from './customer-gates.js';
import { dateReason, programReason, serviceOf, skuIndexOf } from './filter.js';
import { partnerGate, type GateFailure, type PartnerDirectory } from './partner-gates.js';
import { capService, settle } from './payout.js';
import { REASONS, type Reason } from './reasons.js';
import type { CustomerMeasure } from './earn/index.js';
import type { CalcResult, CampaignResult, PartnerInfo, PartnerResult, Registration, RowCounts, ServiceResult, TxRow } from './types.js';

export interface EvaluateOptions {
  partners?: ReadonlyMap<string, PartnerInfo>;
  /** Keyed by registrationKey(campaignId, partnerId). */
  registrations?: ReadonlyMap<string, Registration>;
  fx?: FxTable;
  /** Overrides every campaign's as_of. */
  asOf?: string;
  /** Date of the payout-currency conversion; default each campaign's as_of. */
  payoutDate?: string;
}

function isPositiveAmount(r: TxRow): boolean {
  if (r.amountMicros !== undefined) return r.amountMicros > 0;
  return r.amount !== null && !r.amount.startsWith('-') && /[1-9]/.test(r.amount);
}

const REASON_INDEX = new Map<Reason, number>(REASONS.map((r, i) => [r, i]));

/** Row counts kept as an array per reason on the hot path; RowCounts at the end. */
class Tally {
  read = 0;
  used = 0;
  readonly excluded = new Array<number>(REASONS.length).fill(0);

  toCounts(): RowCounts {
    const excluded: RowCounts['excluded'] = {};
    REASONS.forEach((r, i) => {
      if (this.excluded[i]! > 0) excluded[r] = this.excluded[i];
    });
    return { read: this.read, used: this.used, excluded };
  }
}

function bump(t: Tally, reason: Reason, n = 1): void {
  t.excluded[REASON_INDEX.get(reason)!]! += n;
}

function newCounts(): Tally {
  return new Tally();
}

/** The evaluation of one campaign, fed rows one by one. */
class CampaignRun {
  readonly asOf: string;
  readonly counts = newCounts();
  readonly partners = new Map<string, PartnerAcc>();
  private readonly partnerCounts = new Map<string, Tally>();
  private readonly gates = new Map<string, GateFailure | null>();
  private readonly skuIndex: Map<string, ServiceDef>;
  /** Net-new evidence by service, then customer: from every row, whoever it is credited to. */
  private readonly history = new Map<ServiceDef, Map<string, string>>();
  /** Explicit net_new values by service, then customer (false wins). */
  private readonly explicitNetNew = new Map<ServiceDef, Map<string, boolean>>();

  constructor(
    readonly c: Campaign,
    private readonly opts: EvaluateOptions,
  ) {
    this.asOf = opts.asOf ?? c.asOf;
    this.skuIndex = skuIndexOf(c);
    for (const s of c.services) {
      this.history.set(s, new Map());
      this.explicitNetNew.set(s, new Map());
    }
  }

  private gate(partnerId: string): GateFailure | null {
    let g = this.gates.get(partnerId);
    if (g === undefined) {
      g = partnerGate(this.c, partnerId, this.opts);
      this.gates.set(partnerId, g);
    }
    return g;
  }

  private exclude(pc: Tally | undefined, reason: Reason): void {
    bump(this.counts, reason);
    if (pc) bump(pc, reason);
  }

  add(r: TxRow): void {
    const c = this.c;
    this.counts.read++;
    const { def, eligible } = serviceOf(c, this.skuIndex, r);
    if (def) this.noteHistory(def, r);

    const partnerId = creditRow(c, r);
    if (partnerId === null) return this.exclude(undefined, 'NOT_CREDITED');
    let p = this.partners.get(partnerId);
    let pc = this.partnerCounts.get(partnerId);
    if (!p || !pc) {
      this.partners.set(partnerId, (p = new PartnerAcc(partnerId)));
      this.partnerCounts.set(partnerId, (pc = newCounts()));
    }
    pc.read++;

    const reason = dateReason(c, this.asOf, r, def) ?? programReason(c, r) ?? (def && eligible ? null : 'SKU_NOT_ELIGIBLE');
    if (reason) return this.exclude(pc, reason);
    const gate = this.gate(partnerId);
    if (gate) return this.exclude(pc, gate.code);

    const acc = p.customer(def!, r.customerId);
    acc.rows++;
    if (def!.method.measure === 'units') {
      const q = r.quantity ?? 0;
      acc.addUnits(r.sku, def!.method.rowUnits ? def!.method.rowUnits(def!.config, q) : q);
    } else if (def!.method.measure === 'revenue') acc.addRevenue(c, r);
  }

  /**
   * A customer with paid seats (or billing) of the service before the period is not
   * net new, with any partner. The earliest such row is kept as evidence (by date,
   * then id, so row order never matters).
   */
  private noteHistory(def: ServiceDef, r: TxRow): void {
    if (r.netNew === null && r.date >= this.c.period.start) return;
    if (r.netNew !== null) {
      const explicit = this.explicitNetNew.get(def)!;
      explicit.set(r.customerId, explicit.get(r.customerId) === false ? false : r.netNew);
    }
    if (r.date >= this.c.period.start || r.subscriptionType !== 'paid') return;
    const positive = (r.quantity !== null && r.quantity > 0) || (r.amount !== null && isPositiveAmount(r));
    if (!positive) return;
    const byCustomer = this.history.get(def)!;
    const key = `${r.date}\u0000${r.id}`;
    const prior = byCustomer.get(r.customerId);
    if (prior === undefined || key < prior) byCustomer.set(r.customerId, key);
  }

  finish(): CampaignResult {
    const c = this.c;
    const partners: PartnerResult[] = [];
    const ids = [...this.partners.keys()].sort();
    for (const id of ids) partners.push(this.finishPartner(this.partners.get(id)!, this.partnerCounts.get(id)!));
    return {
      id: c.id,
      name: c.name,
      currency: c.currency,
      asOf: this.asOf,
      period: c.period,
      partners,
      rows: this.counts.toCounts(),
    };
  }

  private finishPartner(p: PartnerAcc, pc: Tally): PartnerResult {
    const c = this.c;
    const gate = this.gate(p.partnerId);
    const services: ServiceResult[] = c.services.map((def) => {
      const customers = p.services.get(def) ?? new Map();
      const history = this.history.get(def)!;
      const explicit = this.explicitNetNew.get(def)!;
      const measures: CustomerMeasure[] = [];
      let units = 0;
      let revenue = ZERO;
      const qualifyingRows: number[] = [];
      for (const acc of customers.values()) {
        const rev = def.method.measure === 'revenue' ? acc.revenueIn(c, this.opts.fx) : ZERO;
        const reason = customerGate(def, isNetNew(history.get(acc.customerId), explicit.get(acc.customerId)), acc.units, rev);
        if (reason) {
          bump(this.counts, reason, acc.rows);
          bump(pc, reason, acc.rows);
          continue;
        }
        measures.push({ customerId: acc.customerId, unitsBySku: acc.unitsBySku, revenue: rev, transactions: acc.rows });
        qualifyingRows.push(acc.rows);
        units += acc.units;
        revenue = revenue.plus(rev);
      }
      const needed = customersNeeded(def.qualify?.customers);
      const qualified = gate === null && measures.length >= needed && (needed > 0 || measures.length > 0);
      const rows = qualifyingRows.reduce((a, b) => a + b, 0);
      if (!qualified) {
        bump(this.counts, 'SERVICE_NOT_QUALIFIED', rows);
        bump(pc, 'SERVICE_NOT_QUALIFIED', rows);
      } else {
        this.counts.used += rows;
        pc.used += rows;
      }
      const earning = qualified ? def.method.earn(def.config, measures) : { earned: ZERO, lines: [] };
      const { earned, amount } = capService(c, earning.earned, def.cap);
      return {
        service: def.name,
        qualified,
        customers: measures.length,
        customersNeeded: needed,
        units,
        revenue,
        earned,
        amount,
        cap: def.cap,
      };
    });
    const info = this.opts.partners?.get(p.partnerId);
    const t = settle(c, services, gate !== null, info, this.opts.fx, this.opts.payoutDate ?? this.asOf);
    return {
      partnerId: p.partnerId,
      name: info?.name,
      status: t.status,
      reason: gate ?? undefined,
      services,
      subtotal: t.subtotal,
      total: t.total,
      payout: t.payout,
      payoutCurrency: t.payoutCurrency,
      payoutFx: t.payoutFx,
      carriedForward: t.carriedForward,
      rows: pc.toCounts(),
    };
  }
}

/** Evaluates rows against campaigns as they stream in; `finish` gives the result. */
export class Evaluator {
  private readonly runs: CampaignRun[];

  constructor(
    campaigns: readonly Campaign[],
    private readonly opts: EvaluateOptions = {},
  ) {
    this.runs = campaigns.map((c) => new CampaignRun(c, opts));
  }

  add(row: TxRow): void {
    for (const run of this.runs) run.add(row);
  }

  finish(): CalcResult {
    const campaigns = this.runs.map((r) => r.finish());
    return { asOf: this.opts.asOf ?? campaigns[0]?.asOf ?? '', campaigns };
  }
}

export function evaluate(campaigns: readonly Campaign[], rows: Iterable<TxRow>, opts: EvaluateOptions = {}): CalcResult {
  const ev = new Evaluator(campaigns, opts);
  for (const r of rows) ev.add(r);
  return ev.finish();
}

export type { PartnerDirectory };
