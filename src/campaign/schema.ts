/**
 * The campaign file's schema: the single source of truth for its shape, its types
 * (z.infer) and the JSON Schema editors use (`incent schema`).
 */
import { z } from 'zod';
import { EARNING_METHODS, EARNING_KEYS } from '../earn/index.js';
import { count, currencyCode, decimal, isoDate, nonNegativeDecimal, positiveDecimal } from '../fields.js';

const money = nonNegativeDecimal;

export const PARTNER_ROLES = ['direct', 'indirect_provider', 'indirect_reseller'] as const;
export const REGISTRATION_STATUSES = ['approved', 'pending', 'rejected'] as const;
export const SUBSCRIPTION_TYPES = ['paid', 'trial', 'beta'] as const;
export const CREDIT_RULES = ['transacting_partner', 'reseller', 'claiming_partner', 'pal'] as const;
export const CLAIM_TYPES = ['CPOR', 'PAL', 'DPOR'] as const;
export const CUSTOMER_FLAGS = ['dedicated', 'public_sector', 'partner_owned', 'microsoft_owned'] as const;
export const ELIGIBILITY_PERIODS = ['day', 'month', 'semester'] as const;
/** The requirements seed 004 names; a campaign may add its own names. */
export const KNOWN_REQUIREMENTS = ['partner_membership', 'distributor_agreement', 'incentive_tool_onboarding', 'bank_tax_profile'] as const;
const countryCode = z.string().regex(/^[A-Z]{2}$/, 'expected an ISO 3166-1 alpha-2 country code such as US or CN');

const threshold = z
  .strictObject({
    at_least: count.optional().meta({ description: 'Qualifies with this many or more' }),
    more_than: count.optional().meta({ description: 'Qualifies only with strictly more than this' }),
  })
  .refine((t) => (t.at_least === undefined) !== (t.more_than === undefined), {
    message: 'give exactly one of at_least or more_than',
  });

const qualify = z
  .strictObject({
    customers: threshold.optional().meta({ description: 'Partner gate: qualifying customers needed in this service' }),
    units_per_customer: z.strictObject({ at_least: count }).optional().meta({ description: 'Customer gate: net seats of eligible SKUs at as_of' }),
    revenue_per_customer: z.strictObject({ at_least: money }).optional().meta({ description: 'Customer gate: billed revenue in the campaign currency' }),
    net_new: z.boolean().optional().meta({
      description: 'Customer gate: only customers with no paid seats/billing of the service before the period (default true; false for per_active_user)',
    }),
  })
  .meta({ description: 'Customer gates, then the partner gate, for one service' });

const earningShape = Object.fromEntries(EARNING_KEYS.map((k) => [k, EARNING_METHODS[k].schema.optional()])) as {
  [K in keyof typeof EARNING_METHODS]: z.ZodOptional<(typeof EARNING_METHODS)[K]['schema']>;
};

export const serviceSchema = z
  .strictObject({
    ...earningShape,
    qualify: qualify.optional(),
    cap: money.optional().meta({ description: 'Service cap in the campaign currency' }),
    max_rate: money.optional().meta({ description: 'The highest rate the terms allow for this service ("up to $73"); rate cards above it are invalid' }),
  })
  .superRefine((s, ctx) => {
    const present = EARNING_KEYS.filter((k) => s[k] !== undefined);
    if (present.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        message:
          present.length === 0
            ? `a service needs one earning method: ${EARNING_KEYS.join(', ')}`
            : `a service has exactly one earning method; found ${present.join(' and ')}`,
      });
    }
  });

const minimumPayout = z.union([
  money,
  z.strictObject({
    amount: money,
    below: z.enum(['forfeit', 'carry_forward']).default('forfeit'),
  }),
]);

