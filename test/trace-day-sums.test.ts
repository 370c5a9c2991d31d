/**
 * calc --explain sums a capped partner's spooled rows per service and day as they are
 * spooled (src/commands/trace-day-sums.ts), so that its allocator plans without reading
 * the rows back, when none of them is excluded after all (the engine says so:
 * excludesAfterAll). The sums are given to an allocator exactly as the rows would have
 * been; past the bound a pair is summed from the spool; either way the trace is the same.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { calc } from '../src/commands/calc.js';
import { DaySums, type Summing } from '../src/commands/trace-day-sums.js';
import type { RowAmount } from '../src/engine/allocate-buckets.js';
import { Evaluator } from '../src/engine/evaluate.js';
import { ScaledSum } from '../src/money/index.js';
import { campaignFromYaml, tempDir, tx } from './helpers.js';

/** What an allocator was given: "service date amount" per call (date '' for the negative rows). */
function recorder(): Summing & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    add(service: string, date: string, amount: RowAmount) {
      const s = new ScaledSum();
      amount.addTo(s);
      calls.push(`${service} ${date} ${amount.negative ? 'neg ' : ''}${s.toDecimal().toString()}`);
    },
  };
}

const services = ['O365', 'D365'];
const dates = ['2018-01-05', '2018-01-06'];

describe('DaySums', () => {
  it('gives the sums per service (first rows first), then per day, negatives apart', () => {
    const d = new DaySums();
    // campaign 0, partner 0: O365 on 01-05: 50 + 25 = 75; O365 on 01-06: 40; D365 on 01-05: 12.25; O365 negative: -10 - 5 = -15
    d.add(0, 0, 0, 0, 50e6, '50');
    d.add(0, 0, 0, 1, 40e6, '40');
    d.add(0, 0, 1, 0, 12.25e6, '12.25');
    d.add(0, 0, 0, 0, -10e6, '-10');
    d.add(0, 0, 0, 0, 25e6, '25');
    d.add(0, 0, 0, 1, -5e6, '-5');
    const r = recorder();
    expect(d.feed(0, 0, r, services, dates)).toBe(true);
    expect(r.calls).toEqual(['O365 2018-01-05 75', 'O365 2018-01-06 40', 'O365  neg -15', 'D365 2018-01-05 12.25']);
  });

  it('sums amounts finer than micro-units exactly', () => {
    const d = new DaySums();
    // NaN: micro-units cannot hold them; 0.0000001 + 0.0000002 + 1 = 1.0000003
    d.add(0, 0, 0, 0, NaN, '0.0000001');
    d.add(0, 0, 0, 0, NaN, '0.0000002');
    d.add(0, 0, 0, 0, 1e6, '1');
    const r = recorder();
    d.feed(0, 0, r, services, dates);
    expect(r.calls).toEqual(['O365 2018-01-05 1.0000003']);
  });

  it('sums no row paying "0" (the allocator is given none) and keeps its pair', () => {
    const d = new DaySums();
    // 5 on 01-05; on 01-06 a row paying 0, then 7: 7
    d.add(0, 0, 0, 0, 5e6, '5');
    d.add(0, 0, 0, 1, 0, '0');
    d.add(0, 0, 0, 1, 7e6, '7');
    // a pair of "0" rows only: known, nothing to give
    d.add(0, 1, 0, 0, 0, '0');
    const r = recorder();
    expect(d.feed(0, 0, r, services, dates)).toBe(true);
    expect(d.feed(0, 1, r, services, dates)).toBe(true);
    expect(r.calls).toEqual(['O365 2018-01-05 5', 'O365 2018-01-06 7']);
  });

  it('knows every pair that spooled a row; one with no rows has nothing to give', () => {
    const d = new DaySums();
    d.add(0, 0, 0, 0, 0, '0');
    d.add(0, 1, 0, 0, 5e6, '5');
    const r = recorder();
    expect(d.feed(0, 7, r, services, dates)).toBe(true);
    expect(r.calls).toEqual([]);
    expect(d.coversAll((c, p) => c === 0 && p === 1)).toBe(false);
    expect(d.coversAll(() => true)).toBe(true);
  });

  it('past its bound, lets a pair go (summed from the spool instead) and keeps the others', () => {
    const d = new DaySums(2);
    d.add(0, 0, 0, 0, 1e6, '1'); // pair (0,0): 1 sum
    d.add(0, 1, 0, 0, 2e6, '2'); // pair (0,1): 2 sums in all
    d.add(0, 1, 0, 1, 3e6, '3'); // a third: (0,1) is let go, back to 1 sum
    d.add(0, 1, 0, 0, 4e6, '4'); // (0,1) stays let go
    d.add(0, 2, 0, 0, 5e6, '5'); // (0,2): 2 sums
    d.add(0, 3, 0, 0, 6e6, '6'); // (0,3): over the bound at once
    const r = recorder();
    expect(d.feed(0, 1, r, services, dates)).toBe(false);
    expect(d.feed(0, 3, r, services, dates)).toBe(false);
    expect(r.calls).toEqual([]);
    expect(d.feed(0, 0, r, services, dates)).toBe(true);
    expect(d.feed(0, 2, r, services, dates)).toBe(true);
    expect(r.calls).toEqual(['O365 2018-01-05 1', 'O365 2018-01-05 5']);
  });
});

