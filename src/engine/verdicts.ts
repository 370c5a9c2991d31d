/**
 * What the engine decides, as data: the options a run takes, each row's verdict (steps
 * 1-3), and after finish each partner's, service's and customer's verdict with its
 * figures. Words are made elsewhere (words.ts); consumers read these, never re-derive them.
 */
import type { FxTable } from '../money/index.js';
import type { Decimal } from '../money/index.js';
import type { Campaign, ServiceDef } from '../campaign/model.js';
import type { ClaimBook } from './claims.js';
import type { EligibilityBook, EligibilityGap } from './eligibility.js';
import type { GateFailure } from './partner-gates.js';
import type { Reason } from './reasons.js';
import type { Tally } from './tally.js';
import type { TraceEvent } from './trace.js';
import type { CustomerMeasure } from '../earn/index.js';
import type { PartnerInfo, PartnerResult, Registration, ServiceResult } from './types.js';

export interface EvaluateOptions {
  partners?: ReadonlyMap<string, PartnerInfo>;
  /** Keyed by registrationKey(campaignId, partnerId). */
  registrations?: ReadonlyMap<string, readonly Registration[]>;
  fx?: FxTable;
  /** claims.csv, for credit: claiming_partner | pal. */
  claims?: ClaimBook;
  /** eligibility.csv, for requires.eligibility. */
  eligibility?: EligibilityBook;
  /** Overrides every campaign's as_of. */
  asOf?: string;
  /** Date of the payout-currency conversion; default each campaign's as_of. */
  payoutDate?: string;
  /**
   * Keep the verdicts after finish: `true` (explain, progress) keeps every customer's;
   * `'trace'` (calc --explain) keeps no customer's, only why each failed slot is excluded
   * (SettledCampaign.exclusionAt) and each partner's summary lines decided in finish
   * (what a trace needs: memory per failed customer is one reason and its words).
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
  /** Each service's verdict; with keepVerdicts 'trace', its customers' map is empty. */
  services: Map<ServiceDef, ServiceVerdict>;
  /** With keepVerdicts 'trace': the summary lines, decided in finish. */
  summary?: TraceEvent[];
}

/** Resets a verdict for another row (calc refills one scratch verdict rather than make one per row). */
export function refill(v: RowVerdict, partnerId: string | null, def: ServiceDef | undefined, historyDef: ServiceDef | undefined): RowVerdict {
  v.partnerId = partnerId;
  v.def = def;
  v.historyDef = historyDef;
  v.reason = undefined;
  v.sub = undefined;
  v.gate = undefined;
  v.gap = undefined;
  v.compared = undefined;
  v.units = 0;
  v.usageKey = undefined;
  v.sku = undefined;
  v.missingQuantity = undefined;
  return v;
}

/** A credited partner: its index in the service tables, and its row counts. */
export interface PartnerSlot {
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
  // The facts a reason is told from (words.ts Narrator), beside the row itself:
  /** The partner gate the row failed (its code and its words, decided once per partner). */
  gate?: GateFailure;
  /** The eligibility period the row was lost to. */
  gap?: EligibilityGap;
  /** A usage row's compared value the row itself does not carry (its licence program, subscription type or country, from the directory). */
  compared?: string;
  /** Units the row counts for (after per-transaction limits). */
  units?: number;
  usageKey?: string;
  sku?: string;
  /** The row reaches a seat-based service without a quantity: an input error (the run is refused), never 0 seats. */
  missingQuantity?: boolean;
}

/** A row the engine cannot count as it stands, as data: the command says where (file, line) and refuses the run. */
export interface RowInputError {
  line: number;
  /** The seat-based service the row reaches without a quantity. */
  service: string;
}

/**
 * A finished campaign run as every consumer sees it (explain, progress, calc --explain,
 * reconcile): its partners' verdicts and the stories told from them. Commands read only
 * this, never the run's accumulators or tables.
 */
export interface SettledCampaign {
  readonly c: Campaign;
  readonly asOf: string;
  /** Per partner (kept when the run was asked to keep verdicts). */
  readonly verdicts: ReadonlyMap<string, PartnerVerdict>;
  /** The lines that carry pay rows cannot (netting, limits, active users, a tier's pay). */
  summaryItems(partnerId: string): TraceEvent[];
  /** Why the row that accumulated in `service`'s `slot` is excluded after all, or undefined. */
  exclusionAt(service: string, slot: number): { reason: Reason; detail: string } | undefined;
  /** Whether any row of the partner that accumulated is excluded after all (exclusionAt answers for some slot of it). */
  excludesAfterAll(partnerId: string): boolean;
  /** A pending row's story, given its customer's and service's verdicts. Mutates and returns `e`. */
  settle(e: TraceEvent, slot: number): TraceEvent;
}
