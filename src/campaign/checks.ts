/**
 * Semantic checks: small named rules over a schema-valid campaign, each adding
 * diagnostics. Run by calc (errors stop the run) and by validate.
 */
import type { Diagnostic } from '../diagnostics.js';
import { Decimal } from '../money/index.js';
import type { ParsedCampaign } from './parse.js';
import type { CampaignRaw } from './schema.js';
import { cardSkus, rateKey, type RateCard, type RateEntry } from '../earn/rate-card.js';
import { earningOf } from './resolve.js';

export interface CheckContext {
  raw: CampaignRaw;
  parsed: ParsedCampaign;
  rateCards: ReadonlyMap<string, RateCard>;
  report(d: Omit<Diagnostic, 'file' | 'line' | 'column'> & { path?: (string | number)[]; onKey?: boolean; file?: string; line?: number }): void;
}

type Check = (ctx: CheckContext) => void;

const endNotBeforeStart: Check = ({ raw, report }) => {
  if (raw.period.end < raw.period.start) {
    report({
      code: 'PERIOD_END_BEFORE_START',
      severity: 'error',
      path: ['period', 'end'],
      message: `the period ends (${raw.period.end}) before it starts (${raw.period.start})`,
      expected: `a date on or after ${raw.period.start}`,
      found: raw.period.end,
    });
  }
};

const deadlineNotAfterPeriod: Check = ({ raw, report }) => {
  const deadline = raw.requires?.registration?.deadline;
  if (deadline && deadline > raw.period.end) {
    report({
      code: 'DEADLINE_AFTER_PERIOD',
      severity: 'error',
      path: ['requires', 'registration', 'deadline'],
      message: `the registration deadline ${deadline} falls after the period ends (${raw.period.end})`,
      expected: `a date on or before ${raw.period.end}`,
      found: deadline,
    });
  }
};

const asOfNotBeforePeriodEnd: Check = ({ raw, report }) => {
  if (raw.as_of < raw.period.end) {
    report({
      code: 'AS_OF_BEFORE_PERIOD_END',
      severity: 'warning',
      path: ['as_of'],
      message: `as_of ${raw.as_of} is before the period ends (${raw.period.end}): rows after it are not counted`,
      expected: `a date on or after ${raw.period.end}`,
      found: raw.as_of,
    });
  }
};

function minimumAmount(raw: CampaignRaw): Decimal | undefined {
  const mp = raw.minimum_payout;
  if (mp === undefined) return undefined;
  return Decimal.isDecimal(mp) ? mp : mp.amount;
}

const minimumBelowCap: Check = ({ raw, report }) => {
  const min = minimumAmount(raw);
  if (min && raw.cap && min.gte(raw.cap)) {
    report({
      code: 'MINIMUM_NOT_BELOW_CAP',
      severity: 'error',
      path: ['minimum_payout'],
      message: `the minimum payout ${min.toString()} is at or above the campaign cap ${raw.cap.toString()}`,
      expected: `less than ${raw.cap.toString()}`,
      found: min.toString(),
    });
  }
};

const serviceCapWithinCampaignCap: Check = ({ raw, report }) => {
  if (!raw.cap) return;
  for (const [name, s] of Object.entries(raw.services)) {
    if (s.cap && s.cap.gt(raw.cap)) {
      report({
        code: 'SERVICE_CAP_ABOVE_CAMPAIGN_CAP',
        severity: 'warning',
        path: ['services', name, 'cap'],
        message: `the ${name} cap ${s.cap.toString()} is above the campaign cap ${raw.cap.toString()}`,
        expected: `at most ${raw.cap.toString()}`,
        found: s.cap.toString(),
      });
    }
  }
};

const ratesWithinMaxRate: Check = ({ raw, rateCards, report }) => {
  for (const [name, s] of Object.entries(raw.services)) {
    const card = rateCards.get(name);
    if (!s.max_rate || !card) continue;
    for (const e of card.values()) {
      if (e.rate.gt(s.max_rate)) {
        report({
          code: 'RATE_ABOVE_MAX',
          severity: 'error',
          file: e.file,
          line: e.line,
          path: ['services', name, 'max_rate'],
          message: `${name} rate for ${e.sku} is ${e.rate.toString()}, above the service's max_rate ${s.max_rate.toString()}`,
          expected: `at most ${s.max_rate.toString()}`,
          found: e.rate.toString(),
        });
      }
    }
  }
};

/** A row's `service` cell names a service in any letter case: two services named alike (O365, o365) would be one. */
const servicesNamedApart: Check = ({ raw, report }) => {
  const seen = new Map<string, string>();
  for (const name of Object.keys(raw.services)) {
    const first = seen.get(name.toLowerCase());
    if (first === undefined) seen.set(name.toLowerCase(), name);
    else
      report({
        code: 'SERVICE_NAMED_TWICE',
        severity: 'error',
        path: ['services', name],
        onKey: true,
        message: `services ${first} and ${name} differ only in letter case: a row's service column names a service in any case`,
        expected: `a name other than ${first}`,
        found: name,
      });
  }
};

/** SKU ids match in any letter case: one card listing a SKU in two spellings gives it two rates. */
const skuOnceInCard: Check = ({ rateCards, report }) => {
  for (const [name, card] of rateCards) {
    const seen = new Map<string, RateEntry>();
    for (const e of card.values()) {
      const k = rateKey(e.sku.toLowerCase(), e.workload);
      const first = seen.get(k);
      if (!first) {
        seen.set(k, e);
        continue;
      }
      report({
        code: 'RATE_CARD_DUPLICATE_SKU',
        severity: 'error',
        file: e.file,
        line: e.line,
        path: ['services', name],
        onKey: true,
        message: `SKU ${e.sku}${e.workload ? ` (workload ${e.workload})` : ''} is listed twice: as ${first.sku} on line ${first.line} (SKU ids match in any letter case)`,
        expected: 'each SKU (and workload) once',
        found: e.sku,
      });
    }
  }
};

