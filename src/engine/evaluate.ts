/**
 * evaluate(): credit -> filter -> partner gates -> customer gates -> partner gate ->
 * earn -> round -> caps -> minimum -> payout currency. No file or console I/O: rows
 * come in as plain objects, one at a time (Evaluator.add) or as an iterable.
 */
import { ZERO, type FxTable } from '../money/index.js';
import { isUsageService, type Campaign, type ServiceDef } from '../campaign/model.js';
import { plusDays } from '../dates.js';
import { PartnerAcc } from './accumulate.js';
import type { ClaimBook } from './claims.js';
import { creditRow, creditUsage } from './credit.js';
import { customerGate, customersNeeded, isNetNew } from './customer-gates.js';
import { Directory } from './directory.js';
import type { EligibilityBook, EligibilityGap } from './eligibility.js';
import { customerExclusion, dateReason, programReason, serviceOf, skuIndexOf } from './filter.js';
import { partnerGate, type GateFailure, type PartnerDirectory } from './partner-gates.js';
import { capService, settle } from './payout.js';
import { REASONS, type Reason } from './reasons.js';
import { usageKey, type PerActiveUser } from './earn/per-active-user.js';
import { rateFor } from '../campaign/rate-card.js';
import type { CustomerMeasure, TierStanding } from './earn/index.js';
import type { CalcResult, CampaignResult, PartnerInfo, PartnerResult, Registration, RowCounts, ServiceResult, TxRow, UsageRow } from './types.js';

export interface EvaluateOptions {
  partners?: ReadonlyMap<string, PartnerInfo>;
  /** Keyed by registrationKey(campaignId, partnerId). */
  registrations?: ReadonlyMap<string, Registration>;
  fx?: FxTable;
  /** claims.csv, for credit: claiming_partner | pal. */
  claims?: ClaimBook;
  /** eligibility.csv, for requires.eligibility. */
  eligibility?: EligibilityBook;
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
  /** Sub-reasons, e.g. CUSTOMER_EXCLUDED -> dedicated. */
  detail: Map<string, Map<string, number>> | null = null;

  note(reason: Reason, sub: string): void {
    this.detail ??= new Map();
    let m = this.detail.get(reason);
    if (!m) this.detail.set(reason, (m = new Map()));
    m.set(sub, (m.get(sub) ?? 0) + 1);
  }

