/**
 * CampaignRun: one campaign's evaluation, fed rows one by one. It holds the run's state
 * (accumulators, gates, net-new evidence, verdicts after finish); the steps are in
 * their own modules, each a function of the run: classify.ts (credit, filters, gates),
 * finish.ts (customer and partner gates, earn, caps, payout), tell.ts (each row's story
 * after finish, for explain and traces), words.ts (the values compared, in words).
 * Its fields are the engine's state, read by those modules; commands read the
 * verdicts and the methods below.
 */
import { ZERO } from '../money/index.js';
import { isUsageService, type Campaign, type ServiceDef } from '../campaign/model.js';
import { plusDays } from '../dates.js';
import { ServiceTable } from './accumulate.js';
import { Interner } from './interner.js';
import { addUnitsExactly } from '../units.js';
import { NetNewBook } from './net-new.js';
import type { Directory } from './directory.js';
import type { EligibilityGap } from './eligibility.js';
import { serviceIndexOf, type ServiceIndex } from './filter.js';
import type { GateFailure } from './partner-gates.js';
import { Narrator } from './words.js';
import type { Reason } from './reasons.js';
import { rateFor } from '../earn/rate-card.js';
import { Phrases, type AtOnce, type Earning, type PendingRow, type TraceEvent } from './trace.js';
import type { RowContext, RowFacts } from '../earn/index.js';
import type { CampaignResult, PartnerResult, TxRow, UsageRow } from './types.js';
import { bump, newCounts, type Tally } from './tally.js';
import type { EvaluateOptions, PartnerSlot, PartnerVerdict, RowInputError, RowVerdict, SettledCampaign } from './verdicts.js';
import { classifyTx, classifyUsage, eligibilityGap } from './classify.js';
import { finishPartner } from './finish.js';
import { earningOf, exclusionAt, explainTx, explainUsage, settleRow, summaryItems } from './tell.js';

/** The evaluation of one campaign, fed rows one by one. */
export class CampaignRun implements SettledCampaign {
  readonly asOf: string;
  readonly counts = newCounts();
  /** Per credited partner: its index in the service tables and its row counts, in one lookup. */
  readonly slots = new Map<string, PartnerSlot>();
  /** Per service: a slot per (partner, customer), in columns. */
  readonly tables = new Map<ServiceDef, ServiceTable>();
  readonly gates = new Map<string, GateFailure | null>();
  readonly serviceIndex: ServiceIndex;
  /** Net-new evidence by service, then customer: from every row, whoever it is credited to. */
  readonly netNew: NetNewBook;
  /** Whether transactions.csv rows earn here (some service pays on seats, revenue or counts). */
  readonly paysOnTransactions: boolean;
  /** Usage services by the workloads they pay for. */
  readonly workloadIndex = new Map<string, ServiceDef>();
  /** Net paid seats per customer up to as_of, any partner (claims.min_paid_seats). */
  readonly paidSeats: Map<string, number> | null;
  readonly eligibilityGaps = new Map<string, EligibilityGap | null>();
  /** The verdict calc refills for every transactions row (no object per row). */
  readonly scratch: RowVerdict = { partnerId: null };
  readonly bounds: { start: string; end: string };
  /** First day of each usage service's window (as_of - window_days + 1). */
  readonly windowStart = new Map<ServiceDef, string>();
  /** The words of this run's exclusions (explain and traces only; calc never asks). */
  readonly words = new Narrator(this);

