/** The registry of earning methods: one file each, keyed by their YAML key. */
import { perUnit } from './per-unit.js';
import { percentOfRevenue } from './percent-of-revenue.js';
import { tiers } from './tiers.js';
import { perActiveUser } from './per-active-user.js';
import type { EarningMethod } from './types.js';

export const EARNING_METHODS = {
  per_unit: perUnit,
  percent_of_revenue: percentOfRevenue,
  tiers,
  per_active_user: perActiveUser,
} satisfies Record<string, EarningMethod<unknown, unknown>>;

export type EarningKey = keyof typeof EARNING_METHODS;
export const EARNING_KEYS = Object.keys(EARNING_METHODS) as EarningKey[];
export type {
  EarningMethod,
  UsageSpec,
  CustomerMeasure,
  Earning,
  EarnLine,
  TierStanding,
  RowContext,
  RowFacts,
  SummaryLine,
  QualifyingCustomer,
} from './types.js';
