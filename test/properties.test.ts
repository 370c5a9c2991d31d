/** Invariants over random inputs (fast-check). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluate } from '../src/engine/evaluate.js';
import type { TxRow } from '../src/engine/types.js';
import { resultToJson } from '../src/report/json.js';
import { campaignFromYaml, tx } from './helpers.js';

const campaign = campaignFromYaml(`
id: prop
currency: USD
period: { start: 2017-02-01, end: 2017-06-30 }
as_of: 2017-09-15
eligible: { license_programs: [CSP] }
services:
  O365:
    per_unit: { rates: { E3: 73, E1: 20 } }
    qualify: { customers: { at_least: 2 }, units_per_customer: { at_least: 5 } }
    cap: 2500
  Azure:
    percent_of_revenue: { percent: 20, skus: [AZ] }
    qualify: { customers: { at_least: 2 }, revenue_per_customer: { at_least: 200 } }
    cap: 900
cap: 3000
minimum_payout: 100
`);

const dates = ['2016-12-31', '2017-02-01', '2017-04-15', '2017-06-30', '2017-07-01', '2017-08-20', '2017-09-16'];
const rowArb = fc
  .record({
    partner: fc.constantFrom('P1', 'P2', 'P3'),
    customer: fc.constantFrom('C1', 'C2', 'C3', 'C4', 'C5'),
    date: fc.constantFrom(...dates),
    kind: fc.constantFrom('E3', 'E1', 'AZ', 'OTHER'),
    program: fc.constantFrom('CSP', 'CSP', 'CSP', 'Open'),
    quantity: fc.integer({ min: -10, max: 60 }),
    cents: fc.integer({ min: -50_000, max: 500_000 }),
  })
  .map((r): TxRow => {
    const amount = `${r.cents < 0 ? '-' : ''}${Math.floor(Math.abs(r.cents) / 100)}.${String(Math.abs(r.cents) % 100).padStart(2, '0')}`;
    return r.kind === 'AZ'
      ? tx({ partnerId: r.partner, customerId: r.customer, date: r.date, sku: 'AZ', licenseProgram: r.program, amount })
      : tx({ partnerId: r.partner, customerId: r.customer, date: r.date, sku: r.kind, licenseProgram: r.program, quantity: r.quantity });
  });
const rowsArb = fc.array(rowArb, { maxLength: 60 });

describe('properties', () => {
  it('no service or campaign total exceeds its cap', () => {
    fc.assert(
      fc.property(rowsArb, (rows) => {
        for (const p of evaluate([campaign], rows).campaigns[0]!.partners) {
          for (const s of p.services) if (s.cap) expect(s.amount.lte(s.cap)).toBe(true);
          expect(p.total.lte(3000)).toBe(true);
          expect(p.payout.isZero() || p.payout.gte(100)).toBe(true);
        }
      }),
    );
  });

  it('the result does not change when rows are shuffled', () => {
    fc.assert(
      fc.property(
        rowsArb.chain((rows) => fc.tuple(fc.constant(rows), fc.shuffledSubarray(rows, { minLength: rows.length, maxLength: rows.length }))),
        ([rows, shuffled]) => {
          expect(resultToJson(evaluate([campaign], shuffled))).toEqual(resultToJson(evaluate([campaign], rows)));
        },
      ),
    );
  });

  it('every row is accounted for: read = used + excluded, per campaign and per partner', () => {
    fc.assert(
      fc.property(rowsArb, (rows) => {
        const c = evaluate([campaign], rows).campaigns[0]!;
        const sum = (e: Record<string, number | undefined>) => Object.values(e).reduce<number>((a, b) => a + (b ?? 0), 0);
        expect(c.rows.read).toBe(rows.length);
        expect(c.rows.used + sum(c.rows.excluded)).toBe(c.rows.read);
        for (const p of c.partners) expect(p.rows.used + sum(p.rows.excluded)).toBe(p.rows.read);
      }),
    );
  });
});
