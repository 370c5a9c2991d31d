/** Raw (schema-validated) campaign + loaded rate cards -> the engine's Campaign. */
import { Decimal, minorUnits } from '../money/index.js';
import { EARNING_KEYS, EARNING_METHODS, type EarningMethod } from '../earn/index.js';
import type { CampaignRaw, ServiceRaw } from './schema.js';
import type { Campaign, ServiceDef, Threshold } from './model.js';
import type { RateCard } from '../earn/rate-card.js';

export function earningOf(s: ServiceRaw): { key: string; method: EarningMethod<unknown, unknown>; raw: unknown } {
  for (const key of EARNING_KEYS) {
    const raw = s[key];
    if (raw !== undefined) return { key, method: EARNING_METHODS[key] as EarningMethod<unknown, unknown>, raw };
  }
  throw new Error('service without an earning method passed the schema');
}

function threshold(t: { at_least?: number; more_than?: number } | undefined): Threshold | undefined {
  return t ? { atLeast: t.at_least, moreThan: t.more_than } : undefined;
}

export function resolveCampaign(raw: CampaignRaw, file: string, rateCards: ReadonlyMap<string, RateCard>): Campaign {
  const services: ServiceDef[] = Object.entries(raw.services).map(([name, s]) => {
    const { method, raw: cfgRaw } = earningOf(s);
    const rateCard = rateCards.get(name);
    const config = method.resolve(cfgRaw, rateCard);
    const usage = method.usage?.(config);
    return {
      name,
      method,
      config,
      skus: method.skus(config),
      ...(rateCard ? { rateCard } : {}),
      ...(usage ? { usage } : {}),
      qualify: s.qualify
        ? {
            customers: threshold(s.qualify.customers),
            unitsPerCustomer: s.qualify.units_per_customer?.at_least,
            revenuePerCustomer: s.qualify.revenue_per_customer?.at_least,
            // Net new is about seats and billing before the period: usage services do not ask it unless told to.
            netNew: s.qualify.net_new ?? method.measure !== 'usage',
          }
        : undefined,
      cap: s.cap,
      maxRate: s.max_rate,
    };
  });
  const mp = raw.minimum_payout;
  const minimumPayout =
    mp === undefined ? undefined : Decimal.isDecimal(mp) ? { amount: mp, below: 'forfeit' as const } : { amount: mp.amount, below: mp.below };
  return {
    id: raw.id,
    name: raw.name ?? raw.id,
    file,
    currency: raw.currency,
    period: raw.period,
    asOf: raw.as_of,
    rounding: raw.rounding,
    credit: raw.credit,
    registration: raw.requires?.registration
      ? { deadline: raw.requires.registration.deadline, statuses: new Set(raw.requires.registration.statuses) }
      : undefined,
    partnerRoles: raw.requires?.partner_roles ? new Set(raw.requires.partner_roles) : undefined,
    licensePrograms: raw.eligible?.license_programs ? new Set(raw.eligible.license_programs) : undefined,
    subscriptionTypes: raw.eligible?.subscription_types ? new Set(raw.eligible.subscription_types) : undefined,
    eligibility: raw.requires?.eligibility ? { requirements: raw.requires.eligibility, period: raw.requires.eligibility_period } : undefined,
    exclude: raw.exclude
      ? {
          flags: new Set(raw.exclude.customer_flags ?? []),
          publicSectorCountries: new Set(raw.exclude.public_sector_countries ?? []),
          countries: new Set(raw.exclude.countries),
          partnerCountries: new Set(raw.exclude.partner_countries ?? []),
          licensePrograms: new Set(raw.exclude.license_programs ?? []),
          subscriptionTypes: new Set(raw.exclude.subscription_types ?? []),
        }
      : undefined,
    claims:
      raw.credit === 'claiming_partner' || raw.credit === 'pal'
        ? { types: new Set(raw.claims?.types ?? [raw.credit === 'pal' ? 'PAL' : 'CPOR']), minPaidSeats: raw.claims?.min_paid_seats }
        : undefined,
    fixedFx: new Map(Object.entries(raw.fx?.fixed ?? {})),
    services,
    cap: raw.cap,
    minimumPayout,
    reconcile: raw.reconcile
      ? {
          program: raw.reconcile.program,
          levers: new Map(Object.entries(raw.reconcile.levers)),
          tolerance: raw.reconcile.tolerance ?? new Decimal(1).div(new Decimal(10).pow(minorUnits(raw.currency))),
          disputeWindowDays: raw.reconcile.dispute_window_days,
        }
      : undefined,
  };
}
