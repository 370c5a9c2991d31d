/**
 * calc --explain writes most lines by shortcuts: rows excluded at once straight from
 * their fields (plain cells unquoted), rows waiting for a verdict from parts cut when
 * they were read. Each shortcut must write exactly what the event's line is.
 */
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { excludedEvent, pendingRowEvent, type Earning, type PendingRow, type TraceEvent } from '../src/engine/trace.js';
import type { TxRow } from '../src/engine/types.js';
import { RecordParser } from '../src/input/csv-records.js';
import { dec, ZERO } from '../src/money/index.js';
import { csvParts, earningCells, pendingHead, pendingMid, traceCsvExcluded, traceCsvFromParts, traceCsvLine } from '../src/report/trace.js';
import { runCli, tempDir } from './helpers.js';

function row(p: Partial<TxRow>): TxRow {
  return {
    id: 'T1',
    line: 2,
    date: '2016-12-01',
    partnerId: '1000001',
    resellerId: '',
    customerId: 'C1',
    country: 'US',
    sku: 'CFQ7TTC0LF8Q:0001',
    service: 'O365',
    licenseProgram: 'CSP',
    subscriptionId: 'S1',
    subscriptionType: 'paid',
    quantity: 5,
    amount: null,
    currency: '',
    netNew: null,
    flags: null,
    ...p,
  };
}

describe('a row excluded at once', () => {
  const cases: [string, TxRow, string][] = [
    ['plain text', row({ plain: true }), '1000001'],
    ['plain text that a spreadsheet would run', row({ plain: true, customerId: '=cmd|x', id: '@T1', sku: '+SKU' }), '1000001'],
    ['a plain signed number', row({ plain: true, id: '-5' }), '1000001'],
    ['quoted input: comma, quote, line break', row({ plain: false, customerId: 'C,1', id: 'T"1"', sku: 'two\nlines' }), '1000001'],
    ['a reseller credited', row({ plain: true, resellerId: '=2000002' }), '=2000002'],
    ['a partner from claims.csv, not the row', row({ plain: true }), 'P,9'],
  ];
  for (const [name, r, partner] of cases) {
    it(`writes its event's line: ${name}`, () => {
      const detail = 'dated 2016-12-01, outside 2017-02-01..2017-06-30';
      const expected = traceCsvLine(excludedEvent('camp', partner, 'O365', 'OUTSIDE_PERIOD', detail, r, 'data/tx.csv'));
      const quoted: string[] = [];
      expect(traceCsvExcluded('camp', partner, 'O365', 'OUTSIDE_PERIOD', detail, 3, r, 'data/tx.csv', quoted)).toBe(expected);
      // the phrase's quoted words are kept and used again
      expect(quoted[3]).toBe('"dated 2016-12-01, outside 2017-02-01..2017-06-30"');
      expect(traceCsvExcluded('camp', partner, 'O365', 'OUTSIDE_PERIOD', detail, 3, r, 'data/tx.csv', quoted)).toBe(expected);
      expect(traceCsvExcluded('camp', partner, 'O365', 'OUTSIDE_PERIOD', detail, -1, r, 'data/tx.csv', [])).toBe(expected);
    });
  }

  it('neutralises formulas in plain cells', () => {
    const line = traceCsvExcluded('camp', '1000001', 'O365', 'OUTSIDE_PERIOD', 'w', -1, row({ plain: true, customerId: '=cmd|x' }), 'f.csv', []);
    expect(line.split(',')[6]).toBe("'=cmd|x");
  });
});

describe('a row waiting for its verdict', () => {
  const pending = (p: Partial<TraceEvent>): TraceEvent => ({
    ...excludedEvent('camp', 'P,1', 'O365', 'OUTSIDE_PERIOD', '', row({ customerId: 'C "1"' }), 'data/tx.csv'),
    reason: undefined,
    ...p,
  });
  // 5 seats x 48 = 240; Azure 800 GBP x 1.24 = 992 USD x 20% = 198.4
  const earned = pending({ status: 'earned', units: 5, rate: dec('48'), amount: dec('240'), paid: dec('240'), detail: '5 x 48 = 240 USD' });
  const fx = pending({
    status: 'earned',
    rate: dec('20'),
    fx: { rate: dec('1.24'), source: 'fx.csv 2017-05-01 (line 3), inverse' },
    amount: dec('198.4'),
    paid: dec('198.4'),
    detail: '800.00 GBP x 1.24 = 992 USD x 20% = 198.4',
  });
  const counted = pending({ status: 'counted', units: 5, detail: 'counted by O365 (tiers); its pay is on the service line' });

  for (const [name, e] of [
    ['earned', earned],
    ['earned through FX', fx],
    ['counted', counted],
  ] as const) {
    it(`writes the settled event's line when it stands: ${name}`, () => {
      const parts = csvParts(e);
      expect(traceCsvFromParts(parts, e, e.amount.isZero() ? '0' : e.amount.toFixed())).toBe(traceCsvLine(e));
      expect(traceCsvFromParts(parts, e)).toBe(traceCsvLine(e));
    });

    it(`writes the settled event's line when its customer fails: ${name}`, () => {
      const parts = csvParts(e);
      // what CampaignRun.settle does to a row whose customer is not net new
      const x: TraceEvent = {
        ...e,
        status: 'excluded',
        reason: 'CUSTOMER_NOT_NET_NEW',
        detail: 'customer C1 already had O365: row T9, 2017-01-20',
        units: undefined,
        rate: undefined,
        fx: undefined,
        amount: ZERO,
        paid: ZERO,
      };
      expect(traceCsvFromParts(parts, x)).toBe(traceCsvLine(x));
    });
  }

  it('writes what a cap trimmed', () => {
    // 240 earned, a cap takes 100: 140 paid
    const e = { ...earned, trimmed: dec('-100'), paid: dec('140') };
    expect(traceCsvFromParts(csvParts(earned), e)).toBe(traceCsvLine(e));
    expect(traceCsvLine(e)).toContain(',240,-100,140,');
  });
});

