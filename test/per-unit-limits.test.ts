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

describe('per_unit: each field means one thing in both modes', () => {
  const service = (per: string, quantities: number[], customers: string[]) => {
    const rows = quantities.map((q, i) => tx({ date: '2024-02-01', sku: 'E3', licenseProgram: 'Open', customerId: customers[i]!, quantity: q }));
    const s = evaluate([campaign(per)], rows).campaigns[0]!.partners[0]!.services[0]!;
    return { units: s.units, netUnits: s.netUnits, customers: s.customers, earningCustomers: s.earningCustomers, amount: s.amount.toFixed(2) };
  };

  it('units: paid after limits; netUnits: before them; customers: qualifying; earningCustomers: paid for', () => {
    // C1 buys 3 then 25, C2 buys 4 (min 5, max 20, $10).
    // per transaction: C1's 3 -> 0, 25 -> 20; C2's 4 -> 0: 20 seats paid, $200; net 3 + 25 + 4 = 32; C2 earns nothing.
    expect(service('transaction', [3, 25, 4], ['C1', 'C1', 'C2'])).toEqual({ units: 20, netUnits: 32, customers: 2, earningCustomers: 1, amount: '200.00' });
    // per customer: C1 has 28 -> 20, C2 has 4 < 5 -> 0: again 20 seats paid, $200, 32 net, 1 of 2 customers earns.
    // (Before, per: customer reported units 32: the raw seats, not what is paid.)
    expect(service('customer', [3, 25, 4], ['C1', 'C1', 'C2'])).toEqual({ units: 20, netUnits: 32, customers: 2, earningCustomers: 1, amount: '200.00' });
    // per customer where the totals differ from per transaction: 4 + 4 = 8 >= 5 -> 8 paid, $80; per transaction each 4 -> 0.
    expect(service('customer', [4, 4], ['C1', 'C1'])).toEqual({ units: 8, netUnits: 8, customers: 1, earningCustomers: 1, amount: '80.00' });
    expect(service('transaction', [4, 4], ['C1', 'C1'])).toEqual({ units: 0, netUnits: 8, customers: 1, earningCustomers: 0, amount: '0.00' });
  });

  it('explain says which limit applied to which row or customer', async () => {
    const { Evaluator } = await import('../src/engine/evaluate.js');
    const words = (per: string, quantities: number[]) => {
      const rows = quantities.map((q) => tx({ date: '2024-02-01', sku: 'E3', licenseProgram: 'Open', customerId: 'C1', partnerId: 'P1', quantity: q }));
      const ev = new Evaluator([campaign(per)], { keepVerdicts: true });
      for (const r of rows) ev.add(r);
      ev.finish();
      return [...rows.flatMap((r) => ev.explainTx(r).map((e) => e.detail)), ...ev.settled[0]!.summaryItems('P1').map((e) => e.detail)];
    };
    // per transaction: 3 < 5 counts 0; 25 > 20 counts 20: 20 x 10 = 200.
    expect(words('transaction', [3, 25])).toEqual([
      '0 x 10 = 0 CAD (3 on the row: under min_units 5 a transaction, counts 0)',
      '20 x 10 = 200 CAD (25 on the row: over max_units 20 a transaction, counts 20)',
    ]);
    // per customer: rows 3 + 25 = 28 x 10 = 280, the customer's 28 > 20 is paid for 20: 200, a -80 line says why.
    expect(words('customer', [3, 25]).at(-1)).toBe('customer C1: rows sum to 280, but 28 net seats, over max_units 20 a customer: paid for 20: pays 200');
  });
});

describe('per_unit: a trace keeps only the customers its summary lines need (summaryNeeds)', () => {
  const netting = campaignFromYaml(`
id: net
currency: USD
period: { start: 2024-01-01, end: 2024-03-31 }
as_of: 2024-04-30
eligible: { license_programs: [CSP] }
services:
  M365:
    per_unit: { rates: { E3: 10 } }
`);
  // C1 buys 5 then returns 8: its rows sum to 50 - 80 = -30, but a customer is never paid below 0: +30 adjusts it.
  // C2 buys 4 (40) and C3 buys 6 then returns 2 (60 - 20 = 40): their rows are what they are paid, no line.
  const rows = [
    ['C1', 5],
    ['C1', -8],
    ['C2', 4],
    ['C3', 6],
    ['C3', -2],
  ].map(([customerId, quantity]) =>
    tx({ date: '2024-02-01', sku: 'E3', licenseProgram: 'CSP', customerId: customerId as string, partnerId: 'P1', quantity: quantity as number }),
  );

  it("gives the same summary lines as every customer's verdict does, and only C1's", async () => {
    const { Evaluator } = await import('../src/engine/evaluate.js');
    const summary = (keepVerdicts: true | 'trace') => {
      const ev = new Evaluator([netting], { keepVerdicts });
      for (const r of rows) ev.add(r);
      ev.finish();
      return ev.settled[0]!.summaryItems('P1').map((e) => `${e.customer} ${e.amount.toString()}`);
    };
    expect(summary('trace')).toEqual(['C1 30']);
    expect(summary(true)).toEqual(summary('trace'));
  });
});
