/**
 * calc --explain allocates caps in a streaming way (engine/allocate-buckets.ts: month and
 * day buckets, summed as rows are spooled or in a first pass over the spool, rows of a day
 * cut partway held); explain
 * allocates them on every row at once (engine/allocate.ts). On random campaigns and rows, with
 * service and campaign caps, removals and customers that fail their gate, both must
 * give every row the same trimmed and paid amounts, every row must have one line, and a
 * partner's paid rows and summary lines must add up to its total.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { calc } from '../src/commands/calc.js';
import { explain } from '../src/commands/explain.js';
import { Decimal } from '../src/money/index.js';
import { tempDir } from './helpers.js';

const quiet = { warn() {} };

interface Row {
  partner: string;
  customer: string;
  day: number;
  sku: string;
  quantity: number;
}

const row = fc.record({
  partner: fc.constantFrom('P1', 'P2'),
  customer: fc.constantFrom('C1', 'C2', 'C3', 'C4', 'C5', 'C6'),
  day: fc.integer({ min: 0, max: 80 }),
  sku: fc.constantFrom('E3', 'E5', 'CE', 'E1'),
  quantity: fc.oneof(fc.integer({ min: 1, max: 30 }), fc.integer({ min: -4, max: -1 })),
});

const date = (day: number) => new Date(Date.UTC(2018, 0, 1 + day)).toISOString().slice(0, 10);

async function compare(rows: Row[], o365Cap: number, d365Cap: number, campaignCap: number): Promise<void> {
  const dir = tempDir();
  writeFileSync(
    join(dir, 'c.yaml'),
    `id: c
currency: USD
period: { start: 2018-01-01, end: 2018-03-31 }
as_of: 2018-03-31
services:
  O365:
    per_unit: { rates: { E3: 10, E5: 7.5, E1: 0 } }
    qualify: { customers: { at_least: 1 }, units_per_customer: { at_least: 3 } }
    cap: ${o365Cap}
  D365:
    per_unit: { rates: { CE: 12.25 } }
    cap: ${d365Cap}
cap: ${campaignCap}
`,
  );
  const lines = rows.map((r, i) => `T${String(i).padStart(4, '0')},${date(r.day)},${r.partner},${r.customer},${r.sku},CSP,${r.quantity}`);
  writeFileSync(join(dir, 'transactions.csv'), ['transaction_id,date,partner_id,customer_id,sku,license_program,quantity', ...lines].join('\n') + '\n');
  const trace = join(dir, 'trace.csv');
  const base = { rules: [join(dir, 'c.yaml')], transactions: [join(dir, 'transactions.csv')], onInvalid: 'strict' as const };
  const result = JSON.parse(await calc({ ...base, format: 'json', explain: trace }, quiet)) as {
    campaigns: { partners: { partnerId: string; total: string }[] }[];
  };
  const cells = parse(readFileSync(trace, 'utf8'), { columns: true }) as Record<string, string>[];
  // every input row has exactly one line (E1 rows pay 0 and are written all the same)
  expect(
    cells
      .filter((c) => c.kind === 'row')
      .map((c) => c.transaction_id)
      .sort(),
  ).toEqual(lines.map((l) => l.split(',')[0]).sort());
  const fromTrace = new Map(cells.filter((c) => c.transaction_id).map((c) => [c.transaction_id!, `${c.trimmed} ${c.paid}`]));
  for (const p of result.campaigns[0]!.partners) {
    const story = JSON.parse(await explain({ ...base, partner: p.partnerId, format: 'json' }, quiet)) as {
      campaigns: { earned: { transactionId?: string; trimmed: string; paid: string }[] }[];
    };
    for (const e of story.campaigns[0]!.earned) if (e.transactionId) expect(fromTrace.get(e.transactionId), e.transactionId).toBe(`${e.trimmed} ${e.paid}`);
    // the partner's trace lines (rows and summary lines) add up to its total
    const paid = cells.filter((c) => c.partner_id === p.partnerId).reduce((a, c) => a.plus(c.paid || '0'), new Decimal(0));
    expect(paid.toFixed(2)).toBe(p.total);
  }
}

describe('calc --explain and explain allocate caps alike', () => {
  it('on random rows, caps and gates', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(row, { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 20, max: 900 }),
        fc.integer({ min: 20, max: 900 }),
        fc.integer({ min: 30, max: 1500 }),
        async (rows, a, b, c) => {
          await compare(rows, a, b, c);
        },
      ),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 40) },
    );
  }, 120_000);
});