const skuInOneService: Check = ({ rateCards, raw, report }) => {
  // By lower-case id: a SKU two services spell differently is still one SKU.
  const owner = new Map<string, { service: string; sku: string }>();
  for (const name of Object.keys(raw.services)) {
    const { method, raw: config } = earningOf(raw.services[name]!);
    // Usage services share SKUs by design (EMS pays Intune and AADP); workloads must not overlap instead.
    if (method.measure === 'usage') continue;
    const skus = [...cardSkus(rateCards.get(name) ?? new Map()), ...(method.listedSkus?.(config) ?? [])];
    for (const sku of skus) {
      const first = owner.get(sku.toLowerCase());
      if (first && first.service !== name) {
        const e = rateCards.get(name)?.get(sku);
        report({
          code: 'SKU_IN_TWO_SERVICES',
          severity: 'error',
          file: e?.file,
          line: e?.line,
          path: ['services', name],
          onKey: true,
          message: `SKU ${sku} is paid by both ${first.service}${first.sku === sku ? '' : ` (as ${first.sku})`} and ${name}`,
          expected: 'each SKU in one service',
          found: sku,
        });
      } else if (!first) owner.set(sku.toLowerCase(), { service: name, sku });
    }
  }
};

const workloadInOneService: Check = ({ raw, report }) => {
  const owner = new Map<string, string>();
  for (const [name, s] of Object.entries(raw.services)) {
    const { key, method, raw: config } = earningOf(s);
    (method.workloads?.(config) ?? []).forEach((w, i) => {
      const first = owner.get(w);
      if (first && first !== name) {
        report({
          code: 'WORKLOAD_IN_TWO_SERVICES',
          severity: 'error',
          path: ['services', name, key, 'workloads', i],
          message: `workload ${w} is paid by both ${first} and ${name}`,
          expected: 'each workload in one service',
          found: w,
        });
      } else owner.set(w, name);
    });
  }
};

/** Per-workload rates only mean something to a method paid on usage. */
const workloadRatesOnlyForUsage: Check = ({ raw, rateCards, report }) => {
  for (const [name, s] of Object.entries(raw.services)) {
    if (earningOf(s).method.measure === 'usage') continue;
    const e = [...(rateCards.get(name)?.values() ?? [])].find((x) => x.workload);
    if (e) {
      report({
        code: 'RATE_CARD_WORKLOAD',
        severity: 'error',
        file: e.file,
        line: e.line,
        path: ['services', name],
        message: `${name} is not paid on usage, but its rate card gives ${e.sku} a workload (${e.workload})`,
        expected: 'a workload column only in per_active_user rate cards',
        found: e.workload,
      });
    }
  }
};

/** A claims block does nothing unless rows are credited by claims. */
const claimsNeedClaimCredit: Check = ({ raw, report }) => {
  if (raw.claims && raw.credit !== 'claiming_partner' && raw.credit !== 'pal') {
    report({
      code: 'CLAIMS_WITHOUT_CLAIM_CREDIT',
      severity: 'warning',
      path: ['claims'],
      onKey: true,
      message: `claims settings have no effect with credit: ${raw.credit}`,
      expected: 'credit: claiming_partner or pal',
      found: raw.credit,
    });
  }
};

/** Each earning method's own checks of its config (tiers ascending, a usage window inside the period, ...). */
const methodChecks: Check = ({ raw, report }) => {
  for (const [name, s] of Object.entries(raw.services)) {
    const { key, method, raw: config } = earningOf(s);
    method.check?.(config, { service: name, path: ['services', name, key], campaign: raw, report });
  }
};

/** reconcile.levers name services of this campaign. */
const leversNameServices: Check = ({ raw, report }) => {
  for (const [lever, service] of Object.entries(raw.reconcile?.levers ?? {})) {
    if (raw.services[service] !== undefined) continue;
    report({
      code: 'UNKNOWN_SERVICE',
      severity: 'error',
      path: ['reconcile', 'levers', lever],
      message: `lever "${lever}" pays service ${service}, which this campaign does not have`,
      expected: `one of ${Object.keys(raw.services).join(', ')}`,
      found: service,
    });
  }
};

export const CHECKS: Record<string, Check> = {
  leversNameServices,
  workloadInOneService,
  methodChecks,
  workloadRatesOnlyForUsage,
  claimsNeedClaimCredit,
  endNotBeforeStart,
  deadlineNotAfterPeriod,
  asOfNotBeforePeriodEnd,
  minimumBelowCap,
  serviceCapWithinCampaignCap,
  ratesWithinMaxRate,
  servicesNamedApart,
  skuOnceInCard,
  skuInOneService,
};

export function runChecks(parsed: ParsedCampaign, raw: CampaignRaw, rateCards: ReadonlyMap<string, RateCard>): Diagnostic[] {
  const out: Diagnostic[] = [];
  const ctx: CheckContext = {
    raw,
    parsed,
    rateCards,
    report({ path, onKey, file, line, ...d }) {
      const at = file && line ? { line, column: 1 } : path ? parsed.locate(path, onKey) : undefined;
      out.push({ ...d, file: file && line ? file : parsed.file, line: at?.line, column: at?.column });
    },
  };
  for (const check of Object.values(CHECKS)) check(ctx);
  return out;
}
