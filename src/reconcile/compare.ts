/**
 * compare (what-if): one incent result against another, per (campaign, partner,
 * service): before, after, difference, status and tier changes, and per currency what
 * the scenario costs. Both sides are calc's JSON shape (a saved file, or a run made
 * now), read through one zod schema; pure, no I/O.
 */
import { z } from 'zod';
import { Decimal, ZERO } from '../money/index.js';

const money = z.string().regex(/^-?\d+(\.\d+)?$/, 'expected an amount such as "25000.00"');
const tier = z.object({ counted: z.number(), counts: z.string(), reached: z.number().optional(), next: z.number().optional(), toNext: z.number().optional() });
const service = z.object({
  service: z.string(),
  qualified: z.boolean(),
  amount: money,
  earned: money,
  customers: z.number(),
  units: z.number(),
  tier: tier.optional(),
});
const partner = z.object({
  partnerId: z.string(),
  name: z.string().optional(),
  status: z.enum(['payable', 'below_minimum', 'not_qualified', 'ineligible']),
  reason: z.string().optional(),
  services: z.array(service),
  total: money,
  payout: money,
  payoutCurrency: z.string(),
});
const campaign = z.object({ id: z.string(), name: z.string().optional(), currency: z.string(), asOf: z.string(), partners: z.array(partner) });

/** What compare reads of a calc result (more fields may be there). */
export const calcResultSchema = z.object({
  schemaVersion: z.number().int().optional(),
  asOf: z.string(),
  campaigns: z.array(campaign),
});
export type CalcJson = z.infer<typeof calcResultSchema>;
type PartnerJson = z.infer<typeof partner>;
type ServiceJson = z.infer<typeof service>;

export interface Side<T> {
  before: T | null;
  after: T | null;
}

export interface ServiceChange {
  service: string;
  qualified: Side<boolean>;
  amount: Side<Decimal>;
  difference: Decimal;
  /** "tier 10 -> tier 25" when the tier reached changed. */
  tierChange: string | null;
}

export interface PartnerChange {
  partnerId: string;
  name?: string;
  status: Side<string>;
  /** "not_qualified -> payable", when it changed. */
  statusChange: string | null;
  total: Side<Decimal>;
  payout: Side<Decimal>;
  payoutCurrency: string;
  /** after - before, in payoutCurrency. */
  payoutDifference: Decimal;
  /** Services whose amount, qualification or tier changed. */
  services: ServiceChange[];
}

export interface CurrencyTotal {
  currency: string;
  before: Decimal;
  after: Decimal;
  difference: Decimal;
}

export interface CampaignChange {
  id: string;
  currency: string;
  partners: PartnerChange[];
  /** Payouts per payout currency. */
  totals: CurrencyTotal[];
  gain: number;
  lose: number;
  unchanged: number;
}

export interface Comparison {
  campaigns: CampaignChange[];
  /** Payouts per currency over every campaign. */
  totals: CurrencyTotal[];
  /** Partners (by id, over every campaign) whose payouts rose / fell in some currency. */
  gain: number;
  lose: number;
  /** Campaigns only one side computed. */
  onlyBefore: string[];
  onlyAfter: string[];
}

const dec = (s: string | undefined) => (s === undefined ? null : new Decimal(s));
const tierName = (s: ServiceJson | undefined) => (s?.tier?.reached !== undefined ? `tier ${s.tier.reached}` : s?.tier ? 'no tier' : null);

function serviceChange(name: string, b: ServiceJson | undefined, a: ServiceJson | undefined): ServiceChange | null {
  const before = dec(b?.amount);
  const after = dec(a?.amount);
  const difference = (after ?? ZERO).minus(before ?? ZERO);
  const tb = tierName(b);
  const ta = tierName(a);
  const tierChange = tb !== ta ? `${tb ?? 'none'} -> ${ta ?? 'none'}` : null;
  if (difference.isZero() && b?.qualified === a?.qualified && !tierChange) return null;
  return { service: name, qualified: { before: b?.qualified ?? null, after: a?.qualified ?? null }, amount: { before, after }, difference, tierChange };
}

