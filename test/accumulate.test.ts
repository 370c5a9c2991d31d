/** The column accumulators: many customers and partners, pages, and sums past 32 bits stay exact. */
import { describe, expect, it } from 'vitest';
import { evaluate } from '../src/engine/evaluate.js';
import { campaignFromYaml, tx } from './helpers.js';

const campaign = campaignFromYaml(`
id: big
currency: USD
period: { start: 2024-01-01, end: 2024-03-31 }
as_of: 2024-04-30
services:
  M365:
    per_unit: { rates: { E3: 2, E5: 3 } }
`);

describe('column accumulators', () => {
  it('seat sums past 2^31 per SKU stay exact', () => {
    // E3: 2,000,000,000 + 2,000,000,000 = 4,000,000,000 seats (past a 32-bit column) x $2 = $8,000,000,000
    // E5: 5 seats x $3 = $15; total $8,000,000,015.00
    const rows = [
      tx({ id: 'T1', date: '2024-02-01', sku: 'E3', customerId: 'C1', quantity: 2_000_000_000 }),
      tx({ id: 'T2', date: '2024-02-02', sku: 'E3', customerId: 'C1', quantity: 2_000_000_000 }),
      tx({ id: 'T3', date: '2024-02-03', sku: 'E5', customerId: 'C1', quantity: 5 }),
    ];
    const s = evaluate([campaign], rows).campaigns[0]!.partners[0]!.services[0]!;
    expect(s.units).toBe(4_000_000_005);
    expect(s.amount.toFixed(2)).toBe('8000000015.00');
  });

  it('keeps each (partner, customer) apart across many pages of slots', () => {
    // 20,000 customers (past two 8,192-slot pages), each buying 1 E3 through partner P1 and 2 E5 through P2:
    // P1: 20,000 x 1 x $2 = $40,000; P2: 20,000 x 2 x $3 = $120,000
    const rows = [];
    for (let i = 0; i < 20_000; i++) {
      rows.push(tx({ id: `A${i}`, partnerId: 'P1', date: '2024-02-01', sku: 'E3', customerId: `C${i}`, quantity: 1 }));
      rows.push(tx({ id: `B${i}`, partnerId: 'P2', date: '2024-02-01', sku: 'E5', customerId: `C${i}`, quantity: 2 }));
    }
    const partners = evaluate([campaign], rows).campaigns[0]!.partners;
    expect(partners.map((p) => [p.partnerId, p.services[0]!.customers, p.services[0]!.amount.toFixed(2)])).toEqual([
      ['P1', 20_000, '40000.00'],
      ['P2', 20_000, '120000.00'],
    ]);
  });
});
