/** Invalid campaigns: one small YAML each, with the diagnostic code, line and column expected. */
import { describe, expect, it } from 'vitest';
import { parseCampaign } from '../src/campaign/parse.js';
import { runChecks } from '../src/campaign/checks.js';
import { parseRateCard } from '../src/earn/rate-card.js';
import { loadCampaigns, skuSpellings } from '../src/campaign/load.js';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './helpers.js';

const VALID = `id: t
currency: USD
period: { start: 2017-02-01, end: 2017-06-30 }
as_of: 2017-09-15
services:
  O365:
    per_unit: { rates: { E3: 73 } }
    cap: 25000
cap: 50000
minimum_payout: 500
`;

function diagnose(yaml: string) {
  const parsed = parseCampaign(yaml, 'c.yaml');
  if (!parsed.raw) return parsed.diagnostics;
  return runChecks(parsed, parsed.raw, new Map());
}

describe('campaign diagnostics', () => {
  it('a valid campaign has none', () => {
    expect(diagnose(VALID)).toEqual([]);
  });

  const cases: { name: string; yaml: string; code: string; line: number; column: number; text?: RegExp }[] = [
    {
      name: 'unknown key with a suggestion',
      yaml: VALID.replace('cap: 50000', 'capp: 50000'),
      code: 'UNKNOWN_KEY',
      line: 9,
      column: 1,
      text: /did you mean "cap"/,
    },
    { name: 'nested unknown key', yaml: VALID.replace('cap: 25000', 'cpa: 25000'), code: 'UNKNOWN_KEY', line: 8, column: 5, text: /did you mean "cap"/ },
    { name: 'wrong type', yaml: VALID.replace('cap: 50000', 'cap: lots'), code: 'SCHEMA_INVALID', line: 9, column: 6, text: /decimal number/ },
    { name: 'missing field', yaml: VALID.replace('currency: USD\n', ''), code: 'MISSING_KEY', line: 1, column: 1, text: /currency/ },
    { name: 'impossible date', yaml: VALID.replace('2017-06-30', '2017-02-30'), code: 'SCHEMA_INVALID', line: 3, column: 35, text: /calendar date/ },
    { name: 'unknown currency', yaml: VALID.replace('USD', 'USX'), code: 'SCHEMA_INVALID', line: 2, column: 11, text: /ISO 4217/ },
    {
      name: 'percent above 100',
      yaml: VALID.replace('per_unit: { rates: { E3: 73 } }', 'percent_of_revenue: { percent: 120 }'),
      code: 'SCHEMA_INVALID',
      line: 7,
      column: 36,
    },
    {
      name: 'two earning methods',
      yaml: VALID.replace('    cap: 25000', '    percent_of_revenue: { percent: 20 }\n    cap: 25000'),
      code: 'SCHEMA_INVALID',
      line: 7,
      column: 5,
      text: /exactly one earning method/,
    },
    {
      name: 'two services named alike (a row names a service in any case)',
      yaml: VALID.replace('    cap: 25000\n', '    cap: 25000\n  o365:\n    per_unit: { rates: { E5: 10 } }\n'),
      code: 'SERVICE_NAMED_TWICE',
      line: 9,
      column: 3,
      text: /services O365 and o365 differ only in letter case/,
    },
    { name: 'period end before start', yaml: VALID.replace('end: 2017-06-30', 'end: 2017-01-30'), code: 'PERIOD_END_BEFORE_START', line: 3, column: 35 },
    { name: 'minimum at the cap', yaml: VALID.replace('minimum_payout: 500', 'minimum_payout: 50000'), code: 'MINIMUM_NOT_BELOW_CAP', line: 10, column: 17 },
    { name: 'YAML syntax error', yaml: VALID.replace('period: {', 'period: {{'), code: 'YAML_SYNTAX', line: 4, column: 1 }, // the unclosed flow map is noticed where the next key starts
    { name: 'duplicate key', yaml: VALID + 'cap: 1\n', code: 'YAML_DUPLICATE_KEY', line: 11, column: 1 },
    { name: '__proto__ key', yaml: VALID + '__proto__: { polluted: true }\n', code: 'FORBIDDEN_KEY', line: 11, column: 1 },
    // The checks each earning method brings (src/earn/<method>.ts), reported like the campaign's own.
    {
      name: 'a SKU that a percent_of_revenue service and a tiers service both list',
      yaml: VALID.replace(
        '    cap: 25000',
        '    cap: 25000\n  Azure:\n    percent_of_revenue: { percent: 20, skus: [AZ] }\n  Count:\n    tiers: { count: transactions, skus: [AZ], table: [{ at_least: 1, pay: 5 }] }',
      ),
      code: 'SKU_IN_TWO_SERVICES',
      line: 11,
      column: 3,
    },
    {
      name: 'a workload two usage services pay for',
      yaml: VALID.replace('as_of: 2017-09-15', 'as_of: 2017-06-30').replace(
        '  O365:\n    per_unit: { rates: { E3: 73 } }\n    cap: 25000',
        '  A:\n    per_active_user: { rates: { E3: 1 }, workloads: [ExO], window_days: 28 }\n  B:\n    per_active_user: { rates: { E5: 1 }, workloads: [SpO, ExO], window_days: 28 }',
      ),
      code: 'WORKLOAD_IN_TWO_SERVICES',
      line: 9,
      column: 59,
    },
  ];

  it.each(cases)('$name -> $code at $line:$column', ({ yaml, code, line, column, text }) => {
    const ds = diagnose(yaml);
    const d = ds.find((x) => x.code === code);
    expect(d, JSON.stringify(ds)).toBeDefined();
    expect([d!.line, d!.column]).toEqual([line, column]);
    if (text) expect(d!.message).toMatch(text);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('a usage window that reaches outside the period: a warning at as_of (per_active_user brings the check)', () => {
    // as_of 2017-09-15 is after the period's end 2017-06-30: a 28-day window ending then is outside it.
    const ds = diagnose(VALID.replace('per_unit: { rates: { E3: 73 } }', 'per_active_user: { rates: { E3: 1 }, workloads: [ExO], window_days: 28 }'));
    expect(ds).toMatchObject([{ code: 'USAGE_WINDOW_OUTSIDE_PERIOD', severity: 'warning', line: 4, column: 8 }]);
  });

  it('a warning for as_of before the period end', () => {
    const ds = diagnose(VALID.replace('as_of: 2017-09-15', 'as_of: 2017-06-01'));
    expect(ds).toMatchObject([{ code: 'AS_OF_BEFORE_PERIOD_END', severity: 'warning', line: 4, column: 8 }]);
  });

  it('keeps decimals exact (no binary float)', () => {
    const parsed = parseCampaign(VALID.replace('as_of: 2017-09-15', 'as_of: 2017-09-15\nfx: { fixed: { GBP: 1.2400000000000000001 } }'), 'c.yaml');
    expect(parsed.raw!.fx!.fixed!.GBP!.toString()).toBe('1.2400000000000000001');
  });
});

describe('rate-card diagnostics', () => {
  it('repeated SKU, negative and non-numeric rate, formula SKU', () => {
    const { diagnostics } = parseRateCard('sku,rate\nA,10\nA,11\nB,-1\nC,ten\n"=HYPERLINK(""x"")",5\n', 'card.csv');
    expect(diagnostics.map((d) => [d.code, d.line])).toEqual([
      ['RATE_CARD_DUPLICATE_SKU', 3],
      ['RATE_NEGATIVE', 4],
      ['RATE_NOT_NUMERIC', 5],
      ['RATE_CARD_FORMULA', 6],
    ]);
  });

  it('a row of more or fewer cells than the header is an error, not a cell read as another column', () => {
    // 47,50 meant 47.50: read as rate 47 and service 50 before, the description lost.
    const { card, diagnostics } = parseRateCard('sku,rate,service,description\nA,73,O365,E5\nB,47,50,O365,E3\nC,20\n', 'card.csv');
    expect(diagnostics.map((d) => [d.code, d.line, d.message])).toEqual([
      ['RATE_CARD_ROW', 3, 'expected 4 fields (sku,rate,service,description), found 5'],
      ['RATE_CARD_ROW', 4, 'expected 4 fields (sku,rate,service,description), found 2'],
    ]);
    expect([...card.keys()]).toEqual(['A']);
  });

  it('names the line a row starts on, past blank lines and cells that hold line breaks', () => {
    // Line 1 header, 2 blank, 3 A, 4-5 B (its description on two lines), 6 C with a rate that is not a number.
    const { diagnostics } = parseRateCard('sku,rate,description\n\nA,73,E5\nB,48,"E3\nsecond line"\nC,x20,E1\n', 'card.csv');
    expect(diagnostics.map((d) => [d.code, d.line])).toEqual([['RATE_NOT_NUMERIC', 6]]);
  });
});

describe('a SKU in two spellings (SKU ids match in any letter case)', () => {
  const campaign = (id: string, services: string) =>
    `id: ${id}\ncurrency: USD\nperiod: { start: 2017-02-01, end: 2017-06-30 }\nas_of: 2017-09-15\nservices:\n${services}`;
  function load(files: Record<string, string>) {
    const dir = tempDir();
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(join(dir, name, '..'), { recursive: true });
      writeFileSync(join(dir, name), text);
    }
    // As validate reads a folder: the loader's diagnostics, and a SKU's spellings across every campaign read.
    const { campaigns, diagnostics } = loadCampaigns([dir]);
    return [...diagnostics, ...skuSpellings(campaigns)].map((d) => [d.code, d.severity, d.file!.slice(dir.length + 1), d.line, d.message]);
  }

  it('one card listing a SKU twice in two spellings is a duplicate, in a CSV card or inline', () => {
    // Before, e3 and E3 were two SKUs of 73 and 50: a row spelt e3 was paid 50, one spelt E3 73.
    expect(load({ 'c.yaml': campaign('c', '  O365:\n    per_unit: { rates: card.csv }\n'), 'card.csv': 'sku,rate\nE3,73\ne3,50\n' })).toEqual([
      ['RATE_CARD_DUPLICATE_SKU', 'error', 'card.csv', 3, 'SKU e3 is listed twice: as E3 on line 2 (SKU ids match in any letter case)'],
    ]);
    expect(load({ 'c.yaml': campaign('c', '  O365:\n    per_unit: { rates: { E3: 73, e3: 50 } }\n') }).map((d) => d.slice(0, 4))).toEqual([
      ['RATE_CARD_DUPLICATE_SKU', 'error', 'c.yaml', 7],
    ]);
  });

  it('two services of one campaign paying one SKU in two spellings', () => {
    expect(
      load({
        'c.yaml': campaign('c', '  O365:\n    per_unit: { rates: o.csv }\n  EMS:\n    per_unit: { rates: e.csv }\n'),
        'o.csv': 'sku,rate\nE3,73\n',
        'e.csv': 'sku,rate\ne3,20\n',
      }),
    ).toEqual([['SKU_IN_TWO_SERVICES', 'error', 'e.csv', 2, 'SKU e3 is paid by both O365 (as E3) and EMS']]);
  });

  it('two campaigns spelling one SKU apart are refused (each would pay only the rows spelt its way)', () => {
    const ds = load({
      'a.yaml': campaign('a', '  O365:\n    per_unit: { rates: { E3: 73 } }\n'),
      'b.yaml': campaign('b', '  O365:\n    per_unit: { rates: b.csv }\n'),
      'b.csv': 'sku,rate\ne3,20\n',
    });
    expect(ds.filter((d) => d[1] === 'error').map((d) => d.slice(0, 4))).toEqual([['SKU_SPELT_TWO_WAYS', 'error', 'b.csv', 2]]);
    expect(ds.find((d) => d[0] === 'SKU_SPELT_TWO_WAYS')![4]).toMatch(
      /^SKU e3 is spelt E3 by a \(.*a\.yaml\): SKU ids match in any letter case, so spell it one way$/,
    );
    // And the two campaigns, overlapping and both crediting the transacting partner, both pay it: the double-pay warning names it.
    expect(ds.filter((d) => d[0] === 'DOUBLE_PAY').map((d) => d.slice(0, 4))).toEqual([['DOUBLE_PAY', 'warning', 'b.yaml', 1]]);
  });
});

describe('claims settings', () => {
  it('a claims block without claim credit is a warning at its key', () => {
    const yaml = VALID.replace('as_of: 2017-09-15', 'as_of: 2017-09-15\nclaims: { min_paid_seats: 300 }');
    expect(diagnose(yaml)).toMatchObject([{ code: 'CLAIMS_WITHOUT_CLAIM_CREDIT', severity: 'warning', line: 5, column: 1 }]);
  });
});
