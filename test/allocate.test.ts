/**
 * One allocator, two strategies: `allocate` (every item at once) and BucketAllocator
 * (sums per month and day, then only the rows of a day a cap cuts partway). On random
 * items, service caps and a campaign cap, every item must be paid the same by both, and
 * the summary lines must be the same. test/trace-allocation.test.ts checks the same through
 * calc --explain and explain end to end.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocate } from '../src/engine/allocate.js';
import { amountOf, BucketAllocator } from '../src/engine/allocate-buckets.js';
import type { TraceEvent } from '../src/engine/trace.js';
import type { PartnerResult, ServiceResult } from '../src/engine/types.js';
import { Decimal, ZERO } from '../src/money/index.js';

interface Item {
  service: 'A' | 'B';
  day: number;
  id: number;
  cents: number;
}

const item = fc.record({
  service: fc.constantFrom<'A' | 'B'>('A', 'B'),
  day: fc.integer({ min: 0, max: 70 }),
  id: fc.integer({ min: 0, max: 9999 }),
  cents: fc.oneof(fc.integer({ min: 1, max: 50_000 }), fc.integer({ min: -5_000, max: -1 })),
});

const date = (day: number) => new Date(Date.UTC(2018, 0, 1 + day)).toISOString().slice(0, 10);

function event(i: Item, n: number): TraceEvent {
  const amount = new Decimal(i.cents).div(100);
  return {
    kind: 'row',
    campaign: 'c',
    partner: 'P1',
    service: i.service,
    date: date(i.day),
    // Distinct ids: the item's number breaks ties between equal random ids.
    transactionId: `T${String(i.id).padStart(4, '0')}-${String(n).padStart(3, '0')}`,
    status: 'earned',
    detail: '',
    amount,
    trimmed: ZERO,
    paid: amount,
  };
}

/** The partner's result as the engine would settle it: each service min(sum, cap), the total min(subtotal, campaign cap). */
function result(items: TraceEvent[], caps: Record<'A' | 'B', number | null>, campaignCap: number | null): PartnerResult {
  const services: ServiceResult[] = (['A', 'B'] as const).map((s) => {
    const earned = items.filter((e) => e.service === s).reduce((a, e) => a.plus(e.amount), ZERO);
    const cap = caps[s] === null ? undefined : new Decimal(caps[s]);
    const amount = cap && earned.gt(cap) ? cap : earned;
    return { service: s, earned, amount, ...(cap ? { cap } : {}) } as unknown as ServiceResult;
  });
  const subtotal = services.reduce((a, s) => a.plus(s.amount), ZERO);
  const total = campaignCap !== null && subtotal.gt(campaignCap) ? new Decimal(campaignCap) : subtotal;
  return { partnerId: 'P1', status: 'payable', services, subtotal, total, payout: total, payoutCurrency: 'USD', rows: {} } as unknown as PartnerResult;
}

describe('the bucket strategy gives the trims allocate gives', () => {
  it('on random items, service caps and a campaign cap', () => {
    fc.assert(
      fc.property(
        fc.array(item, { minLength: 1, maxLength: 60 }),
        fc.option(fc.integer({ min: 0, max: 3000 }), { nil: null }),
        fc.option(fc.integer({ min: 0, max: 3000 }), { nil: null }),
        fc.option(fc.integer({ min: 0, max: 4000 }), { nil: null }),
        (raw, capA, capB, campaignCap) => {
          const plain = raw.map(event);
          const r = result(plain, { A: capA, B: capB }, campaignCap);
          const plainLines = allocate('c', 'USD', r, plain);

          const streamed = raw.map(event);
          const buckets = new BucketAllocator();
          for (const e of streamed) buckets.add(e.service!, e.date!, amountOf(e));
          buckets.plan('c', 'USD', r, []);
          for (const e of streamed) {
            if (e.amount.isNegative()) continue;
            const f = buckets.fate(e.service!, e.date!);
            if (f === 'gone') {
              e.trimmed = e.amount.negated();
              e.paid = ZERO;
            } else if (f === 'partial') buckets.hold(e);
          }
          // rest() hands back the held rows (trimmed), then the summary lines.
          const lines = buckets.rest().filter((e) => !streamed.includes(e));

          const paid = (es: TraceEvent[]) => es.map((e) => `${e.transactionId} ${e.paid.toString()} ${e.trimmed.toString()}`);
          expect(paid(streamed)).toEqual(paid(plain));
          expect(lines.map((e) => `${e.status} ${e.paid.toString()}`)).toEqual(plainLines.map((e) => `${e.status} ${e.paid.toString()}`));
          // What is paid adds up to the partner's total.
          const sum = [...streamed, ...lines].reduce((a, e) => a.plus(e.paid), ZERO);
          expect(sum.toString()).toBe(r.total.toString());
        },
      ),
      { numRuns: 500 },
    );
  });

  it('a worked case: cap 100.00 over four 40.00 rows on two days keeps the earliest', () => {
    // Rows (day, id): (1, T1) 40, (1, T2) 40, (2, T3) 40, (2, T4) 40 = 160.00 against a 100.00 cap:
    // T1 and T2 fill 80.00, T3 takes the last 20.00 (trimmed 20.00), T4 is trimmed whole.
    const raw: Item[] = [
      { service: 'A', day: 1, id: 1, cents: 4000 },
      { service: 'A', day: 1, id: 2, cents: 4000 },
      { service: 'A', day: 2, id: 3, cents: 4000 },
      { service: 'A', day: 2, id: 4, cents: 4000 },
    ];
    const streamed = raw.map(event);
    const buckets = new BucketAllocator();
    for (const e of streamed) buckets.add(e.service!, e.date!, amountOf(e));
    buckets.plan('c', 'USD', result(streamed, { A: 100, B: null }, null), []);
    expect(buckets.fate('A', date(1))).toBe('untouched');
    expect(buckets.fate('A', date(2))).toBe('partial');
    buckets.hold(streamed[2]!);
    buckets.hold(streamed[3]!);
    buckets.rest();
    expect(streamed.map((e) => e.paid.toString())).toEqual(['40', '40', '20', '0']);
  });
});
