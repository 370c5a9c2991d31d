/**
 * Semantic checks: small named rules over a schema-valid campaign, each adding
 * diagnostics. Run by calc (errors stop the run) and by validate.
 */
import type { Diagnostic } from '../diagnostics.js';
import { Decimal } from '../money/index.js';
import type { ParsedCampaign } from './parse.js';
import type { CampaignRaw } from './schema.js';
import type { RateCard } from './rate-card.js';

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

const skuInOneService: Check = ({ rateCards, raw, report }) => {
  const owner = new Map<string, string>();
  for (const name of Object.keys(raw.services)) {
    const skus = [...(rateCards.get(name)?.keys() ?? [])];
    const s = raw.services[name]!;
    if (s.percent_of_revenue?.skus) skus.push(...s.percent_of_revenue.skus);
    if (s.tiers?.skus) skus.push(...s.tiers.skus);
    for (const sku of skus) {
      const first = owner.get(sku);
      if (first && first !== name) {
        const e = rateCards.get(name)?.get(sku);
        report({
          code: 'SKU_IN_TWO_SERVICES',
          severity: 'error',
          file: e?.file,
          line: e?.line,
          path: ['services', name],
          onKey: true,
          message: `SKU ${sku} is paid by both ${first} and ${name}`,
          expected: 'each SKU in one service',
          found: sku,
        });
      } else owner.set(sku, name);
    }
  }
};

const tiersAscending: Check = ({ raw, report }) => {
  for (const [name, s] of Object.entries(raw.services)) {
    const table = s.tiers?.table ?? [];
    for (let i = 1; i < table.length; i++) {
      if (table[i]!.at_least <= table[i - 1]!.at_least) {
        report({
          code: 'TIERS_NOT_ASCENDING',
          severity: 'error',
          path: ['services', name, 'tiers', 'table', i, 'at_least'],
          message: `${name} tier ${i + 1} starts at ${table[i]!.at_least}, not above tier ${i} (${table[i - 1]!.at_least})`,
          expected: `at_least above ${table[i - 1]!.at_least}`,
          found: String(table[i]!.at_least),
        });
      }
    }
  }
};

const creditSupported: Check = ({ raw, report }) => {
  if (raw.credit === 'claiming_partner' || raw.credit === 'pal') {
    report({
      code: 'CREDIT_NOT_SUPPORTED',
      severity: 'error',
      path: ['credit'],
      message: `credit: ${raw.credit} needs claims.csv, which this version of incent does not read yet`,
      expected: 'transacting_partner or reseller',
      found: raw.credit,
    });
  }
};

export const CHECKS: Record<string, Check> = {
  creditSupported,
  tiersAscending,
  endNotBeforeStart,
  deadlineNotAfterPeriod,
  asOfNotBeforePeriodEnd,
  minimumBelowCap,
  serviceCapWithinCampaignCap,
  ratesWithinMaxRate,
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