  toCounts(): RowCounts {
    const excluded: RowCounts['excluded'] = {};
    REASONS.forEach((r, i) => {
      if (this.excluded[i]! > 0) excluded[r] = this.excluded[i];
    });
    const out: RowCounts = { read: this.read, used: this.used, excluded };
    if (this.detail) {
      out.excludedDetail = {};
      for (const [r, m] of [...this.detail].sort()) out.excludedDetail[r as Reason] = Object.fromEntries([...m].sort());
    }
    return out;
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
  /** Whether transactions.csv rows earn here (some service pays on seats, revenue or counts). */
  private readonly paysOnTransactions: boolean;
  /** Usage services by the workloads they pay for. */
  private readonly workloadIndex = new Map<string, ServiceDef>();
  /** Net paid seats per customer up to as_of, any partner (claims.min_paid_seats). */
  private readonly paidSeats: Map<string, number> | null;
  private readonly eligibilityGaps = new Map<string, EligibilityGap | null>();
  private readonly bounds: { start: string; end: string };
  /** First day of each usage service's window (as_of - window_days + 1). */
  private readonly windowStart = new Map<ServiceDef, string>();

  constructor(
    readonly c: Campaign,
    private readonly opts: EvaluateOptions,
    private readonly directory: Directory | undefined,
  ) {
    this.asOf = opts.asOf ?? c.asOf;
    this.skuIndex = skuIndexOf(c);
    for (const s of c.services) {
      this.history.set(s, new Map());
      this.explicitNetNew.set(s, new Map());
      if (isUsageService(s)) {
        const cfg = s.config as PerActiveUser;
        this.windowStart.set(s, plusDays(this.asOf, 1 - cfg.windowDays));
        for (const w of cfg.workloads) if (!this.workloadIndex.has(w)) this.workloadIndex.set(w, s);
      }
    }
    this.paysOnTransactions = c.services.some((s) => !isUsageService(s));
    this.paidSeats = c.claims?.minPaidSeats !== undefined ? new Map() : null;
    this.bounds = { start: c.period.start, end: c.period.end < this.asOf ? c.period.end : this.asOf };
  }

  /** Whether the campaign reads usage.csv. */
  get paysOnUsage(): boolean {
    return this.workloadIndex.size > 0;
  }

  /** The period (day, month, semester) of `day` lost to a requirement the partner did not meet, or null. */
  private eligibilityGap(partnerId: string, day: string): EligibilityGap | null {
    const e = this.c.eligibility;
    if (!e) return null;
    const key = `${partnerId}\u0000${e.period === 'day' ? day : e.period === 'month' ? day.slice(0, 7) : `${day.slice(0, 4)}${day.slice(5, 7) >= '07' ? 'H1' : 'H2'}`}`;
    let g = this.eligibilityGaps.get(key);
    if (g === undefined) {
      g = this.opts.eligibility ? this.opts.eligibility.gap(partnerId, e.requirements, e.period, day, this.bounds) : { requirement: e.requirements[0]!, day, period: day };
      this.eligibilityGaps.set(key, g);
    }
    return g;
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

  private partner(partnerId: string): { p: PartnerAcc; pc: Tally } {
    let p = this.partners.get(partnerId);
    let pc = this.partnerCounts.get(partnerId);
    if (!p || !pc) {
      this.partners.set(partnerId, (p = new PartnerAcc(partnerId)));
      this.partnerCounts.set(partnerId, (pc = newCounts()));
    }
    pc.read++;
    return { p, pc };
  }

  add(r: TxRow): void {
    const c = this.c;
    if (this.paidSeats && r.quantity !== null && r.subscriptionType === 'paid' && r.date <= this.asOf) {
      this.paidSeats.set(r.customerId, (this.paidSeats.get(r.customerId) ?? 0) + r.quantity);
    }
    // A campaign that pays only on usage reads transactions.csv as its directory of
    // customers and subscriptions; its rows are usage.csv's.
    if (!this.paysOnTransactions) return;
    this.counts.read++;
    const { def, eligible } = serviceOf(c, this.skuIndex, r);
    if (def) this.noteHistory(def, r);

    const partnerId = creditRow(c, r, this.opts.claims);
    if (partnerId === null) return this.exclude(undefined, 'NOT_CREDITED');
    const { p, pc } = this.partner(partnerId);

    const reason = dateReason(c, this.asOf, r, def) ?? programReason(c, r) ?? (def && eligible ? null : 'SKU_NOT_ELIGIBLE');
    if (reason) return this.exclude(pc, reason);
    const excluded = customerExclusion(c, r.customerId, partnerId, r.country, r.flags);
    if (excluded) return this.excludeCustomer(pc, excluded);
    const gate = this.gate(partnerId);
    if (gate) return this.exclude(pc, gate.code);
    // A removal always nets in: losing it to an eligibility gap would add seats.
    if (c.eligibility && !(r.quantity !== null && r.quantity < 0) && this.eligibilityGap(partnerId, r.date)) return this.loseToEligibility(pc, partnerId, r.date);

    const acc = p.customer(def!, r.customerId);
    acc.rows++;
    if (def!.method.measure === 'units') {
      const q = r.quantity ?? 0;
      acc.addUnits(r.sku, def!.method.rowUnits ? def!.method.rowUnits(def!.config, q) : q);
    } else if (def!.method.measure === 'revenue') acc.addRevenue(c, r);
  }

  /** The first period each partner lost to an eligibility gap, for the report. */
  private readonly firstLoss = new Map<string, EligibilityGap>();

  private loseToEligibility(pc: Tally, partnerId: string, day: string): void {
    const g = this.eligibilityGap(partnerId, day)!;
    const prior = this.firstLoss.get(partnerId);
    if (!prior || g.day < prior.day) this.firstLoss.set(partnerId, g);
    this.exclude(pc, 'PARTNER_INELIGIBLE');
  }

  private excludeCustomer(pc: Tally, why: string): void {
    this.exclude(pc, 'CUSTOMER_EXCLUDED');
    this.counts.note('CUSTOMER_EXCLUDED', why);
    pc.note('CUSTOMER_EXCLUDED', why);
  }

  /**
   * A usage.csv row: filter by date, credit, filter the rest, then count the user
   * (events) or keep the report (counts). The date comes first so rows outside the
   * window cost only their parse; they are counted for the campaign, not a partner.
   */
  addUsage(u: UsageRow): void {
    if (!this.paysOnUsage) return;
    const c = this.c;
    const dir = this.directory!;
    this.counts.read++;
    const def = this.workloadIndex.get(u.workload);
    if (def) {
      const early = u.date > this.asOf ? 'AFTER_AS_OF' : u.date < this.windowStart.get(def)! ? 'OUTSIDE_WINDOW' : null;
      if (early) return this.exclude(undefined, early);
    }
    const partnerId = creditUsage(c, u, this.opts.claims, dir);
    if (partnerId === null) return this.exclude(undefined, 'NOT_CREDITED');
    const { p, pc } = this.partner(partnerId);

    if (!def) return this.exclude(pc, 'WORKLOAD_NOT_ELIGIBLE');
    const cfg = def.config as PerActiveUser;
    if (u.date < c.period.start || u.date > c.period.end) return this.exclude(pc, 'OUTSIDE_PERIOD');
    if (cfg.metrics === null ? u.userId === '' : !cfg.metrics.includes(u.metric)) return this.exclude(pc, 'METRIC_NOT_PAID');

    const sub = u.subscriptionId ? dir.subscriptions.get(u.subscriptionId) : undefined;
    const cust = dir.customers.get(u.customerId);
    const sku = u.sku || sub?.sku || this.onlySku(def, u.workload, cust?.subscriptionBySku);
    const subId = u.subscriptionId || (sku ? cust?.subscriptionBySku.get(sku) : undefined);
    const facts = subId ? dir.subscriptions.get(subId) : undefined;
    const program = programReason(c, {
      licenseProgram: u.licenseProgram || facts?.program || '',
      subscriptionType: u.subscriptionType || facts?.type || 'paid',
    });
    if (program) return this.exclude(pc, program);
    const flags = u.flags ?? (cust?.flags ? [...cust.flags] : null);
    const excluded = customerExclusion(c, u.customerId, partnerId, u.country || cust?.country || '', flags);
    if (excluded) return this.excludeCustomer(pc, excluded);
    if (!sku || !rateFor(cfg.rates, sku, u.workload)) return this.exclude(pc, 'SKU_NOT_ELIGIBLE');
    const gate = this.gate(partnerId);
    if (gate) return this.exclude(pc, gate.code);
    if (c.eligibility && this.eligibilityGap(partnerId, u.date)) return this.loseToEligibility(pc, partnerId, u.date);

    const acc = p.customer(def, u.customerId);
    acc.rows++;
    const key = usageKey(sku, u.workload);
    if (cfg.metrics === null) acc.addUser(key, u.userId);
    else if (acc.addCount(key, u.metric, { date: u.date, value: u.value ?? 0, line: u.line })) {
      acc.rows--;
      this.exclude(pc, 'SUPERSEDED');
    }
  }

  /** The customer's one SKU that the service rates for the workload, when the usage row names none. */
  private onlySku(def: ServiceDef, workload: string, bySku: ReadonlyMap<string, string> | undefined): string {
    const cfg = def.config as PerActiveUser;
    const rated = [...(bySku?.keys() ?? [])].filter((sku) => rateFor(cfg.rates, sku, workload));
    return rated.length === 1 ? rated[0]! : '';
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
      const usage = isUsageService(def) ? (def.config as PerActiveUser) : null;
      for (const acc of customers.values()) {
        if (acc.rows === 0) continue;
        const rev = def.method.measure === 'revenue' ? acc.revenueIn(c, this.opts.fx) : ZERO;
        const active = usage ? acc.active(usage.metrics) : undefined;
        const customerUnits = active ? [...active.values()].reduce((a, b) => a + b, 0) : acc.units;
        const belowClaimMinimum = this.paidSeats !== null && (this.paidSeats.get(acc.customerId) ?? 0) < c.claims!.minPaidSeats!;
        const reason =
          (belowClaimMinimum ? 'CUSTOMER_BELOW_MINIMUM' : null) ??
          customerGate(def, isNetNew(history.get(acc.customerId), explicit.get(acc.customerId)), customerUnits, rev);
        if (reason) {
          bump(this.counts, reason, acc.rows);
          bump(pc, reason, acc.rows);
          continue;
        }
        measures.push({ customerId: acc.customerId, unitsBySku: acc.unitsBySku, revenue: rev, transactions: acc.rows, active });
        qualifyingRows.push(acc.rows);
        units += customerUnits;
        revenue = revenue.plus(rev);
      }
      const needed = customersNeeded(def.qualify?.customers);
      // Tiers always report where the partner stands, even when it earns nothing; a
      // partner that reaches no tier does not qualify for the service.
      const tierOnly = def.method.key === 'tiers' ? def.method.earn(def.config, measures).tier : undefined;
      const qualified =
        gate === null && measures.length >= needed && (needed > 0 || measures.length > 0) && (tierOnly === undefined || tierOnly.reached !== undefined);
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
      const tier: TierStanding | undefined = tierOnly;
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
        ...(tier ? { tier } : {}),
      };
    });
    const info = this.opts.partners?.get(p.partnerId);
    // A partner that lost every row it would have earned on to eligibility gaps is ineligible.
    const loss = this.firstLoss.get(p.partnerId);
    const lostAll = loss !== undefined && pc.used === 0;
    const reason: GateFailure | null =
      gate ??
      (loss
        ? {
            code: 'PARTNER_INELIGIBLE',
            detail: `${loss.requirement} not met on ${loss.day}: earnings of ${loss.period}${lostAll ? '' : ' and any other period with a gap'} are lost`,
          }
        : null);
    const t = settle(c, services, gate !== null || lostAll, info, this.opts.fx, this.opts.payoutDate ?? this.asOf);
    return {
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
  }
}

