/**
 * A payout run's plan: a pure function of the engine's settled result and what the
 * ledger already holds. It decides, per (campaign, partner), what this run pays,
 * claws back or carries forward, and why; the ledger module only writes the plan.
 * Money is not recomputed here: earned to date is the engine's total and the payout
 * conversion uses the engine's rate (or fx.csv's, for a claw back of an absent partner).
 */
import { Decimal, formatMoney, roundMoney, ZERO } from '../money/index.js';
import type { Campaign } from '../campaign/model.js';
import type { CalcResult, PartnerResult } from '../engine/types.js';
import type { FxTable } from '../money/index.js';
import type { InputRow, LedgerState, LineAction, LineRow, NewLine, PaidSoFar } from './ledger.js';

export interface PlanInput {
  result: CalcResult;
  campaigns: readonly Campaign[];
  fx?: FxTable;
  /** The date of the payout-currency conversion, per campaign. */
  payoutDate: (c: Campaign) => string;
}

/** What a refused run would have replaced or paid twice. */
export type Refusal =
  { kind: 'later-periods'; period: string; later: string[] } | { kind: 'other-inputs'; run: LedgerState['existing'] & object; changes: string[] };

export type Plan = { kind: 'unchanged'; runId: number } | { kind: 'refused'; refusal: Refusal } | { kind: 'record'; lines: NewLine[]; supersedes?: number };

export class PayoutFxMissing extends Error {}

/** Identifies inputs by role and content: a path is shown, never compared. */
export function inputsDigestOf(inputs: readonly InputRow[]): string[] {
  return inputs.map((i) => `${i.role}\t${i.sha256}`).sort();
}

/**
 * What differs between two sets of inputs, by role and content: a file of a role whose
 * content changed is paired with the recorded one (in path order) and shown as changed.
 */
export function describeChanges(old: readonly InputRow[], now: readonly InputRow[], oldAsOf: string, asOf: string): string[] {
  const out: string[] = [];
  if (oldAsOf !== asOf) out.push(`as_of ${oldAsOf} -> ${asOf}`);
  const roles = [...new Set([...old, ...now].map((i) => i.role))].sort();
  for (const role of roles) {
    const was = old.filter((i) => i.role === role);
    const is = now.filter((i) => i.role === role);
    const gone = was.filter((o) => !is.some((n) => n.sha256 === o.sha256));
    const added = is.filter((n) => !was.some((o) => o.sha256 === n.sha256));
    for (let i = 0; i < Math.max(gone.length, added.length); i++) {
      const o = gone[i];
      const n = added[i];
      if (o && n) out.push(`changed ${role} ${n.path}: sha256 ${o.sha256.slice(0, 12)} -> ${n.sha256.slice(0, 12)}`);
      else if (n) out.push(`new ${role} ${n.path} (sha256 ${n.sha256.slice(0, 12)})`);
      else if (o) out.push(`no longer read: ${role} ${o.path} (sha256 ${o.sha256.slice(0, 12)})`);
    }
  }
  return out;
}