export const campaignSchema = z
  .strictObject({
    $schema: z.string().optional(),
    id: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'expected an id of letters, digits, ".", "_" or "-"')
      .meta({ description: 'Unique campaign id; used in output and registrations.csv' }),
    name: z.string().optional(),
    currency: currencyCode.meta({ description: 'Currency of rates, caps and minimums' }),
    period: z.strictObject({ start: isoDate, end: isoDate }).meta({ description: 'Both days included' }),
    as_of: isoDate.meta({ description: 'Calculation date; --as-of overrides' }),
    requires: z
      .strictObject({
        registration: z
          .strictObject({
            deadline: isoDate.optional().meta({ description: 'Registered on or before this day' }),
            statuses: z.array(z.enum(REGISTRATION_STATUSES)).default(['approved']).meta({ description: 'Registration statuses that count (default approved)' }),
          })
          .optional()
          .meta({ description: 'Needs registrations.csv' }),
        partner_roles: z.array(z.enum(PARTNER_ROLES)).min(1).optional().meta({ description: 'Needs partners.csv' }),
        eligibility: z
          .array(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'expected a requirement name such as partner_membership'))
          .min(1)
          .optional()
          .meta({
            description: `Requirements every credited partner must meet over time, from eligibility.csv (${KNOWN_REQUIREMENTS.join(', ')}, or the campaign's own names)`,
          }),
        eligibility_period: z.enum(ELIGIBILITY_PERIODS).default('semester').meta({
          description:
            'A requirement unmet on any day of this period loses the earnings of the whole period: day, month or semester (H1 Jul-Dec, H2 Jan-Jun); default semester',
        }),
      })
      .optional(),
    exclude: z
      .strictObject({
        customer_flags: z
          .array(z.enum(CUSTOMER_FLAGS))
          .optional()
          .meta({ description: 'Customers carrying one of these customer_flags are excluded (CUSTOMER_EXCLUDED)' }),
        public_sector_countries: z.array(countryCode).optional().meta({ description: 'Public-sector customers in these countries are excluded' }),
        countries: z.array(countryCode).default(['CN']).meta({ description: 'Customer countries where the services are not sold (default [CN])' }),
        partner_countries: z.array(countryCode).optional().meta({
          description: "Partners based in these countries (partners.csv's country) earn nothing from the campaign, wherever the sale occurs (PARTNER_MARKET)",
        }),
        license_programs: z.array(z.string().min(1)).optional().meta({ description: 'Licence programs excluded (e.g. Open); LICENSE_PROGRAM' }),
        subscription_types: z
          .array(z.enum(SUBSCRIPTION_TYPES))
          .optional()
          .meta({ description: 'Subscription types excluded (e.g. trial, beta); SUBSCRIPTION_TYPE' }),
      })
      .optional()
      .meta({ description: 'Customers and subscriptions the campaign never pays for; applies to transactions and usage rows' }),
    claims: z
      .strictObject({
        types: z
          .array(z.enum(CLAIM_TYPES))
          .min(1)
          .optional()
          .meta({ description: 'Claim types that credit (default: CPOR for claiming_partner, PAL for pal)' }),
        min_paid_seats: count.optional().meta({
          description: 'A claimed customer needs this many net paid seats (transactions.csv, any partner, up to as_of) for the claim to count, e.g. 300',
        }),
      })
      .optional()
      .meta({ description: 'How claims.csv credits rows (credit: claiming_partner or pal)' }),
    eligible: z
      .strictObject({
        license_programs: z.array(z.string().min(1)).optional(),
        subscription_types: z.array(z.enum(SUBSCRIPTION_TYPES)).optional(),
      })
      .optional()
      .meta({ description: 'Row filters; a row failing one is excluded with a reason' }),
    credit: z.enum(CREDIT_RULES).default('transacting_partner').meta({
      description:
        'Who a row is credited to: the transacting partner, the reseller on the row, or the partner of record from claims.csv (claiming_partner = CPOR, pal = PAL)',
    }),
    fx: z
      .strictObject({
        fixed: z.record(currencyCode, positiveDecimal).optional().meta({ description: '1 unit of the key currency = this many campaign-currency units' }),
      })
      .optional(),
    rounding: z.enum(['half_up', 'half_even']).default('half_up'),
    services: z.record(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9 ._-]*$/), serviceSchema).refine((s) => Object.keys(s).length > 0, {
      message: 'a campaign needs at least one service',
    }),
    cap: money.optional().meta({ description: 'Cap across all services' }),
    minimum_payout: minimumPayout.optional().meta({ description: 'A capped total below this pays 0 (forfeit) or carries forward' }),
    reconcile: z
      .strictObject({
        program: z.string().min(1).meta({ description: "Microsoft's programName for this campaign in the earnings export" }),
        levers: z
          .record(z.string().min(1), z.string().min(1))
          .refine((l) => Object.keys(l).length > 0, { message: 'name at least one lever' })
          .meta({ description: "The export's lever (or engagementName) -> the service of this campaign it pays" }),
        tolerance: money
          .optional()
          .meta({ description: 'A difference up to this, per item, in the campaign currency, is MATCHED (default: one minor unit of the currency)' }),
        dispute_window_days: count
          .refine((n) => n > 0, { message: 'expected a number of days >= 1' })
          .default(30)
          .meta({ description: 'Days from earningDate to raise a dispute (default 30)' }),
      })
      .optional()
      .meta({ description: "How `incent reconcile` finds this campaign's earnings in Microsoft's earnings export" }),
  })
  .meta({ title: 'incent campaign', description: 'One incentive campaign: its period, gates, services, caps and minimum payout.' });

export type CampaignInput = z.input<typeof campaignSchema>;
export type CampaignRaw = z.output<typeof campaignSchema>;
export type ServiceRaw = z.output<typeof serviceSchema>;
export { decimal };
