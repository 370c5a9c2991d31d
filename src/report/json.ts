/** calc --format json: the published shape (docs and README), money as strings with minor-unit digits. */
import { formatMoney } from '../money/index.js';
import type { CalcResult, CampaignResult, PartnerResult } from '../engine/types.js';

export function partnerToJson(p: PartnerResult, currency: string) {
  return {
    partnerId: p.partnerId,
    ...(p.name ? { name: p.name } : {}),
    status: p.status,
    ...(p.reason ? { reason: p.reason.code, reasonDetail: p.reason.detail } : {}),
    services: p.services.map((s) => ({
      service: s.service,
      qualified: s.qualified,
      customers: s.customers,
      ...(s.earningCustomers !== undefined ? { earningCustomers: s.earningCustomers } : {}),
      customersNeeded: s.customersNeeded,
      units: s.units,
      ...(s.netUnits !== undefined ? { netUnits: s.netUnits } : {}),
      revenue: formatMoney(s.revenue, currency),
      earned: formatMoney(s.earned, currency),
      amount: formatMoney(s.amount, currency),
      ...(s.cap ? { cap: formatMoney(s.cap, currency) } : {}),
      ...(s.tier ? { tier: s.tier } : {}),
    })),
    subtotal: formatMoney(p.subtotal, currency),
    total: formatMoney(p.total, currency),
    payout: formatMoney(p.payout, p.payoutCurrency),
    payoutCurrency: p.payoutCurrency,
    ...(p.payoutFx ? { payoutFx: { rate: p.payoutFx.rate.toString(), date: p.payoutFx.date, source: p.payoutFx.source } } : {}),
    ...(p.carriedForward ? { carriedForward: formatMoney(p.carriedForward, currency) } : {}),
    rows: p.rows,
  };
}

export function campaignToJson(c: CampaignResult) {
  return {
    id: c.id,
    name: c.name,
    currency: c.currency,
    asOf: c.asOf,
    period: c.period,
    partners: c.partners.map((p) => partnerToJson(p, c.currency)),
    rows: c.rows,
  };
}

/** The version of this JSON's shape: a reader (incent compare) refuses another one. */
export const CALC_JSON_VERSION = 1;

/**
 * The version of every other JSON output's shape (explain, progress, validate, payout):
 * raised when a change would break a reader. Each shape is in docs/json.md and schema/.
 */
export const JSON_VERSION = 1;

/** A ledger row's snake_case columns as the JSON outputs' camelCase keys. */
export function camelKeys<T extends object>(row: T): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) out[k.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase())] = v;
  return out;
}

export function resultToJson(r: CalcResult) {
  return {
    schemaVersion: CALC_JSON_VERSION,
    asOf: r.asOf,
    campaigns: r.campaigns.map(campaignToJson),
    ...(r.inputs ? { inputs: r.inputs } : {}),
    ...(r.rejected ? { rejected: r.rejected } : {}),
  };
}

export function renderJson(r: CalcResult): string {
  return JSON.stringify(resultToJson(r), null, 2) + '\n';
}
