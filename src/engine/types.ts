import type { Decimal } from '../money/index.js';
import type { Reason } from './reasons.js';
import type { TierStanding } from '../earn/index.js';

/** One canonical transactions.csv row, validated. */
export interface TxRow {
  id: string;
  line: number;
  date: string;
  partnerId: string;
  resellerId: string;
  customerId: string;
  country: string;
  sku: string;
  service: string;
  licenseProgram: string;
  subscriptionId: string;
  subscriptionType: string;
  quantity: number | null;
  /** The amount's decimal text, exactly as given. */
  amount: string | null;
  /** The amount in micro-units when that is exact; undefined: use `amount` as a Decimal. */
  amountMicros?: number;
  currency: string;
  netNew: boolean | null;
  flags: string[] | null;
  /** The ids and SKU are the file's text with no quote, comma or line break (see RecordHandler): written back unquoted. */
  plain?: boolean;
}

/** One usage.csv row: an event (user_id) or a count (metric, value). */
export interface UsageRow {
  line: number;
  date: string;
  customerId: string;
  workload: string;
  /** Empty when the row does not say; the subscription or the customer's SKUs decide. */
  sku: string;
  subscriptionId: string;
  /** Events shape: the user who acted. Empty for counts. */
  userId: string;
  /** Counts shape: the metric and its whole-number value. Empty / null for events. */
  metric: string;
  value: number | null;
  /** Optional customer facts on the row itself; transactions.csv fills what is missing. */
  country: string;
  flags: string[] | null;
  subscriptionType: string;
  licenseProgram: string;
}

/** One claims.csv row: a partner-of-record claim on a customer (or one subscription / workload). */
export interface Claim {
  partnerId: string;
  customerId: string;
  subscriptionId: string;
  workload: string;
  type: string;
  from: string;
  /** Null: still open. */
  to: string | null;
  line: number;
}

/** One eligibility.csv row: a span in which a partner met a requirement. */
export interface EligibilitySpan {
  partnerId: string;
  requirement: string;
  from: string;
  /** Null: still met. */
  to: string | null;
  line: number;
}

export interface PartnerInfo {
  partnerId: string;
  name: string;
  country: string;
  role: string;
  payoutCurrency: string;
  line: number;
}

export interface Registration {
  partnerId: string;
  campaignId: string;
  registeredOn: string;
  status: string;
  line: number;
}

export type PartnerStatus = 'payable' | 'below_minimum' | 'not_qualified' | 'ineligible';

export interface ServiceResult {
  service: string;
  qualified: boolean;
  /** Qualifying customers (passed every customer gate): what the partner gate counts. */
  customers: number;
  /** Seat services: of them, those the service pays for (or would, when it does not qualify): a customer under min_units earns nothing. */
  earningCustomers?: number;
  /** Customers the partner gate needs (at_least N, or more_than N as N+1). */
  customersNeeded: number;
  /**
   * Seat services: the seats the service pays for (or would pay for, when it does not
   * qualify), after min_units / max_units, per transaction or per customer alike, each
   * SKU netted at 0 or more. Other services: the qualifying customers' counted units.
   */
  units: number;
  /** Seat services: the qualifying customers' net seats before any limit. */
  netUnits?: number;
  revenue: Decimal;
  earned: Decimal;
  amount: Decimal;
  cap?: Decimal;
  /** Tiers method: the count, the tier reached and what the next one needs. */
  tier?: TierStanding;
  /** How `earned` comes about, as the earning method says it (qualified services): "8 x 48 (E3) + 6 x 73 (E5)". */
  arithmetic?: string;
}

export interface RowCounts {
  read: number;
  used: number;
  excluded: Partial<Record<Reason, number>>;
  /** Sub-reasons of some codes, e.g. CUSTOMER_EXCLUDED: { dedicated: 2 }. */
  excludedDetail?: Partial<Record<Reason, Record<string, number>>>;
}

export interface PartnerResult {
  partnerId: string;
  name?: string;
  status: PartnerStatus;
  /** Why the partner is ineligible (a partner gate's reason and detail). */
  reason?: { code: Reason; detail: string };
  services: ServiceResult[];
  /** Sum of service amounts before the campaign cap. */
  subtotal: Decimal;
  /** After the campaign cap, in the campaign currency. */
  total: Decimal;
  /** What is paid, in payoutCurrency (0 below the minimum). */
  payout: Decimal;
  payoutCurrency: string;
  /** Campaign currency -> payout currency rate used, when they differ. */
  payoutFx?: { rate: Decimal; date: string; source: string };
  /** Amount carried forward (minimum_payout with below: carry_forward). */
  carriedForward?: Decimal;
  rows: RowCounts;
}

export interface CampaignResult {
  id: string;
  name: string;
  currency: string;
  asOf: string;
  period: { start: string; end: string };
  partners: PartnerResult[];
  rows: RowCounts;
}

export interface CalcResult {
  asOf: string;
  campaigns: CampaignResult[];
  /** How each transactions file was read (canonical, or a preset's name). */
  inputs?: { transactions: Record<string, string> };
  /** Rows set aside by --on-invalid skip: how many, why, and where. */
  rejected?: { rows: number; file?: string; reasons: Record<string, number> };
}
