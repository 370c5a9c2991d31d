/** tiers (Canada frequency campaigns, seed 001): tier boundaries for transactions and customers. */
import { describe, expect, it } from 'vitest';
import { evaluate } from '../src/engine/evaluate.js';
import { parseCampaign } from '../src/campaign/parse.js';
import { runChecks } from '../src/campaign/checks.js';
import { campaignFromYaml, tx } from './helpers.js';

const yaml = (count: string, tierLines: string) => `
id: freq
currency: CAD
period: { start: 2024-01-01, end: 2024-03-31 }
as_of: 2024-04-30
services:
  M365:
    tiers:
      count: ${count}
      skus: [BP]
      table:
${tierLines}
`;
const FLAT = '        - { at_least: 5, pay: 250 }\n        - { at_least: 10, pay: 600 }';
const PER_ITEM = '        - { at_least: 3, per_item: 40 }\n        - { at_least: 6, per_item: 55 }';

function amount(count: string, tiers: string, rows: ReturnType<typeof tx>[]): string {
  const r = evaluate([campaignFromYaml(yaml(count, tiers))], rows).campaigns[0]!;
  return r.partners[0]!.services[0]!.amount.toFixed(2);
}

const txs = (n: number, customers = n) => Array.from({ length: n }, (_, i) => tx({ date: '2024-02-01', sku: 'BP', customerId: `C${i % customers}` }));

describe('tiers', () => {
  it('counts transactions: 4 reach no tier, 5 the first (flat 250), 9 still the first, 10 the second (600)', () => {
    expect(amount('transactions', FLAT, txs(4))).toBe('0.00');
    expect(amount('transactions', FLAT, txs(5))).toBe('250.00');
    expect(amount('transactions', FLAT, txs(9))).toBe('250.00');
    expect(amount('transactions', FLAT, txs(10))).toBe('600.00');
  });

  it('counts distinct customers: 10 transactions of 4 customers reach nothing; 5 customers the first tier', () => {
    expect(amount('customers', FLAT, txs(10, 4))).toBe('0.00');
    expect(amount('customers', FLAT, txs(10, 5))).toBe('250.00');
  });

  it('pays per item: 2 customers nothing, 3 x $40 = $120, 5 x $40 = $200, 6 x $55 = $330', () => {
    expect(amount('customers', PER_ITEM, txs(2))).toBe('0.00');
    expect(amount('customers', PER_ITEM, txs(3))).toBe('120.00');
    expect(amount('customers', PER_ITEM, txs(5))).toBe('200.00');
    expect(amount('customers', PER_ITEM, txs(6))).toBe('330.00');
  });

  it('rows of other SKUs or outside the period do not count', () => {
    const rows = [...txs(4), tx({ date: '2024-02-01', sku: 'OTHER' }), tx({ date: '2024-04-01', sku: 'BP' })];
    expect(amount('transactions', FLAT, rows)).toBe('0.00');
  });

  it('tiers that are not strictly ascending are a diagnostic at the offending at_least', () => {
    const text = yaml('transactions', '        - { at_least: 5, pay: 250 }\n        - { at_least: 5, pay: 600 }');
    const parsed = parseCampaign(text, 'f.yaml');
    const ds = runChecks(parsed, parsed.raw!, new Map());
    // line 13 is the second tier; `at_least` value starts at column 23
    expect(ds).toMatchObject([{ code: 'TIERS_NOT_ASCENDING', line: 13, column: 23 }]);
  });
});
