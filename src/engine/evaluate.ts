/**
 * evaluate(): credit -> filter -> partner gates -> customer gates -> partner gate ->
 * earn -> round -> caps -> minimum -> payout currency. No file or console I/O: rows
 * come in as plain objects, one at a time (Evaluator.add) or as an iterable.
 */
import { Decimal, formatMoney, ZERO, type FxTable } from '../money/index.js';
import { isUsageService, type Campaign, type ServiceDef } from '../campaign/model.js';
import { plusDays } from '../dates.js';
import { addUnitsExactly, Interner, ServiceTable, type CustomerAcc } from './accumulate.js';
import { NetNewBook } from './net-new.js';
import type { ClaimBook } from './claims.js';
import { creditRow, creditUsage } from './credit.js';
import { customerGate, customersNeeded } from './customer-gates.js';
import { Directory } from './directory.js';
import type { EligibilityBook, EligibilityGap } from './eligibility.js';
import { customerExclusion, dateReason, paysFor, programReason, serviceIndexOf, serviceOf, type ServiceIndex } from './filter.js';
import { partnerGate, type GateFailure, type PartnerDirectory } from './partner-gates.js';
import { capService, settle } from './payout.js';
import { REASONS, type Reason } from './reasons.js';
import { usageKey, type PerActiveUser } from './earn/per-active-user.js';
import { rateFor } from '../campaign/rate-card.js';
import { excludedEvent, pendingRowEvent, Phrases, type AtOnce, type Earning, type PendingRow, type TraceEvent } from './trace.js';
import type { CustomerMeasure, RowContext, RowFacts, TierStanding } from './earn/index.js';
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
  /** Keep each customer's and service's verdict after finish (explain, progress). */
  /**
   * Keep the verdicts after finish: `true` (explain, progress) keeps every customer's;
   * `'trace'` (calc --explain) keeps only the customers that failed, with each partner's
   * summary lines decided in finish (what a trace needs, not a verdict per customer).
   */
  keepVerdicts?: boolean | 'trace';
}

/** Why a customer of a service qualified or not, with its figures. */
export interface CustomerVerdict {
  customerId: string;
  reason: Reason | null;
  detail: string;
  units: number;
  revenue: Decimal;
  measure: CustomerMeasure;
}

export interface ServiceVerdict {
  def: ServiceDef;
  result: ServiceResult;
  customers: Map<string, CustomerVerdict>;
  /** Why the service did not qualify, in words. */
  notQualified?: string;
}

export interface PartnerVerdict {
  result: PartnerResult;
  /** Each service's verdict; with keepVerdicts 'trace', its customers are only those that failed. */
  services: Map<ServiceDef, ServiceVerdict>;
  /** With keepVerdicts 'trace': the summary lines, decided in finish. */
  summary?: TraceEvent[];
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
export class CampaignRun {
  readonly asOf: string;
  readonly counts = newCounts();
  /** Per credited partner: its index in the service tables and its row counts, in one lookup. */
  private readonly slots = new Map<string, PartnerSlot>();
  /** Per service: a slot per (partner, customer), in columns. */
  private readonly tables = new Map<ServiceDef, ServiceTable>();
  private readonly gates = new Map<string, GateFailure | null>();
  private readonly serviceIndex: ServiceIndex;
  /** Net-new evidence by service, then customer: from every row, whoever it is credited to. */
  private readonly netNew: NetNewBook;
  /** Whether transactions.csv rows earn here (some service pays on seats, revenue or counts). */
  private readonly paysOnTransactions: boolean;
  /** Usage services by the workloads they pay for. */
  private readonly workloadIndex = new Map<string, ServiceDef>();
  /** Net paid seats per customer up to as_of, any partner (claims.min_paid_seats). */
  private readonly paidSeats: Map<string, number> | null;
  private readonly eligibilityGaps = new Map<string, EligibilityGap | null>();
  /** The verdict calc refills for every transactions row (no object per row). */
  private readonly scratch: RowVerdict = { partnerId: null };
  private readonly bounds: { start: string; end: string };
  /** First day of each usage service's window (as_of - window_days + 1). */
  private readonly windowStart = new Map<ServiceDef, string>();
  /** calc --explain's words for rows dated after as_of or outside the period: phrases by date. */
  private readonly afterAsOfWords = new Map<string, number>();
  private readonly outsideWords = new Map<string, number>();
  private readonly programWords = new Map<string, number>();
  private readonly subscriptionWords = new Map<string, number>();
  private readonly skuWords = new Map<string, Map<string, number>>();
  private readonly gateWords = new Map<GateFailure, number>();