function partnerChange(b: PartnerJson | undefined, a: PartnerJson | undefined): PartnerChange | null {
  const names = [...new Set([...(b?.services ?? []), ...(a?.services ?? [])].map((s) => s.service))];
  const services = names
    .map((n) =>
      serviceChange(
        n,
        b?.services.find((s) => s.service === n),
        a?.services.find((s) => s.service === n),
      ),
    )
    .filter((s): s is ServiceChange => s !== null);
  const payoutCurrency = (a ?? b)!.payoutCurrency;
  // A payout currency that changed makes the two payouts incomparable: each counts apart (see totals).
  const sameCurrency = !a || !b || a.payoutCurrency === b.payoutCurrency;
  const pb = dec(b?.payout);
  const pa = dec(a?.payout);
  const payoutDifference = sameCurrency ? (pa ?? ZERO).minus(pb ?? ZERO) : ZERO;
  const statusChange = b?.status !== a?.status ? `${b?.status ?? 'absent'} -> ${a?.status ?? 'absent'}` : null;
  if (!statusChange && payoutDifference.isZero() && services.length === 0 && sameCurrency && dec(b?.total)?.eq(dec(a?.total) ?? ZERO)) return null;
  return {
    partnerId: (a ?? b)!.partnerId,
    name: a?.name ?? b?.name,
    status: { before: b?.status ?? null, after: a?.status ?? null },
    statusChange,
    total: { before: dec(b?.total), after: dec(a?.total) },
    payout: { before: pb, after: pa },
    payoutCurrency,
    payoutDifference,
    services,
  };
}

/** Adds a payout to a per-currency total. */
function addTo(totals: Map<string, CurrencyTotal>, currency: string, before: Decimal | null, after: Decimal | null): void {
  let t = totals.get(currency);
  if (!t) totals.set(currency, (t = { currency, before: ZERO, after: ZERO, difference: ZERO }));
  t.before = t.before.plus(before ?? ZERO);
  t.after = t.after.plus(after ?? ZERO);
  t.difference = t.after.minus(t.before);
}

const sorted = (m: Map<string, CurrencyTotal>) => [...m.values()].sort((x, y) => (x.currency < y.currency ? -1 : 1));

export function compareResults(before: CalcJson, after: CalcJson): Comparison {
  const campaigns: CampaignChange[] = [];
  const all = new Map<string, CurrencyTotal>();
  const moved = new Map<string, { up: boolean; down: boolean }>();
  const ids = [...new Set([...before.campaigns, ...after.campaigns].map((c) => c.id))];
  for (const id of ids) {
    // A campaign on one side only (a scenario's rules add or drop it) counts too: every
    // partner of it is paid from nothing, or no longer paid.
    const b = before.campaigns.find((c) => c.id === id);
    const a = after.campaigns.find((c) => c.id === id);
    const currency = (a ?? b)!.currency;
    const totals = new Map<string, CurrencyTotal>();
    const partners: PartnerChange[] = [];
    let gain = 0;
    let lose = 0;
    let unchanged = 0;
    const pids = [...new Set([...(b?.partners ?? []), ...(a?.partners ?? [])].map((p) => p.partnerId))];
    for (const pid of pids) {
      const pb = b?.partners.find((p) => p.partnerId === pid);
      const pa = a?.partners.find((p) => p.partnerId === pid);
      for (const [side, p] of [
        ['before', pb],
        ['after', pa],
      ] as const) {
        if (!p) continue;
        const amount = new Decimal(p.payout);
        addTo(totals, p.payoutCurrency, side === 'before' ? amount : null, side === 'after' ? amount : null);
        addTo(all, p.payoutCurrency, side === 'before' ? amount : null, side === 'after' ? amount : null);
      }
      const change = partnerChange(pb, pa);
      if (!change) {
        unchanged++;
        continue;
      }
      partners.push(change);
      const m = moved.get(pid) ?? { up: false, down: false };
      if (change.payoutDifference.gt(0)) {
        gain++;
        m.up = true;
      } else if (change.payoutDifference.lt(0)) {
        lose++;
        m.down = true;
      }
      moved.set(pid, m);
    }
    campaigns.push({ id, currency, partners, totals: sorted(totals), gain, lose, unchanged });
  }
  const flags = [...moved.values()];
  return {
    campaigns,
    totals: sorted(all),
    gain: flags.filter((m) => m.up).length,
    lose: flags.filter((m) => m.down).length,
    onlyBefore: before.campaigns.filter((c) => !after.campaigns.some((x) => x.id === c.id)).map((c) => c.id),
    onlyAfter: after.campaigns.filter((c) => !before.campaigns.some((x) => x.id === c.id)).map((c) => c.id),
  };
}

/** A comparison and what its two sides were. */
export interface CompareOutcome {
  comparison: Comparison;
  /** What each side was, in words (file names, or the flags that made the scenario). */
  before: string;
  after: string;
}
