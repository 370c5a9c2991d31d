/** The campaign as the engine sees it: parsed, rate cards loaded, defaults applied. */
import type { Decimal, RoundingMode } from '../money/index.js';
import type { EarningMethod } from '../engine/earn/index.js';
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
  fixedFx: ReadonlyMap<string, Decimal>;
  services: ServiceDef[];
  cap?: Decimal;
  minimumPayout?: { amount: Decimal; below: 'forfeit' | 'carry_forward' };
}

export type InputName = 'transactions' | 'partners' | 'registrations' | 'fx';

/** Which input files a campaign cannot be computed without (beyond transactions.csv). */
export function requiredInputs(c: Campaign): InputName[] {
  const need: InputName[] = ['transactions'];
  if (c.partnerRoles) need.push('partners');
  if (c.registration) need.push('registrations');
  return need;
}
