/**
 * The values compared, in words: why a row or customer was excluded. The engine decides
 * with facts (verdicts.ts); this module alone turns them into sentences.
 */
import { Decimal, formatMoney } from '../money/index.js';
import { isUsageService, type ServiceDef } from '../campaign/model.js';
import type { Reason } from './reasons.js';
import type { TxRow, UsageRow } from './types.js';
import type { EligibilityGap } from './eligibility.js';
import type { GateFailure } from './partner-gates.js';
import { type RowVerdict } from './verdicts.js';
import type { CampaignRun } from './run.js';

/**
 * A row's exclusion in words, from its verdict's facts and the row: what explain, progress
 * and the traces print. Words many rows share (a date, a program, a SKU, a gate) are
 * numbered phrases, each made once; this narrator holds those caches, one per campaign run.
 */
export class Narrator {
  private readonly afterAsOf = new Map<string, number>();
  private readonly outside = new Map<string, number>();
  private readonly programs = new Map<string, number>();
  private readonly subscriptionTypes = new Map<string, number>();
  private readonly skus = new Map<string, Map<string, number>>();
  private readonly gates = new Map<GateFailure, number>();
  /** The words of the last `tx` call. */
  detail = '';

  constructor(private readonly run: CampaignRun) {}

  /** A phrase already made for `key`, or undefined (then `made` makes it: `known(...) ?? made(...)` builds no words for a row whose phrase exists). */
  private known(cache: Map<string, number>, key: string): number | undefined {
    const id = cache.get(key);
    if (id !== undefined) this.detail = this.run.phrases.texts[id]!;
    return id;
  }

  private made(cache: Map<string, number>, key: string, words: string): number {
    const id = this.run.phrases.id(words);
    cache.set(key, id);
    this.detail = this.run.phrases.texts[id]!;
    return id;
  }

  /** A transactions row excluded by `v`: sets `detail`, and returns its phrase number (-1 when the words are the row's own). */
  tx(v: RowVerdict, r: TxRow): number {
    const run = this.run;
    const c = run.c;
    const reason = v.reason!;
    switch (reason) {
      case 'NOT_CREDITED':
        this.detail = notCreditedTx(run, r);
        return -1;
      case 'AFTER_AS_OF':
        return this.known(this.afterAsOf, r.date) ?? this.made(this.afterAsOf, r.date, `dated ${r.date}, after as_of ${run.asOf}`);
      case 'OUTSIDE_PERIOD':
        return this.known(this.outside, r.date) ?? this.made(this.outside, r.date, `dated ${r.date}, outside ${c.period.start}..${c.period.end}`);
      case 'LICENSE_PROGRAM':
        return this.known(this.programs, r.licenseProgram) ?? this.made(this.programs, r.licenseProgram, `licence program ${r.licenseProgram || '(none)'}`);
      case 'SUBSCRIPTION_TYPE':
        return (
          this.known(this.subscriptionTypes, r.subscriptionType) ??
          this.made(this.subscriptionTypes, r.subscriptionType, `subscription type ${r.subscriptionType}`)
        );
      case 'SKU_NOT_ELIGIBLE': {
        let byService = this.skus.get(r.sku);
        if (!byService) this.skus.set(r.sku, (byService = new Map()));
        return (
          this.known(byService, r.service) ??
          this.made(byService, r.service, `SKU ${r.sku}${r.service ? ` (service ${r.service})` : ''} is paid by no service of ${c.id}`)
        );
      }
      case 'CUSTOMER_EXCLUDED':
        this.detail = `customer ${r.customerId}: ${v.sub!.replace(/_/g, ' ')}${r.country ? ` (${r.country})` : ''}`;
        return -1;
      case 'PARTNER_INELIGIBLE': {
        const id = run.phrases.id(lost(v.gap!));
        this.detail = run.phrases.texts[id]!;
        return id;
      }
    }
    if (v.gate) {
      let id = this.gates.get(v.gate);
      if (id === undefined) this.gates.set(v.gate, (id = run.phrases.id(v.gate.detail)));
      this.detail = v.gate.detail;
      return id;
    }
    this.detail = reason;
    return -1;
  }