function sameInputs(a: readonly InputRow[], b: readonly InputRow[]): boolean {
  const x = inputsDigestOf(a);
  const y = inputsDigestOf(b);
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

/**
 * Decides a run of `period`: nothing to do (same inputs already recorded), refused
 * (a later period is recorded, or other inputs without --supersede), or the lines to
 * record. `supersede`: replace this period's recorded run, or correct an earlier period.
 */
export function planRun(input: PlanInput, state: LedgerState, run: { period: string; asOf: string; inputs: readonly InputRow[]; supersede: boolean }): Plan {
  const existing = state.existing;
  if (existing && existing.run.as_of === run.asOf && sameInputs(existing.inputs, run.inputs)) return { kind: 'unchanged', runId: existing.run.id };
  if (!run.supersede && state.later.length) return { kind: 'refused', refusal: { kind: 'later-periods', period: run.period, later: state.later } };
  if (existing && !run.supersede)
    return {
      kind: 'refused',
      refusal: { kind: 'other-inputs', run: existing, changes: describeChanges(existing.inputs, run.inputs, existing.run.as_of, run.asOf) },
    };
  let lines = planLines(input, state.paid);
  if (existing) {
    const old = new Map(existing.lines.map((l) => [`${l.campaign_id}\u0000${l.partner_id}`, l]));
    lines = lines.map((l) => ({
      ...l,
      delta: formatMoney(new Decimal(l.amount).minus(old.get(`${l.campaign_id}\u0000${l.partner_id}`)?.amount ?? '0'), l.currency),
    }));
  }
  return { kind: 'record', lines, ...(existing ? { supersedes: existing.run.id } : {}) };
}

/** Why a line pays less than earned, or claws back: a reason code, or null for an ordinary payment. */
function lineReason(p: PartnerResult | undefined, action: LineAction): string | null {
  if (!p) return action === 'nothing' ? null : 'NOT_CREDITED';
  if (action === 'carried_forward') return 'BELOW_MINIMUM';
  if (p.reason) return p.reason.code;
  if (p.status === 'below_minimum') return 'BELOW_MINIMUM';
  if (p.status === 'not_qualified') return 'SERVICE_NOT_QUALIFIED';
  if (action === 'claw_back') return 'EARNED_TO_DATE_DECREASED';
  return null;
}

/** Per qualified service: what it earned before its cap, the cap, and the method's arithmetic (for statements). */
function serviceDetail(p: PartnerResult, currency: string): Record<string, { earned: string; cap?: string; arithmetic?: string }> {
  return Object.fromEntries(
    p.services
      .filter((s) => s.qualified)
      .map((s) => [
        s.service,
        {
          earned: formatMoney(s.earned, currency),
          ...(s.cap ? { cap: formatMoney(s.cap, currency) } : {}),
          ...(s.arithmetic ? { arithmetic: s.arithmetic } : {}),
        },
      ]),
  );
}

/** Earned to date minus paid so far, per (campaign, partner), with the minimum's carry-forward. */
export function planLines(input: PlanInput, paid: readonly PaidSoFar[]): NewLine[] {
  const lines: NewLine[] = [];
  const before = new Map(paid.map((p) => [`${p.campaign_id}\u0000${p.partner_id}`, p]));
  const byId = new Map(input.campaigns.map((c) => [c.id, c]));
  const seen = new Set<string>();
  const line = (
    c: Campaign,
    partnerId: string,
    p: PartnerResult | undefined,
    earned: Decimal,
    payoutCurrency: string,
    services: Record<string, string>,
    rate?: Decimal,
  ): NewLine => {
    const k = `${c.id}\u0000${partnerId}`;
    seen.add(k);
    const paidBefore = (before.get(k)?.amounts ?? []).reduce((a, x) => a.plus(x), ZERO);
    const diff = earned.minus(paidBefore);
    const min = c.minimumPayout;
    let amount = diff;
    let carried = ZERO;
    let action: LineAction = diff.gt(0) ? 'pay' : diff.lt(0) ? 'claw_back' : 'nothing';
    if (diff.gt(0) && min?.below === 'carry_forward' && diff.lt(min.amount)) {
      amount = ZERO;
      carried = diff;
      action = 'carried_forward';
    }
    let payoutAmount = amount;
    let fxRate: string | null = null;
    if (payoutCurrency !== c.currency && !amount.isZero()) {
      const r = rate ?? input.fx?.rate(c.currency, payoutCurrency, input.payoutDate(c)).rate;
      if (!r) throw new PayoutFxMissing(`paying ${partnerId} in ${payoutCurrency} needs a ${c.currency}->${payoutCurrency} rate`);
      payoutAmount = roundMoney(amount.times(r), payoutCurrency, c.rounding);
      fxRate = r.toString();
    }
    return {
      campaign_id: c.id,
      partner_id: partnerId,
      currency: c.currency,
      status: p?.status ?? 'absent',
      action,
      reason: lineReason(p, action),
      earned_to_date: formatMoney(earned, c.currency),
      paid_before: formatMoney(paidBefore, c.currency),
      amount: formatMoney(amount, c.currency),
      carried_forward: formatMoney(carried, c.currency),
      payout_currency: payoutCurrency,
      payout_amount: formatMoney(payoutAmount, payoutCurrency),
      delta: null,
      services: JSON.stringify(services),
      payout_fx_rate: fxRate,
      service_detail: p ? JSON.stringify(serviceDetail(p, c.currency)) : null,
    };
  };
  for (const cr of input.result.campaigns) {
    const c = byId.get(cr.id)!;
    for (const p of cr.partners) {
      // Carry-forward campaigns count every capped total; forfeit ones only what calc pays.
      const earned = c.minimumPayout?.below === 'carry_forward' || p.status === 'payable' ? p.total : ZERO;
      const services = Object.fromEntries(p.services.map((s) => [s.service, formatMoney(s.amount, c.currency)]));
      lines.push(line(c, p.partnerId, p, earned, p.payoutCurrency, services, p.payoutFx?.rate));
    }
  }
  // Paid before but credited with nothing now: the whole amount comes back.
  for (const [k, p] of before) {
    const c = byId.get(p.campaign_id);
    if (seen.has(k) || !c) continue;
    lines.push(line(c, p.partner_id, undefined, ZERO, p.payout_currency, {}));
  }
  return lines.sort((a, b) => (a.campaign_id + '\u0000' + a.partner_id < b.campaign_id + '\u0000' + b.partner_id ? -1 : 1));
}

/** A line as the JSON of `payout run --format json` and `payout show --format json` give it. */
export function lineJson(l: NewLine | LineRow) {
  return {
    campaign: l.campaign_id,
    partner: l.partner_id,
    status: l.status,
    action: l.action,
    reason: l.reason,
    currency: l.currency,
    earnedToDate: l.earned_to_date,
    paidBefore: l.paid_before,
    thisRun: l.amount,
    carriedForward: l.carried_forward,
    payout: l.payout_amount,
    payoutCurrency: l.payout_currency,
    payoutFxRate: l.payout_fx_rate,
    delta: l.delta,
    services: JSON.parse(l.services) as Record<string, string>,
  };
}
