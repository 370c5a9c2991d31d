/** Why a row was not used. The names are a published contract (the JSON output and the trace carry them); extended where noted. */
export const REASONS = [
  'OUTSIDE_PERIOD',
  'AFTER_AS_OF',
  'LICENSE_PROGRAM',
  'SUBSCRIPTION_TYPE',
  'SKU_NOT_ELIGIBLE',
  'CUSTOMER_NOT_NET_NEW',
  'CUSTOMER_BELOW_MINIMUM',
  'CUSTOMER_EXCLUDED',
  'PARTNER_NOT_REGISTERED',
  'REGISTRATION_NOT_APPROVED',
  'REGISTERED_AFTER_DEADLINE',
  'PARTNER_ROLE',
  'PARTNER_MARKET',
  'PARTNER_INELIGIBLE',
  'SERVICE_NOT_QUALIFIED',
  'NOT_CREDITED',
  'WORKLOAD_NOT_ELIGIBLE',
  'OUTSIDE_WINDOW',
  'METRIC_NOT_PAID',
  'SUPERSEDED',
] as const;

export type Reason = (typeof REASONS)[number];

export const REASON_TEXT: Record<Reason, string> = {
  OUTSIDE_PERIOD: 'dated outside the campaign period',
  AFTER_AS_OF: 'dated after the calculation date (as_of)',
  LICENSE_PROGRAM: 'licence program not eligible',
  SUBSCRIPTION_TYPE: 'subscription type not eligible (trial, beta, ...)',
  SKU_NOT_ELIGIBLE: 'SKU not in any service of the campaign',
  CUSTOMER_NOT_NET_NEW: 'customer had the service before the period',
  CUSTOMER_BELOW_MINIMUM: 'customer below the seats or revenue a customer needs',
  CUSTOMER_EXCLUDED: 'customer excluded by the campaign (flags, country)',
  PARTNER_NOT_REGISTERED: 'partner not registered for the campaign',
  REGISTRATION_NOT_APPROVED: 'registration not approved',
  REGISTERED_AFTER_DEADLINE: 'registered after the deadline',
  PARTNER_ROLE: 'partner role not eligible',
  PARTNER_MARKET: 'partner based in a market where the services are not sold',
  PARTNER_INELIGIBLE: 'partner not eligible',
  SERVICE_NOT_QUALIFIED: 'partner did not reach the customers a service needs',
  NOT_CREDITED: 'no partner is credited with the row',
  WORKLOAD_NOT_ELIGIBLE: 'usage of a workload no service of the campaign pays for',
  OUTSIDE_WINDOW: 'usage dated before the window that ends on as_of',
  METRIC_NOT_PAID: 'usage of a shape or metric the service does not pay on',
  SUPERSEDED: 'a later count of the same metric in the window replaces it',
};

/** Why a customer is excluded (detail of CUSTOMER_EXCLUDED). */
export const CUSTOMER_EXCLUSIONS = ['dedicated', 'public_sector', 'partner_owned', 'microsoft_owned', 'country_not_served'] as const;
export type CustomerExclusion = (typeof CUSTOMER_EXCLUSIONS)[number];