  constructor(
    readonly c: Campaign,
    private readonly opts: EvaluateOptions,
    private readonly directory: Directory | undefined,
    /** Customer ids, interned once for every campaign of the run. */
    private readonly customers: Interner = new Interner(),
    /** Words told on many rows, numbered once for every campaign of the run. */
    private readonly phrases: Phrases = new Phrases(),
  ) {
    this.asOf = opts.asOf ?? c.asOf;
    this.serviceIndex = serviceIndexOf(c);
    this.netNew = new NetNewBook(c.services, c.period.start, opts.keepVerdicts !== undefined && opts.keepVerdicts !== false);
    for (const s of c.services) {
      this.tables.set(s, new ServiceTable(s));
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
      g = this.opts.eligibility
        ? this.opts.eligibility.gap(partnerId, e.requirements, e.period, day, this.bounds)
        : { requirement: e.requirements[0]!, day, period: day };
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

  private partner(partnerId: string): PartnerSlot {
    let slot = this.slots.get(partnerId);
    if (!slot) this.slots.set(partnerId, (slot = { index: this.slots.size, pc: newCounts() }));
    slot.pc.read++;
    return slot;
  }

  /**
   * One transactions row. With `tell` (calc --explain), the row is told from the same
   * classification: excluded at once, or pending its customer's verdict. Returns true
   * when the row accumulated.
   */
  add(r: TxRow, file?: string, tell?: AtOnce): boolean {
    if (this.paidSeats && r.quantity !== null && r.subscriptionType === 'paid' && r.date <= this.asOf) {
      this.paidSeats.set(r.customerId, addUnitsExactly(this.paidSeats.get(r.customerId) ?? 0, r.quantity));
    }
    // A campaign that pays only on usage reads transactions.csv as its directory of
    // customers and subscriptions; its rows are usage.csv's.
    if (!this.paysOnTransactions) return false;
    const v = this.classifyTx(r, tell !== undefined, this.scratch);
    // The customer is looked up only for rows that count: history, or accumulation.
    if (v.def && v.historyDef && this.netNew.wants(r)) this.netNew.note(v.historyDef, this.customers.of(r.customerId), r);
    const slot = this.apply(v, r.date);
    if (!slot) {
      tell?.excluded(this.c.id, v.partnerId ?? '', v.def?.name, v.reason!, v.detail ?? v.reason!, v.phrase ?? -1, r, file);
      return false;
    }
    const table = this.tables.get(v.def!)!;
    const s = table.slot(slot.index, this.customers.of(r.customerId));
    if (tell) {
      const p = this.pendingScratch;
      p.campaign = this.c.id;
      p.partner = v.partnerId!;
      p.service = v.def!.name;
      p.row = r;
      p.file = file;
      p.earning = this.earningOf(r, v);
      p.slot = s;
      tell.pending(p);
    }
    table.addRows(s, 1);
    if (v.def!.method.measure === 'units') {
      table.addUnits(s, r.sku, v.units!);
      if (r.quantity !== v.units) table.addLimitedAway(s, r.quantity! - v.units!);
    } else if (v.def!.method.measure === 'revenue') table.addRevenue(s, this.c, r);
    return true;
  }

  /** Counts a row's verdict; the partner's slot when the row goes on to accumulate. */
  private apply(v: RowVerdict, date: string): PartnerSlot | null {
    this.counts.read++;
    if (v.partnerId === null) {
      this.exclude(undefined, v.reason!);
      return null;
    }
    const slot = this.partner(v.partnerId);
    if (!v.reason) return slot;
    if (v.reason === 'CUSTOMER_EXCLUDED') this.excludeCustomer(slot.pc, v.sub!);
    else if (v.reason === 'PARTNER_INELIGIBLE') this.loseToEligibility(slot.pc, v.partnerId, date);
    else this.exclude(slot.pc, v.reason);
    return null;
  }

  /**
   * Steps 1-3 for a transactions row: credit, row filters, customer exclusions,
   * partner gates, eligibility. The same code decides calc and explain; `explain`
   * also writes down the values compared.
   */
  classifyTx(r: TxRow, explain: boolean, v: RowVerdict = { partnerId: null }): RowVerdict {
    const c = this.c;
    const def = serviceOf(this.serviceIndex, r);
    const partnerId = creditRow(c, r, this.opts.claims);
    // One object per call, filled in place: calc passes the same scratch verdict for every row.
    refill(v, partnerId, def, def);
    if (partnerId === null) {
      v.reason = 'NOT_CREDITED';
      if (explain) v.detail = this.notCreditedTx(r);
      return v;
    }
    const dateR = dateReason(c, this.asOf, r, def);
    if (dateR) {
      v.reason = dateR;
      if (explain) this.sayDate(v, dateR, r.date);
      return v;
    }
    const prog = programReason(c, r);
    if (prog) {
      v.reason = prog;
      if (explain) this.sayProgram(v, prog, prog === 'LICENSE_PROGRAM' ? r.licenseProgram : r.subscriptionType);
      return v;
    }
    if (!def || !paysFor(def, r)) {
      v.reason = 'SKU_NOT_ELIGIBLE';
      if (explain) this.saySku(v, r.sku, r.service);
      return v;
    }
    const excluded = c.exclude ? customerExclusion(c, r.customerId, partnerId, r.country, r.flags) : null;
    if (excluded) {
      v.reason = 'CUSTOMER_EXCLUDED';
      v.sub = excluded;
      if (explain) v.detail = `customer ${r.customerId}: ${excluded.replace(/_/g, ' ')}${r.country ? ` (${r.country})` : ''}`;
      return v;
    }
    const gate = this.gate(partnerId);
    if (gate) {
      v.reason = gate.code;
      v.detail = gate.detail;
      if (explain) {
        let id = this.gateWords.get(gate);
        if (id === undefined) this.gateWords.set(gate, (id = this.phrases.id(gate.detail)));
        v.phrase = id;
      }
      return v;
    }
    // A removal always nets in: losing it to an eligibility gap would add seats.
    if (c.eligibility && !(r.quantity !== null && r.quantity < 0)) {
      const g = this.eligibilityGap(partnerId, r.date);
      if (g) {
        v.reason = 'PARTNER_INELIGIBLE';
        v.detail = `${g.requirement} not met on ${g.day}: ${g.period} is lost`;
        if (explain) v.phrase = this.phrases.id(v.detail);
        return v;
      }
    }
    // A seat-based service cannot read a missing quantity as 0 seats: the row is refused.
    if (r.quantity === null && def.method.measure === 'units') throw new MissingQuantityError(r.line, def.name);
    const q = r.quantity ?? 0;
    v.units = def.method.measure === 'units' ? (def.method.rowUnits ? def.method.rowUnits(def.config, q) : q) : 0;
    return v;
  }

  /** The words for a row dated outside the campaign: one phrase per date, made once (a year has ~400). */
  private sayDate(v: RowVerdict, reason: Reason, date: string): void {
    const cache = reason === 'AFTER_AS_OF' ? this.afterAsOfWords : this.outsideWords;
    let id = cache.get(date);
    if (id === undefined) {
      id = this.phrases.id(
        reason === 'AFTER_AS_OF' ? `dated ${date}, after as_of ${this.asOf}` : `dated ${date}, outside ${this.c.period.start}..${this.c.period.end}`,
      );
      cache.set(date, id);
    }
    v.phrase = id;
    v.detail = this.phrases.texts[id];
  }

  /** The words for a licence program or subscription type no service takes: one phrase per value. */
  private sayProgram(v: RowVerdict, reason: Reason, value: string): void {
    const cache = reason === 'LICENSE_PROGRAM' ? this.programWords : this.subscriptionWords;
    let id = cache.get(value);
    if (id === undefined) {
      id = this.phrases.id(reason === 'LICENSE_PROGRAM' ? `licence program ${value || '(none)'}` : `subscription type ${value}`);
      cache.set(value, id);
    }
    v.phrase = id;
    v.detail = this.phrases.texts[id];
  }

  /** The words for a SKU no service pays: one phrase per SKU and service column. */
  private saySku(v: RowVerdict, sku: string, service: string): void {
    let byService = this.skuWords.get(sku);
    if (!byService) this.skuWords.set(sku, (byService = new Map()));
    let id = byService.get(service);
    if (id === undefined) {
      id = this.phrases.id(`SKU ${sku}${service ? ` (service ${service})` : ''} is paid by no service of ${this.c.id}`);
      byService.set(service, id);
    }
    v.phrase = id;
    v.detail = this.phrases.texts[id];
  }

  private notCreditedTx(r: TxRow): string {
    const c = this.c;
    if (c.credit === 'transacting_partner') return 'the row has no partner_id';
    if (c.credit === 'reseller') return `no reseller on the row (reseller_id ${r.resellerId || 'empty'})`;
    return this.noClaim(r.customerId, r.date);
  }

  private noClaim(customerId: string, date: string): string {
    const types = this.c.claims?.types ?? new Set<string>();
    const claims = this.opts.claims?.onCustomer(types, customerId) ?? [];
    if (claims.length === 0) return `no ${[...types].join('/')} claim on customer ${customerId} in claims.csv`;
    return `no ${[...types].join('/')} claim covers customer ${customerId} on ${date} (claims: ${claims.map((x) => `${x.partnerId} ${x.from}..${x.to ?? 'open'}`).join(', ')})`;
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
    const v = this.classifyUsage(u, false);
    const slot = this.apply(v, u.date);
    if (!slot) return;
    const table = this.tables.get(v.def!)!;
    const s = table.slot(slot.index, this.customers.of(u.customerId));
    table.addRows(s, 1);
    const cfg = v.def!.config as PerActiveUser;
    if (cfg.metrics === null) table.addUser(s, u.workload, u.userId, u.date, v.sku!, rateFor(cfg.rates, v.sku!, u.workload)?.rate ?? ZERO);
    else if (table.addCount(s, u.customerId, v.usageKey!, u.metric, { date: u.date, value: u.value ?? 0, line: u.line })) {
      table.addRows(s, -1);
      this.exclude(slot.pc, 'SUPERSEDED');
    }
  }

  classifyUsage(u: UsageRow, explain: boolean): RowVerdict {
    const c = this.c;
    const dir = this.directory!;
    const def = this.workloadIndex.get(u.workload);
    if (def) {
      // Most rows of a long file end here: calc refills one scratch verdict for them.
      const start = this.windowStart.get(def)!;
      const early: Reason | null = u.date > this.asOf ? 'AFTER_AS_OF' : u.date < start ? 'OUTSIDE_WINDOW' : null;
      if (early) {
        const v = refill(explain ? { partnerId: null } : this.scratch, null, def, undefined);
        v.reason = early;
        v.detail = !explain
          ? undefined
          : early === 'AFTER_AS_OF'
            ? `dated ${u.date}, after as_of ${this.asOf}`
            : `dated ${u.date}, before the window ${start}..${this.asOf}`;
        return v;
      }
    }
    const partnerId = creditUsage(c, u, this.opts.claims, dir);
    if (partnerId === null) {
      const why =
        c.credit === 'claiming_partner' || c.credit === 'pal'
          ? this.noClaim(u.customerId, u.date)
          : `no partner transacts ${u.subscriptionId ? `subscription ${u.subscriptionId}` : `customer ${u.customerId}`} unambiguously in transactions.csv`;
      return { partnerId, def, reason: 'NOT_CREDITED', detail: explain ? why : undefined };
    }
    if (!def) return { partnerId, reason: 'WORKLOAD_NOT_ELIGIBLE', detail: explain ? `workload ${u.workload} is paid by no service of ${c.id}` : undefined };
    const cfg = def.config as PerActiveUser;
    if (u.date < c.period.start || u.date > c.period.end)
      return { partnerId, def, reason: 'OUTSIDE_PERIOD', detail: explain ? `dated ${u.date}, outside ${c.period.start}..${c.period.end}` : undefined };
    if (cfg.metrics === null ? u.userId === '' : !cfg.metrics.includes(u.metric)) {
      return {
        partnerId,
        def,
        reason: 'METRIC_NOT_PAID',
        detail: explain ? `${def.name} pays on ${cfg.metrics ? cfg.metrics.join(' / ') : 'user events'}; the row is ${u.metric || 'an event'}` : undefined,
      };
    }
    const sub = u.subscriptionId ? dir.subscriptions.get(u.subscriptionId) : undefined;
    const cust = dir.customers.get(u.customerId);
    const sku = u.sku || sub?.sku || this.onlySku(def, u.workload, cust?.subscriptionBySku);
    const subId = u.subscriptionId || (sku ? cust?.subscriptionBySku.get(sku) : undefined);
    const facts = subId ? dir.subscriptions.get(subId) : undefined;
    const licenseProgram = u.licenseProgram || facts?.program || '';
    const subscriptionType = u.subscriptionType || facts?.type || 'paid';
    const program = programReason(c, { licenseProgram, subscriptionType });
    if (program)
      return {
        partnerId,
        def,
        reason: program,
        detail: explain
          ? program === 'LICENSE_PROGRAM'
            ? `licence program ${licenseProgram || '(none)'}`
            : `subscription type ${subscriptionType}`
          : undefined,
      };
    const flags = u.flags ?? (cust?.flags ? [...cust.flags] : null);
    const country = u.country || cust?.country || '';
    const excluded = customerExclusion(c, u.customerId, partnerId, country, flags);
    if (excluded)
      return {
        partnerId,
        def,
        reason: 'CUSTOMER_EXCLUDED',
        sub: excluded,
        detail: explain ? `customer ${u.customerId}: ${excluded.replace(/_/g, ' ')}${country ? ` (${country})` : ''}` : undefined,
      };
    if (!sku || !rateFor(cfg.rates, sku, u.workload)) {
      return {
        partnerId,
        def,
        reason: 'SKU_NOT_ELIGIBLE',
        detail: explain
          ? sku
            ? `SKU ${sku} has no ${u.workload} rate in ${def.name}'s rate card`
            : `no SKU: the row names none and customer ${u.customerId} has no single rated subscription`
          : undefined,
      };
    }
    const gate = this.gate(partnerId);
    if (gate) return { partnerId, def, reason: gate.code, detail: gate.detail };
    if (c.eligibility) {
      const g = this.eligibilityGap(partnerId, u.date);
      if (g) return { partnerId, def, reason: 'PARTNER_INELIGIBLE', detail: `${g.requirement} not met on ${g.day}: ${g.period} is lost` };
    }
    return { partnerId, def, usageKey: usageKey(sku, u.workload), sku };
  }

  /** The customer's one SKU that the service rates for the workload, when the usage row names none. */
  private onlySku(def: ServiceDef, workload: string, bySku: ReadonlyMap<string, string> | undefined): string {
    const cfg = def.config as PerActiveUser;
    const rated = [...(bySku?.keys() ?? [])].filter((sku) => rateFor(cfg.rates, sku, workload));
    return rated.length === 1 ? rated[0]! : '';
  }

  finish(): CampaignResult {
    const c = this.c;
    const partners: PartnerResult[] = [];
    const ids = [...this.slots.keys()].sort();
    const byPartner = new Map<ServiceDef, Map<number, number[]>>();
    for (const [def, table] of this.tables) byPartner.set(def, table.slotsByPartner());
    for (const id of ids) {
      const slot = this.slots.get(id)!;
      partners.push(this.finishPartner(id, slot, byPartner));
    }
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

  /** Per partner, after finish, when keepVerdicts is set. */
  readonly verdicts = new Map<string, PartnerVerdict>();
  /** With verdicts: per service, by slot, why a row that accumulated there is excluded after all (sparse). */
  private readonly exclusions = new Map<ServiceDef, ({ reason: Reason; detail: string } | undefined)[]>();

  private finishPartner(partnerId: string, slot: PartnerSlot, byPartner: Map<ServiceDef, Map<number, number[]>>): PartnerResult {
    const c = this.c;
    const pc = slot.pc;
    const p = { partnerId };
    const gate = this.gate(p.partnerId);
    const keep = this.opts.keepVerdicts !== undefined && this.opts.keepVerdicts !== false;
    const everyCustomer = this.opts.keepVerdicts === true;
    /** 'trace': the qualifying customers, only for the summary lines decided below. */
    const qualifyingBy = new Map<ServiceDef, CustomerVerdict[]>();
    const serviceVerdicts = new Map<ServiceDef, ServiceVerdict>();
    const services: ServiceResult[] = c.services.map((def) => {
      const customerVerdicts = new Map<string, CustomerVerdict>();
      const table = this.tables.get(def)!;
      const slots = byPartner.get(def)!.get(slot.index) ?? [];
      const measures: CustomerMeasure[] = [];
      let units = 0;
      let netUnits = 0;
      let revenue = ZERO;
      const qualifyingRows: number[] = [];
      // With verdicts: the slots whose customer failed, and the others (a failed service excludes them too).
      const excludedSlots: number[] = [];
      const qualifyingSlots: number[] = [];
      const usage = isUsageService(def) ? (def.config as PerActiveUser) : null;
      for (const s of slots) {
        const acc = table.view(s, this.customers);
        const customer = table.customer(s);
        if (acc.rows === 0) continue;
        const rev = def.method.measure === 'revenue' ? acc.revenueIn(c, this.opts.fx) : ZERO;
        const active = usage ? acc.active(usage.metrics) : undefined;
        const customerUnits = active ? [...active.values()].reduce(addUnitsExactly, 0) : acc.units;
        const belowClaimMinimum = this.paidSeats !== null && (this.paidSeats.get(acc.customerId) ?? 0) < c.claims!.minPaidSeats!;
        const reason = (belowClaimMinimum ? 'CUSTOMER_BELOW_MINIMUM' : null) ?? customerGate(def, this.netNew.isNetNew(def, customer), customerUnits, rev);
        const measure: CustomerMeasure = { customerId: acc.customerId, unitsBySku: acc.unitsBySku, revenue: rev, transactions: acc.rows, active };
        if (keep && (reason !== null || everyCustomer)) {
          customerVerdicts.set(acc.customerId, {
            customerId: acc.customerId,
            reason,
            detail: reason
              ? this.customerDetail(
                  def,
                  acc.customerId,
                  reason,
                  customerUnits,
                  rev,
                  this.netNew.earliest(def, customer),
                  this.netNew.explicitValue(def, customer),
                )
              : '',
            units: customerUnits,
            revenue: rev,
            measure,
          });
        } else if (keep && reason === null) {
          let q = qualifyingBy.get(def);
          if (!q) qualifyingBy.set(def, (q = []));
          q.push({ customerId: acc.customerId, reason, detail: '', units: customerUnits, revenue: rev, measure });
        }
        if (reason) {
          bump(this.counts, reason, acc.rows);
          bump(pc, reason, acc.rows);
          if (keep) excludedSlots.push(s);
          continue;
        }
        if (keep) qualifyingSlots.push(s);
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
        bump(this.counts, 'SERVICE_NOT_QUALIFIED', rows);
        bump(pc, 'SERVICE_NOT_QUALIFIED', rows);
      } else {
        this.counts.used += rows;
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
        let bySlot = this.exclusions.get(def);
        if (!bySlot) this.exclusions.set(def, (bySlot = []));
        for (const s of excludedSlots) {
          const cv = customerVerdicts.get(this.customers.names[table.customer(s)]!)!;
          bySlot[s] = { reason: cv.reason!, detail: cv.detail };
        }
        if (!qualified) {
          const serviceWords = { reason: 'SERVICE_NOT_QUALIFIED' as const, detail: `${def.name}: ${notQualified}` };
          for (const s of qualifyingSlots) bySlot[s] = serviceWords;
        }
      }
      return result;
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
      if (!everyCustomer) verdict.summary = this.summaryOf(p.partnerId, serviceVerdicts, (sv) => qualifyingBy.get(sv.def) ?? []);
      this.verdicts.set(p.partnerId, verdict);
    }
    return partnerResult;
  }

  private event(partnerId: string | null, p: Partial<TraceEvent> & { status: TraceEvent['status']; detail: string }): TraceEvent {
    return { kind: 'row', campaign: this.c.id, partner: partnerId ?? '', amount: ZERO, trimmed: ZERO, paid: ZERO, ...p };
  }

  /** A row excluded before it accumulates. */
  private excludedAtOnce(r: TxRow, v: RowVerdict, file: string | undefined): TraceEvent {
    return excludedEvent(this.c.id, v.partnerId ?? '', v.def?.name, v.reason!, v.detail ?? v.reason!, r, file);
  }

  /** After finish: a transactions row's story (null when this campaign does not count it). */
  explainTx(r: TxRow, file?: string, only?: (campaign: string, partner: string) => boolean): TraceEvent | null {
    if (!this.paysOnTransactions) return null;
    const c = this.c;
    if (only) {
      // Rows of other partners are skipped before any words are written.
      const quick = this.classifyTx(r, false);
      if (quick.partnerId === null || !only(c.id, quick.partnerId)) return null;
    }
    const v = this.classifyTx(r, true);
    if (v.reason) return this.excludedAtOnce(r, v, file);
    const slot = this.tables.get(v.def!)!.find(this.slots.get(v.partnerId!)!.index, this.customers.find(r.customerId)!)!;
    return this.settle(
      pendingRowEvent({ campaign: c.id, partner: v.partnerId!, service: v.def!.name, row: r, file, earning: this.earningOf(r, v), slot }),
      slot,
    );
  }

  /** The pending row handed to calc --explain, refilled for every row. */
  private readonly pendingScratch = {} as PendingRow;
  /** Row earnings by service and the method's share key (per-unit: SKU and units): most rows share one, no Decimal per row. */
  private readonly earnings = new Map<ServiceDef, Map<string, Earning>>();

  /**
   * What a row that accumulated earns if its customer and service qualify (units x
   * rate, revenue x FX x percent), or that it counts; settle() decides after finish.
   * Per-unit earnings are made once per SKU and unit count.
   */
  private earningOf(r: TxRow, v: RowVerdict): Earning {
    const def = v.def!;
    const m = def.method;
    const f = this.rowFacts;
    f.sku = r.sku;
    f.quantity = r.quantity;
    f.units = v.units ?? 0;
    f.amount = r.amount;
    f.currency = r.currency;
    f.date = r.date;
    const key = m.shareKey?.(def.config, f);
    let byKey = key === undefined ? undefined : this.earnings.get(def);
    if (key !== undefined) {
      if (!byKey) this.earnings.set(def, (byKey = new Map()));
      const had = byKey.get(key);
      if (had) return had;
    }
    this.rowContext ??= { currency: this.c.currency, fx: (cur, date) => this.fxFor(cur, date) };
    const g = m.rowEarning?.(def.config, f, this.rowContext) ?? {
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

  /** The row a method is told of (refilled per row), and what it may ask of the run. */
  private readonly rowFacts: RowFacts = { sku: '', quantity: null, units: 0, amount: null, currency: '', date: '' };
  private rowContext: RowContext | undefined;

  /**
   * After finish: a pending row's story, given its customer's and service's verdicts
   * (the row is excluded when either failed), found by the row's slot in its service's
   * table (CampaignRun.add hands it with the event). Mutates and returns `e`.
   */
  settle(e: TraceEvent, slot: number): TraceEvent {
    const x = this.exclusionAt(e.service!, slot);
    if (x === undefined) return e;
    e.status = 'excluded';
    e.reason = x.reason;
    e.detail = x.detail;
    e.units = e.rate = e.fx = undefined;
    e.amount = e.paid = ZERO;
    return e;
  }

  /** After finish: why the row that accumulated in `service`'s `slot` is excluded after all (its customer's or service's verdict), or undefined. */
  exclusionAt(service: string, slot: number): { reason: Reason; detail: string } | undefined {
    return this.exclusions.get(this.serviceIndex.byName.get(service)!)?.[slot];
  }

  /** After finish: a usage row's story. */
  explainUsage(u: UsageRow, file?: string, only?: (campaign: string, partner: string) => boolean): TraceEvent | null {
    if (!this.paysOnUsage) return null;
    if (only) {
      const quick = this.classifyUsage(u, false);
      if (quick.partnerId === null || !only(this.c.id, quick.partnerId)) return null;
    }
    const v = this.classifyUsage(u, true);
    const base = { file, line: u.line, date: u.date, customer: u.customerId, sku: v.sku, service: v.def?.name };
    if (v.reason) return this.event(v.partnerId, { ...base, status: 'excluded', reason: v.reason, detail: v.detail ?? v.reason });
    const sv = this.verdicts.get(v.partnerId!)!.services.get(v.def!)!;
    const cv = sv.customers.get(u.customerId);
    if (cv?.reason) return this.event(v.partnerId, { ...base, status: 'excluded', reason: cv.reason, detail: cv.detail });
    if (!sv.result.qualified)
      return this.event(v.partnerId, { ...base, status: 'excluded', reason: 'SERVICE_NOT_QUALIFIED', detail: `${v.def!.name}: ${sv.notQualified}` });
    if (!u.userId) {
      const standing = this.customerAcc(v.partnerId!, v.def!, u.customerId)?.latest(v.usageKey!, u.metric);
      if (standing && standing.line !== u.line) {
        return this.event(v.partnerId, {
          ...base,
          status: 'excluded',
          reason: 'SUPERSEDED',
          detail: `${u.metric} = ${u.value} on ${u.date}; the count of ${standing.date} (line ${standing.line}, ${standing.value}) replaces it`,
        });
      }
    }
    const what = u.userId ? `user ${u.userId} active in ${u.workload}` : `${u.metric} = ${u.value} in ${u.workload}`;
    return this.event(v.partnerId, { ...base, status: 'counted', detail: `${what}; the customer's pay is on its customer line` });
  }

  /** One customer of a partner and service, after the rows are in. */
  private customerAcc(partnerId: string, def: ServiceDef, customerId: string): CustomerAcc | undefined {
    const slot = this.slots.get(partnerId);
    const customer = this.customers.find(customerId);
    if (!slot || customer === undefined) return undefined;
    const table = this.tables.get(def)!;
    const s = table.find(slot.index, customer);
    return s === undefined ? undefined : table.view(s, this.customers);
  }

  private fxFor(cur: string, date: string): { rate: Decimal; source: string } {
    const c = this.c;
    if (cur === c.currency) return { rate: new Decimal(1), source: 'same currency' };
    const fixed = c.fixedFx.get(cur);
    if (fixed) return { rate: fixed, source: `campaign fx.fixed ${cur}` };
    const q = this.opts.fx!.rate(cur, c.currency, date);
    return {
      rate: q.rate,
      source: `fx.csv ${q.source === 'table-inverse' ? 'inverse of ' : ''}${q.quoteDate ?? ''}${q.quoteLine ? ` (line ${q.quoteLine})` : ''}`,
    };
  }

  /**
   * After finish: the lines that carry pay rows cannot: a customer's netting or
   * limits (per_unit), a customer's active users (per_active_user), a tier's pay.
   */
  summaryItems(partnerId: string): TraceEvent[] {
    const pv = this.verdicts.get(partnerId);
    if (!pv) return [];
    return pv.summary ?? this.summaryOf(partnerId, pv.services, (sv) => [...sv.customers.values()].filter((x) => x.reason === null));
  }

  /** The summary lines of a partner, given each service's qualifying customers. */
  private summaryOf(
    partnerId: string,
    services: ReadonlyMap<ServiceDef, ServiceVerdict>,
    qualifyingOf: (sv: ServiceVerdict) => CustomerVerdict[],
  ): TraceEvent[] {
    const c = this.c;
    const out: TraceEvent[] = [];
    for (const sv of services.values()) {
      if (!sv.result.qualified) continue;
      const def = sv.def;
      const lines = def.method.summaryLines;
      if (!lines) continue;
      const qualifying = [...qualifyingOf(sv)].sort((a, b) => (a.customerId < b.customerId ? -1 : 1));
      for (const l of lines(def.config, def.name, qualifying, c.currency)) {
        out.push({
          ...this.event(partnerId, { status: l.status, detail: l.detail }),
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

  /** A failed customer gate in words, with the values compared. */
  private customerDetail(
    def: ServiceDef,
    customerId: string,
    reason: Reason,
    units: number,
    revenue: Decimal,
    earliest: string | undefined,
    explicit: boolean | undefined,
  ): string {
    const c = this.c;
    if (reason === 'CUSTOMER_NOT_NET_NEW') {
      if (explicit === false) return `customer ${customerId} is marked net_new=false for ${def.name}`;
      const [date, id] = (earliest ?? '').split('\u0000');
      return `customer ${customerId} already had ${def.name}: row ${id} on ${date}, before the period starts ${c.period.start}`;
    }
    if (this.paidSeats !== null && (this.paidSeats.get(customerId) ?? 0) < c.claims!.minPaidSeats!) {
      return `customer ${customerId} has ${this.paidSeats.get(customerId) ?? 0} net paid seats on ${this.asOf}; a claimed customer needs at least ${c.claims!.minPaidSeats}`;
    }
    const q = def.qualify;
    if (q?.unitsPerCustomer !== undefined && units < q.unitsPerCustomer) {
      const what = isUsageService(def) ? 'active users' : 'net seats';
      return `customer ${customerId} has ${units} ${what} on ${this.asOf}; needs at least ${q.unitsPerCustomer} (${q.unitsPerCustomer - units} more)`;
    }
    if (q?.revenuePerCustomer !== undefined) {
      return `customer ${customerId} billed ${formatMoney(revenue, c.currency)} ${c.currency} of ${def.name}; needs at least ${formatMoney(q.revenuePerCustomer, c.currency)}`;
    }
    return reason;
  }
}

/** Resets a verdict for another row (calc refills one scratch verdict rather than make one per row). */
function refill(v: RowVerdict, partnerId: string | null, def: ServiceDef | undefined, historyDef: ServiceDef | undefined): RowVerdict {
  v.partnerId = partnerId;
  v.def = def;
  v.historyDef = historyDef;
  v.reason = undefined;
  v.sub = undefined;
  v.detail = undefined;
  v.phrase = undefined;
  v.units = 0;
  v.usageKey = undefined;
  v.sku = undefined;
  return v;
}

/** A credited partner: its index in the service tables, and its row counts. */
interface PartnerSlot {
  index: number;
  pc: Tally;
}

/** What steps 1-3 decided for one row. */
export interface RowVerdict {
  /** The credited partner; null: nobody (NOT_CREDITED), or a usage row dropped before credit. */
  partnerId: string | null;
  def?: ServiceDef;
  /** The service whose net-new history the row feeds (transactions rows). */
  historyDef?: ServiceDef;
  reason?: Reason;
  /** A sub-reason (CUSTOMER_EXCLUDED: which flag or country). */
  sub?: string;
  /** The values compared, in words (explain only). */
  detail?: string;
  /** The number of `detail` in the run's Phrases when many rows share the words (explain only). */
  phrase?: number;
  /** Units the row counts for (after per-transaction limits). */
  units?: number;
  usageKey?: string;
  sku?: string;
}

/** Evaluates rows against campaigns as they stream in; `finish` gives the result. */
export class Evaluator {
  private readonly runs: CampaignRun[];
  /** Built from transactions.csv only when some campaign pays on usage. */
  private readonly directory: Directory | undefined;
  /** Customer ids, interned once for every campaign. */
  private readonly customers = new Interner();
  private readonly phrases = new Phrases();

  constructor(
    campaigns: readonly Campaign[],
    private readonly opts: EvaluateOptions = {},
  ) {
    this.directory = campaigns.some((c) => c.services.some(isUsageService)) ? new Directory() : undefined;
    this.runs = campaigns.map((c) => new CampaignRun(c, opts, this.directory, this.customers, this.phrases));
  }

  /** Whether any campaign reads usage.csv (after every transactions row is in). */
  get needsUsage(): boolean {
    return this.directory !== undefined;
  }

  add(row: TxRow): void {
    this.directory?.add(row);
    for (const run of this.runs) run.add(row);
  }

  /** After finish (keepVerdicts): each campaign's story of one transactions row. */
  explainTx(row: TxRow, file?: string, only?: (campaign: string, partner: string) => boolean): TraceEvent[] {
    return this.runs.flatMap((run) => run.explainTx(row, file, only) ?? []);
  }

  /** calc --explain: adds the row and tells `tell` each campaign's story of it, at once or pending. */
  addTelling(row: TxRow, file: string, tell: AtOnce): void {
    this.directory?.add(row);
    for (const run of this.runs) run.add(row, file, tell);
  }

  explainUsage(row: UsageRow, file?: string, only?: (campaign: string, partner: string) => boolean): TraceEvent[] {
    return this.runs.flatMap((run) => run.explainUsage(row, file, only) ?? []);
  }

  /** The campaign runs, for explain and progress (after finish). */
  get campaignRuns(): readonly CampaignRun[] {
    return this.runs;
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

/** A row that reaches a seat-based service without a quantity: an input error, never 0 seats. */
export class MissingQuantityError extends Error {
  constructor(
    readonly line: number,
    readonly service: string,
  ) {
    super(`line ${line}: service ${service} counts seats, and the row has no quantity`);
  }
}