describe('RecordParser: plain records', () => {
  function read(chunks: string[]): [string[], boolean][] {
    const out: [string[], boolean][] = [];
    const p = new RecordParser({ relax_column_count: true }, (rec, _line, plain) => out.push([rec, plain]));
    for (const c of chunks) p.write(Buffer.from(c));
    p.end();
    return out;
  }

  it('is plain until a quote or a carriage return has been read', () => {
    const out = read(['a,b\n1,2\n', '3,"x,y"\n4,5\n']);
    // csv-parse hands a chunk's last record over when the next chunk comes: it counts
    // as read with that chunk (never plain when it might not be, sometimes not when it is)
    expect(out).toEqual([
      [['a', 'b'], true],
      [['1', '2'], false],
      [['3', 'x,y'], false],
      [['4', '5'], false],
    ]);
  });

  it('is not plain once a comma is read in a file whose delimiter is not a comma', () => {
    const out: boolean[] = [];
    const p = new RecordParser({ delimiter: ';' }, (_rec, _line, plain) => out.push(plain));
    p.write(Buffer.from('a;b\n1;2\n'));
    p.write(Buffer.from('3;x,y\n4;5\n'));
    p.end();
    expect(out).toEqual([true, false, false, false]);
  });

  it('is never plain with CRLF line ends', () => {
    expect(read(['a,b\r\n1,2\r\n']).map(([, plain]) => plain)).toEqual([false, false]);
  });
});

describe('calc --explain through the binary', () => {
  it('quotes what needs quoting and neutralises formulas, and replaces an earlier trace leaving nothing beside it', async () => {
    const dir = tempDir();
    cpSync('fixtures/demo', join(dir, 'data'), { recursive: true });
    const tx = join(dir, 'data', 'transactions.csv');
    const text = readFileSync(tx, 'utf8').trimEnd();
    // two rows dated before the period (excluded at once): one a spreadsheet would run, one with a comma
    writeFileSync(tx, `${text}\nT9001,2016-12-01,1000001,,=C9|x,US,CFQ7TTC0LF8Q:0001,O365,CSP,S9001,paid,5,,,\n`);
    const trace = join(dir, 'trace.csv');
    writeFileSync(trace, 'an earlier trace\n');
    const args = [
      'calc',
      '--rules',
      'rules/csp-power-up-2017.yaml',
      '--data',
      join(dir, 'data'),
      '--format',
      'json',
      '--out',
      join(dir, 'out.json'),
      '--explain',
      trace,
    ];
    expect((await runCli(args)).code).toBe(0);
    let rows = parse(readFileSync(trace, 'utf8'), { columns: true }) as Record<string, string>[];
    expect(rows.find((r) => r.transaction_id === 'T9001')!.customer_id).toBe("'=C9|x");
    expect(readdirSync(dir).sort()).toEqual(['data', 'out.json', 'trace.csv']);

    writeFileSync(tx, `${text}\nT9002,2016-12-01,1000001,,"C9,x",US,CFQ7TTC0LF8Q:0001,O365,CSP,S9002,paid,5,,,\n`);
    expect((await runCli(args)).code).toBe(0);
    rows = parse(readFileSync(trace, 'utf8'), { columns: true }) as Record<string, string>[];
    const r = rows.find((x) => x.transaction_id === 'T9002')!;
    expect(r.customer_id).toBe('C9,x');
    expect(r.reason).toBe('OUTSIDE_PERIOD');
    expect(readdirSync(dir).sort()).toEqual(['data', 'out.json', 'trace.csv']);
  });
});

describe("a pending row cut from the engine's data (no event)", () => {
  // 5 seats x 48 = 240 USD; 800 GBP x 1.24 = 992 USD x 20% = 198.4
  const perUnit: Earning = { status: 'earned', units: 5, rate: dec('48'), amount: dec('240'), amountText: '240', detail: '5 x 48 = 240 USD' };
  const viaFx: Earning = {
    status: 'earned',
    rate: dec('20'),
    fx: { rate: dec('1.24'), source: 'fx.csv 2017-05-01, "inverse"' },
    amount: dec('198.4'),
    amountText: '198.4',
    detail: '800.00 GBP x 1.24 = 992 USD x 20% = 198.4',
  };
  const cases: [string, TxRow, string, Earning][] = [
    ['plain text', row({ plain: true }), '1000001', perUnit],
    ['plain cells a spreadsheet would run', row({ plain: true, customerId: '=cmd|x', id: '@T1', sku: '+SKU' }), '1000001', perUnit],
    ['quoted input: comma, quote, line break', row({ plain: false, customerId: 'C,1', id: 'T"1"', sku: 'two\nlines' }), '1000001', viaFx],
    ['a partner from claims.csv', row({ plain: true }), 'P,9', viaFx],
  ];
  for (const [name, r, partner, earning] of cases) {
    it(`cuts the same cells as its event: ${name}`, () => {
      const p: PendingRow = { campaign: 'camp', partner, service: 'O365', row: r, file: 'data/tx.csv', earning, slot: 7 };
      const parts = csvParts(pendingRowEvent(p));
      expect(pendingHead('camp', partner)).toBe(parts.head);
      expect(pendingMid(p)).toBe(parts.mid);
      expect(earningCells(earning)).toEqual({ tail: parts.tail, detail: parts.detail });
    });
  }
});
