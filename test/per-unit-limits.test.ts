/** per_unit min_units / max_units (Canada dollar-per-SKU, seed 001), per transaction or per customer. */
import { describe, expect, it } from 'vitest';
import { evaluate } from '../src/engine/evaluate.js';
import { campaignFromYaml, tx } from './helpers.js';

const campaign = (per: string) =>
  campaignFromYaml(`
id: dps
currency: CAD
period: { start: 2024-01-01, end: 2024-03-31 }
as_of: 2024-04-30
eligible: { license_programs: [Open, CSP] }
services:
  M365:
    per_unit: { rates: { E3: 10 }, min_units: 5, max_units: 20, per: ${per} }
`);

function amount(per: string, quantities: number[], customers?: string[]): string {
  const rows = quantities.map((q, i) => tx({ date: '2024-02-01', sku: 'E3', licenseProgram: 'Open', customerId: customers?.[i] ?? 'C1', quantity: q }));
  return evaluate([campaign(per)], rows).campaigns[0]!.partners[0]!.services[0]!.amount.toFixed(2);
}

describe('per_unit limits', () => {
  it('per transaction: under the minimum earns nothing, over the maximum is paid up to it', () => {
    expect(amount('transaction', [4])).toBe('0.00'); // 4 < 5
    expect(amount('transaction', [5])).toBe('50.00'); // 5 x $10
    expect(amount('transaction', [25])).toBe('200.00'); // 25 capped to 20 x $10
    // two transactions of one customer, each judged alone: 4 -> 0, 25 -> 20: $200
    expect(amount('transaction', [4, 25])).toBe('200.00');
  });

  it('per customer: the customer total is judged', () => {
    // 4 + 4 = 8 units >= 5: $80 (per transaction both would earn nothing)
    expect(amount('customer', [4, 4])).toBe('80.00');
    expect(amount('transaction', [4, 4])).toBe('0.00');
    // 15 + 15 = 30 -> 20 x $10 = $200
    expect(amount('customer', [15, 15])).toBe('200.00');
    // two customers at 3 each: both under 5: nothing
    expect(amount('customer', [3, 3], ['C1', 'C2'])).toBe('0.00');
  });
});