  /** A usage row excluded by `v`, in words. */
  usage(v: RowVerdict, u: UsageRow): string {
    const run = this.run;
    const c = run.c;
    const def = v.def;
    switch (v.reason!) {
      case 'AFTER_AS_OF':
        return `dated ${u.date}, after as_of ${run.asOf}`;
      case 'OUTSIDE_WINDOW':
        return `dated ${u.date}, before the window ${run.windowStart.get(def!)!}..${run.asOf}`;
      case 'NOT_CREDITED':
        return c.credit === 'claiming_partner' || c.credit === 'pal'
          ? noClaim(run, u.customerId, u.date)
          : `no partner transacts ${u.subscriptionId ? `subscription ${u.subscriptionId}` : `customer ${u.customerId}`} unambiguously in transactions.csv`;
      case 'WORKLOAD_NOT_ELIGIBLE':
        return `workload ${u.workload} is paid by no service of ${c.id}`;
      case 'OUTSIDE_PERIOD':
        return `dated ${u.date}, outside ${c.period.start}..${c.period.end}`;
      case 'METRIC_NOT_PAID': {
        const metrics = def!.usage!.metrics;
        return `${def!.name} pays on ${metrics ? metrics.join(' / ') : 'user events'}; the row is ${u.metric || 'an event'}`;
      }
      case 'LICENSE_PROGRAM':
        return `licence program ${v.compared || '(none)'}`;
      case 'SUBSCRIPTION_TYPE':
        return `subscription type ${v.compared}`;
      case 'CUSTOMER_EXCLUDED':
        return `customer ${u.customerId}: ${v.sub!.replace(/_/g, ' ')}${v.compared ? ` (${v.compared})` : ''}`;
      case 'SKU_NOT_ELIGIBLE':
        return v.compared
          ? `SKU ${v.compared} has no ${u.workload} rate in ${def!.name}'s rate card`
          : `no SKU: the row names none and customer ${u.customerId} has no single rated subscription`;
      case 'PARTNER_INELIGIBLE':
        return lost(v.gap!);
    }
    return v.gate ? v.gate.detail : v.reason!;
  }
}

/** The words for an eligibility period lost. */
function lost(g: EligibilityGap): string {
  return `${g.requirement} not met on ${g.day}: ${g.period} is lost`;
}

export function notCreditedTx(run: CampaignRun, r: TxRow): string {
  const c = run.c;
  if (c.credit === 'transacting_partner') return 'the row has no partner_id';
  if (c.credit === 'reseller') return `no reseller on the row (reseller_id ${r.resellerId || 'empty'})`;
  return noClaim(run, r.customerId, r.date);
}

export function noClaim(run: CampaignRun, customerId: string, date: string): string {
  const types = run.c.claims?.types ?? new Set<string>();
  const claims = run.opts.claims?.onCustomer(types, customerId) ?? [];
  if (claims.length === 0) return `no ${[...types].join('/')} claim on customer ${customerId} in claims.csv`;
  return `no ${[...types].join('/')} claim covers customer ${customerId} on ${date} (claims: ${claims.map((x) => `${x.partnerId} ${x.from}..${x.to ?? 'open'}`).join(', ')})`;
}

/**
 * Why a failed customer's rows are excluded, its words made when asked (a trace keeps
 * one of these per failed customer, not its sentence: the decision is the reason and
 * the figures compared; the words come from them, here, when a line is written).
 */
export class CustomerWords {
  constructor(
    private readonly run: CampaignRun,
    private readonly def: ServiceDef,
    private readonly customerId: string,
    /** The customer's number in the run's interner (its net-new evidence). */
    private readonly customer: number,
    readonly reason: Reason,
    private readonly units: number,
    private readonly revenue: Decimal,
  ) {}

  get detail(): string {
    const { run, def, customer } = this;
    return customerDetail(
      run,
      def,
      this.customerId,
      this.reason,
      this.units,
      this.revenue,
      run.netNew.earliest(def, customer),
      run.netNew.explicitValue(def, customer),
    );
  }
}

/** A failed customer gate in words, with the values compared. */
export function customerDetail(
  run: CampaignRun,
  def: ServiceDef,
  customerId: string,
  reason: Reason,
  units: number,
  revenue: Decimal,
  earliest: string | undefined,
  explicit: boolean | undefined,
): string {
  const c = run.c;
  if (reason === 'CUSTOMER_NOT_NET_NEW') {
    if (explicit === false) return `customer ${customerId} is marked net_new=false for ${def.name}`;
    const [date, id] = (earliest ?? '').split('\u0000');
    return `customer ${customerId} already had ${def.name}: row ${id} on ${date}, before the period starts ${c.period.start}`;
  }
  if (run.paidSeats !== null && (run.paidSeats.get(customerId) ?? 0) < c.claims!.minPaidSeats!) {
    return `customer ${customerId} has ${run.paidSeats.get(customerId) ?? 0} net paid seats on ${run.asOf}; a claimed customer needs at least ${c.claims!.minPaidSeats}`;
  }
  const q = def.qualify;
  if (q?.unitsPerCustomer !== undefined && units < q.unitsPerCustomer) {
    const what = isUsageService(def) ? 'active users' : 'net seats';
    return `customer ${customerId} has ${units} ${what} on ${run.asOf}; needs at least ${q.unitsPerCustomer} (${q.unitsPerCustomer - units} more)`;
  }
  if (q?.revenuePerCustomer !== undefined) {
    return `customer ${customerId} billed ${formatMoney(revenue, c.currency)} ${c.currency} of ${def.name}; needs at least ${formatMoney(q.revenuePerCustomer, c.currency)}`;
  }
  return reason;
}