/** Evaluates rows against campaigns as they stream in; `finish` gives the result. */
export class Evaluator {
  private readonly runs: CampaignRun[];
  /** Built from transactions.csv only when some campaign pays on usage. */
  private readonly directory: Directory | undefined;

  constructor(
    campaigns: readonly Campaign[],
    private readonly opts: EvaluateOptions = {},
  ) {
    this.directory = campaigns.some((c) => c.services.some(isUsageService)) ? new Directory() : undefined;
    this.runs = campaigns.map((c) => new CampaignRun(c, opts, this.directory));
  }

  /** Whether any campaign reads usage.csv (after every transactions row is in). */
  get needsUsage(): boolean {
    return this.directory !== undefined;
  }

  add(row: TxRow): void {
    this.directory?.add(row);
    for (const run of this.runs) run.add(row);
  }

  /** A usage.csv row; give every transactions row first, since usage is credited through them. */
  addUsage(row: UsageRow): void {
    for (const run of this.runs) run.addUsage(row);
  }

  finish(): CalcResult {
    const campaigns = this.runs.map((r) => r.finish());
    return { asOf: this.opts.asOf ?? campaigns[0]?.asOf ?? '', campaigns };
  }
}

export function evaluate(campaigns: readonly Campaign[], rows: Iterable<TxRow>, opts: EvaluateOptions = {}, usage: Iterable<UsageRow> = []): CalcResult {
  const ev = new Evaluator(campaigns, opts);
  for (const r of rows) ev.add(r);
  for (const u of usage) ev.addUsage(u);
  return ev.finish();
}

export type { PartnerDirectory };