  constructor(
    readonly c: Campaign,
    readonly opts: EvaluateOptions,
    readonly directory: Directory | undefined,
    /** Customer ids, interned once for every campaign of the run. */
    readonly customers: Interner = new Interner(),
    /** Words told on many rows, numbered once for every campaign of the run. */
    readonly phrases: Phrases = new Phrases(),
  ) {
    this.asOf = opts.asOf ?? c.asOf;
    this.serviceIndex = serviceIndexOf(c);
    this.netNew = new NetNewBook(c.services, c.period.start, opts.keepVerdicts !== undefined && opts.keepVerdicts !== false);
    for (const s of c.services) {
      this.tables.set(s, new ServiceTable(s));
      if (isUsageService(s)) {
        const cfg = s.usage;
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

  exclude(pc: Tally | undefined, reason: Reason): void {
    bump(this.counts, reason);
    if (pc) bump(pc, reason);
  }

  partner(partnerId: string): PartnerSlot {
    let slot = this.slots.get(partnerId);
    if (!slot) this.slots.set(partnerId, (slot = { index: this.slots.size, pc: newCounts() }));
    slot.pc.read++;
    return slot;
  }

  /**
   * One transactions row. With `tell` (calc --explain), the row is told from the same
   * classification: excluded at once, or pending its customer's verdict. Returns the
   * row's input error, if it has one (then it is not counted).
   */
  add(r: TxRow, file?: string, tell?: AtOnce): RowInputError | null {
    if (this.paidSeats && r.quantity !== null && r.subscriptionType === 'paid' && r.date <= this.asOf) {
      this.paidSeats.set(r.customerId, addUnitsExactly(this.paidSeats.get(r.customerId) ?? 0, r.quantity));
    }
    // A campaign that pays only on usage reads transactions.csv as its directory of
    // customers and subscriptions; its rows are usage.csv's.
    if (!this.paysOnTransactions) return null;
    const v = classifyTx(this, r, this.scratch);
    if (v.missingQuantity) return { line: r.line, service: v.def!.name };
    // The customer is looked up only for rows that count: history, or accumulation.
    if (v.def && v.historyDef && this.netNew.wants(r)) this.netNew.note(v.historyDef, this.customers.of(r.customerId), r);
    const slot = this.apply(v, r.date);
    if (!slot) {
      if (tell) {
        const phrase = this.words.tx(v, r);
        tell.excluded(this.c.id, v.partnerId ?? '', v.def?.name, v.reason!, this.words.detail, phrase, r, file);
      }
      return null;
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
      p.earning = earningOf(this, r, v);
      p.slot = s;
      tell.pending(p);
    }
    table.addRows(s, 1);
    if (v.def!.method.measure === 'units') {
      table.addUnits(s, r.sku, v.units!);
      if (r.quantity !== v.units) table.addLimitedAway(s, r.quantity! - v.units!);
    } else if (v.def!.method.measure === 'revenue') table.addRevenue(s, this.c, r);
    return null;
  }

  /** Counts a row's verdict; the partner's slot when the row goes on to accumulate. */
  apply(v: RowVerdict, date: string): PartnerSlot | null {
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

  /** The first period each partner lost to an eligibility gap, for the report. */
  readonly firstLoss = new Map<string, EligibilityGap>();

  loseToEligibility(pc: Tally, partnerId: string, day: string): void {
    const g = eligibilityGap(this, partnerId, day)!;
    const prior = this.firstLoss.get(partnerId);
    if (!prior || g.day < prior.day) this.firstLoss.set(partnerId, g);
    this.exclude(pc, 'PARTNER_INELIGIBLE');
  }

  excludeCustomer(pc: Tally, why: string): void {
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
    const v = classifyUsage(this, u, true);
    const slot = this.apply(v, u.date);
    if (!slot) return;
    const table = this.tables.get(v.def!)!;
    const s = table.slot(slot.index, this.customers.of(u.customerId));
    table.addRows(s, 1);
    const cfg = v.def!.usage!;
    if (cfg.metrics === null) table.addUser(s, u.workload, u.userId, u.date, v.sku!, rateFor(cfg.rates, v.sku!, u.workload)?.rate ?? ZERO);
    else if (table.addCount(s, u.customerId, v.usageKey!, u.metric, { date: u.date, value: u.value ?? 0, line: u.line })) {
      table.addRows(s, -1);
      this.exclude(slot.pc, 'SUPERSEDED');
    }
  }

  finish(): CampaignResult {
    const c = this.c;
    const partners: PartnerResult[] = [];
    const ids = [...this.slots.keys()].sort();
    const byPartner = new Map<ServiceDef, Map<number, number[]>>();
    for (const [def, table] of this.tables) byPartner.set(def, table.slotsByPartner());
    for (const id of ids) {
      const slot = this.slots.get(id)!;
      partners.push(finishPartner(this, id, slot, byPartner));
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
  readonly exclusions = new Map<ServiceDef, ({ reason: Reason; detail: string } | undefined)[]>();
  /** With verdicts: the partners some of whose slots have an exclusion. */
  readonly excludedPartners = new Set<string>();

  /** The pending row handed to calc --explain, refilled for every row. */
  readonly pendingScratch = {} as PendingRow;
  /** Row earnings by service and the method's share key (per-unit: SKU and units): most rows share one, no Decimal per row. */
  readonly earnings = new Map<ServiceDef, Map<string, Earning>>();

  /** The row a method is told of (refilled per row), and what it may ask of the run. */
  readonly rowFacts: RowFacts = { sku: '', quantity: null, units: 0, amount: null, currency: '', date: '' };
  rowContext: RowContext | undefined;

  /** After finish: a transactions row's story (null when this campaign does not count it). */
  explainTx(r: TxRow, file?: string, only?: (campaign: string, partner: string) => boolean): TraceEvent | null {
    return explainTx(this, r, file, only);
  }

  /** After finish: a usage row's story. */
  explainUsage(u: UsageRow, file?: string, only?: (campaign: string, partner: string) => boolean): TraceEvent | null {
    return explainUsage(this, u, file, only);
  }

  /** After finish: a pending row's story, given its customer's and service's verdicts (see tell.ts). Mutates and returns `e`. */
  settle(e: TraceEvent, slot: number): TraceEvent {
    return settleRow(this, e, slot);
  }

  /** After finish: why the row that accumulated in `service`'s `slot` is excluded after all, or undefined. */
  exclusionAt(service: string, slot: number): { reason: Reason; detail: string } | undefined {
    return exclusionAt(this, service, slot);
  }

  /** After finish: whether any row of the partner that accumulated is excluded after all. */
  excludesAfterAll(partnerId: string): boolean {
    return this.excludedPartners.has(partnerId);
  }

  /** After finish: the lines that carry pay rows cannot (netting, limits, active users, a tier's pay). */
  summaryItems(partnerId: string): TraceEvent[] {
    return summaryItems(this, partnerId);
  }
}