const capped = `id: c
currency: USD
period: { start: 2018-01-01, end: 2018-03-31 }
as_of: 2018-03-31
services:
  O365:
    per_unit: { rates: { E3: 10, E1: 0 } }
    qualify: { customers: { at_least: 1 }, units_per_customer: { at_least: 3 } }
    cap: 100
`;

/**
 * P1: every customer qualifies (summed as spooled); P2: C6 has 2 units, excluded after
 * all (summed from the spool); P3: under the cap; P4: a row of E1 pays 0 (summed as
 * spooled, its line written with the partner's others).
 */
const rows: [string, string, string, string, number, string?][] = [
  ['T01', '2018-01-05', 'P1', 'C1', 5],
  ['T02', '2018-01-06', 'P1', 'C2', 4],
  ['T03', '2018-01-07', 'P1', 'C3', 3],
  ['T04', '2018-01-08', 'P1', 'C4', 3],
  ['T05', '2018-02-01', 'P2', 'C5', 5],
  ['T06', '2018-02-02', 'P2', 'C6', 2],
  ['T07', '2018-02-03', 'P2', 'C7', 9],
  ['T08', '2018-03-01', 'P3', 'C8', 3],
  ['T09', '2018-01-10', 'P4', 'C9', 12],
  ['T10', '2018-01-11', 'P4', 'C10', 3, 'E1'],
];

describe('excludesAfterAll', () => {
  it('names the partners with a row excluded after all: a customer that fails, or a service that does not qualify', () => {
    const notQualified = campaignFromYaml(capped.replace('at_least: 1 }', 'at_least: 5 }').replace('id: c', 'id: n'));
    const ev = new Evaluator([campaignFromYaml(capped), notQualified], { keepVerdicts: 'trace' });
    for (const [id, date, partnerId, customerId, quantity, sku] of rows) ev.add(tx({ id, date, partnerId, customerId, quantity, sku: sku ?? 'E3' }));
    ev.finish();
    const [c, n] = ev.settled;
    expect(['P1', 'P2', 'P3'].map((p) => c!.excludesAfterAll(p))).toEqual([false, true, false]);
    // campaign n: O365 needs 5 customers; P1 has 4, P2 2 qualifying, P3 1: every row is excluded after all
    expect(['P1', 'P2', 'P3'].map((p) => n!.excludesAfterAll(p))).toEqual([true, true, true]);
  });
});

describe('calc --explain with a capped partner summed as spooled and one summed from the spool', () => {
  it('trims each as the cap says', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'c.yaml'), capped);
    writeFileSync(
      join(dir, 'transactions.csv'),
      [
        'transaction_id,date,partner_id,customer_id,sku,license_program,quantity',
        ...rows.map(([id, date, partner, customer, quantity, sku]) => `${id},${date},${partner},${customer},${sku ?? 'E3'},CSP,${quantity}`),
      ].join('\n') + '\n',
    );
    const trace = join(dir, 'trace.csv');
    const base = { rules: [join(dir, 'c.yaml')], transactions: [join(dir, 'transactions.csv')], onInvalid: 'strict' as const };
    const out = JSON.parse(await calc({ ...base, format: 'json', explain: trace }, { warn() {} })) as {
      campaigns: { partners: { partnerId: string; total: string }[] }[];
    };
    expect(out.campaigns[0]!.partners.map((p) => `${p.partnerId} ${p.total}`)).toEqual(['P1 100.00', 'P2 100.00', 'P3 30.00', 'P4 100.00']);
    const cells = parse(readFileSync(trace, 'utf8'), { columns: true }) as Record<string, string>[];
    const byId = new Map(cells.filter((c) => c.transaction_id).map((c) => [c.transaction_id!, `${c.status} ${c.reason} ${c.amount} ${c.trimmed} ${c.paid}`]));
    expect(Object.fromEntries(byId)).toEqual({
      // P1: 50 + 40 + 30 + 30 = 150 earned, cap 100: 50 trimmed, latest day first: T04 all 30, T03 20 of 30
      T01: 'earned  50 0 50',
      T02: 'earned  40 0 40',
      T03: 'earned  30 -20 10',
      T04: 'earned  30 -30 0',
      // P2: C6's 2 units are under 3 (excluded); 50 + 90 = 140 earned, cap 100: T07 gives 40 of 90
      T05: 'earned  50 0 50',
      T06: 'excluded CUSTOMER_BELOW_MINIMUM 0 0 0',
      T07: 'earned  90 -40 50',
      // P3: 3 x 10 = 30, under the cap
      T08: 'earned  30 0 30',
      // P4: 12 x 10 = 120, cap 100: T09 gives 20; T10's 3 x 0 = 0 pays nothing and is written all the same
      T09: 'earned  120 -20 100',
      T10: 'earned  0 0 0',
    });
  });
});
