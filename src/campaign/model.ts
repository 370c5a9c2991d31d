/** The campaign as the engine sees it: parsed, rate cards loaded, defaults applied. */
import type { Decimal, RoundingMode } from '../money/index.js';
import type { PeriodUnit } from '../dates.js';
import type { EarningMethod, UsageSpec } from '../earn/index.js';
import type { RateCard } from '../earn/rate-card.js';
import type { CampaignRaw } from './schema.js';

export interface Threshold {
  atLeast?: number;
  moreThan?: number;
}

export interface ServiceDef {
  name: string;
  method: EarningMethod<unknown, unknown>;
  /** The method's resolved config (rate card loaded). */
  config: unknown;
  /** SKUs the service pays for; null = any row whose `service` column names it. */
  skus: ReadonlySet<string> | null;
  /** The service's rate card, when its method has one (its lines name their file). */
  rateCard?: RateCard;
  /** A service paid on usage.csv: what the usage steps read. */
  usage?: UsageSpec;
  qualify?: {
    customers?: Threshold;
    unitsPerCustomer?: number;
    revenuePerCustomer?: Decimal;
    netNew: boolean;
  };
  cap?: Decimal;
  maxRate?: Decimal;
}

export interface Campaign {
  id: string;
  name: string;
  file: string;
  currency: string;
  period: { start: string; end: string };
  asOf: string;
  rounding: RoundingMode;
  credit: CampaignRaw['credit'];
  registration?: { deadline?: string; statuses: ReadonlySet<string> };
  partnerRoles?: ReadonlySet<string>;
  licensePrograms?: ReadonlySet<string>;
  subscriptionTypes?: ReadonlySet<string>;
  /** Requirements from eligibility.csv, and the period a gap loses. */
  eligibility?: { requirements: readonly string[]; period: PeriodUnit };
  exclude?: {
    flags: ReadonlySet<string>;
    publicSectorCountries: ReadonlySet<string>;
    countries: ReadonlySet<string>;
    /** Partners based in these countries earn nothing (PARTNER_MARKET). */
    partnerCountries: ReadonlySet<string>;
    licensePrograms: ReadonlySet<string>;
    subscriptionTypes: ReadonlySet<string>;
  };
  /** Claim types that credit rows (credit: claiming_partner or pal), and the paid-seat minimum per claimed customer. */
  claims?: { types: ReadonlySet<string>; minPaidSeats?: number };
  fixedFx: ReadonlyMap<string, Decimal>;
  services: ServiceDef[];
  cap?: Decimal;
  minimumPayout?: { amount: Decimal; below: 'forfeit' | 'carry_forward' };
  /** Where Microsoft's earnings export pays this campaign (incent reconcile). */
  reconcile?: ReconcileSpec;
}

export interface ReconcileSpec {
  program: string;
  /** lever (or engagementName) -> service name. */
  levers: ReadonlyMap<string, string>;
  /** Per item, in the campaign currency. */
  tolerance: Decimal;
  disputeWindowDays: number;
}

export type InputName = 'transactions' | 'partners' | 'registrations' | 'fx' | 'usage' | 'claims' | 'eligibility';

/** True when a service pays on usage.csv activity (per_active_user). */
export function isUsageService(s: ServiceDef): s is ServiceDef & { usage: UsageSpec } {
  return s.usage !== undefined;
}

/** Which input files a campaign cannot be computed without (beyond transactions.csv). */
export function requiredInputs(c: Campaign): InputName[] {
  const need: InputName[] = ['transactions'];
  if (c.partnerRoles || c.exclude?.partnerCountries.size) need.push('partners');
  if (c.registration) need.push('registrations');
  if (c.services.some(isUsageService)) need.push('usage');
  if (c.claims) need.push('claims');
  if (c.eligibility) need.push('eligibility');
  return need;
}
