/**
 * calc --explain writes most lines by shortcuts: rows excluded at once straight from
 * their fields (plain cells unquoted), rows waiting for a verdict from parts cut when
 * they were read. Each shortcut must write exactly what the event's line is.
 */
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { excludedEvent, pendingRowEvent, type AtOnce, type Earning, type PendingRow, type TraceEvent } from '../src/engine/trace.js';
import type { TxRow } from '../src/engine/types.js';
import { RecordParser } from '../src/input/csv-records.js';
import { dec, ScaledSum, ZERO } from '../src/money/index.js';
import { CSV_PARTS, earningCells, JSON_PARTS, pendingHead, traceCsvLine, traceJson } from '../src/report/trace.js';
import { ExcludedLines } from '../src/commands/trace-excluded-csv.js';
import { ExcludedJsonLines } from '../src/commands/trace-excluded-json.js';
import { ByteSpool } from '../src/commands/trace-spool-bytes.js';
import { Out, type Spooled } from '../src/commands/trace-spool.js';
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

/** Writes lines with `f` through the writer `make` gives, into a file, and reads the file back. */
async function written<W>(make: (out: Out) => W, f: (lines: W) => void): Promise<string> {
  const file = join(tempDir(), 'trace');
  const out = new Out(file);
  f(make(out));
  await out.close();
  return readFileSync(file, 'utf8');
}

/** 20,000 rows excluded at once through the writer `make` gives, campaigns, services (one of them none), files, reasons and phrases alternating: the bytes written, and the rows' events. */
async function manyExcluded(make: (out: Out) => { write: AtOnce['excluded'] }): Promise<{ text: string; events: TraceEvent[] }> {
  const events: TraceEvent[] = [];
  const text = await written(make, (lines) => {
    for (let i = 0; i < 20_000; i++) {
      const r = row({ plain: true, line: i, customerId: `C${i}`, date: i % 2 ? '2017-01-31' : '2016-12-01' });
      const [c, s, f, reason, detail] =
        i % 3 ? ['a', 'O365', 'x.csv', 'OUTSIDE_PERIOD', `w${i % 5}`] : ['b', i % 2 ? 'EMS' : undefined, 'y.csv', 'SKU_NOT_ELIGIBLE', `v${i % 7}`];
      lines.write(c!, '1000001', s, reason as 'OUTSIDE_PERIOD', detail!, i % 3 ? i % 5 : 5 + (i % 7), r, f);
      events.push(excludedEvent(c!, '1000001', s, reason as 'OUTSIDE_PERIOD', detail!, r, f));
    }
  });
  return { text, events };
}

const excludedBytes = (f: (lines: ExcludedLines) => void) => written((out) => new ExcludedLines(out), f);

describe('a row excluded at once', () => {
  const cases: [string, TxRow, string][] = [
    ['plain text', row({ plain: true }), '1000001'],
    ['plain text that a spreadsheet would run', row({ plain: true, customerId: '=cmd|x', id: '@T1', sku: '+SKU' }), '1000001'],
    ['a plain signed number', row({ plain: true, id: '-5' }), '1000001'],
    ['quoted input: comma, quote, line break', row({ plain: false, customerId: 'C,1', id: 'T"1"', sku: 'two\nlines' }), '1000001'],
    ['a reseller credited', row({ plain: true, resellerId: '=2000002' }), '=2000002'],
    ['a partner from claims.csv, not the row', row({ plain: true }), 'P,9'],
    ['text that is not ASCII', row({ plain: true, customerId: 'Café Ø', id: 'T€1', line: 1234567890 }), '1000001'],
    ['a partner not in ASCII from claims.csv', row({ plain: true, line: 10 }), 'Société, SA'],
  ];
  for (const [name, r, partner] of cases) {
    it(`writes its event's line: ${name}`, async () => {
      const detail = 'dated 2016-12-01, outside 2017-02-01..2017-06-30 (€)';
      const expected = traceCsvLine(excludedEvent('camp', partner, 'O365', 'OUTSIDE_PERIOD', detail, r, 'données/tx.csv'));
      // the phrase's bytes are made once and used again; a row's own words (-1) are not kept
      const text = await excludedBytes((lines) => {
        lines.write('camp', partner, 'O365', 'OUTSIDE_PERIOD', detail, 3, r, 'données/tx.csv');
        lines.write('camp', partner, 'O365', 'OUTSIDE_PERIOD', detail, 3, r, 'données/tx.csv');
        lines.write('camp', partner, 'O365', 'OUTSIDE_PERIOD', detail, -1, r, 'données/tx.csv');
      });
      expect(text).toBe(expected.repeat(3));
    });
  }

  it('neutralises formulas in plain cells', async () => {
    const line = await excludedBytes((lines) =>
      lines.write('camp', '1000001', 'O365', 'OUTSIDE_PERIOD', 'w', -1, row({ plain: true, customerId: '=cmd|x' }), 'f.csv'),
    );
    expect(line.split(',')[6]).toBe("'=cmd|x");
  });

  it('writes lines past the buffer, and the cells that change from line to line', async () => {
    // 20,000 lines of ~110 bytes: about 2 MB, twice the buffer
    const { text, events } = await manyExcluded((out) => new ExcludedLines(out));
    expect(text).toBe(events.map(traceCsvLine).join(''));
  });
});

const excludedJsonBytes = (f: (lines: ExcludedJsonLines) => void) => written((out) => new ExcludedJsonLines(out), f);

const jsonLine = (e: TraceEvent) => JSON.stringify(traceJson(e)) + '\n';

describe('a row excluded at once, in a JSON Lines trace', () => {
  const cases: [string, TxRow, string, string | undefined, string | undefined][] = [
    ['plain text', row({ plain: true }), '1000001', 'O365', 'tx.csv'],
    ['quotes, backslashes and a line break', row({ customerId: 'C"1"', id: 'T\\1', sku: 'two\nlines' }), '1000001', 'O365', 'tx.csv'],
    ['control characters and a tab', row({ customerId: 'C\u00011', id: 'T\t1', date: '2016-12-01' }), '1000001', 'O365', 'tx.csv'],
    ['text that is not ASCII, and a lone surrogate', row({ customerId: 'Café Ø', id: 'T€1\ud800', line: 1234567890 }), 'Société, SA', 'O365', 'données/tx.csv'],
    ['no service, no file', row({ plain: true }), '1000001', undefined, undefined],
    ['an empty customer and sku are left out, as traceJson leaves them', row({ customerId: '', sku: '' }), '', '', ''],
    ['a campaign, service and file that need escaping', row({ plain: true }), '1000001', 'O"365', 'C:\\x\\tx.csv'],
  ];
  for (const [name, r, partner, service, file] of cases) {
    it(`writes its event's line: ${name}`, async () => {
      const detail = 'dated 2016-12-01, outside 2017-02-01..2017-06-30 ("€" \\ \u0007)';
      const expected = jsonLine(excludedEvent('c"amp', partner, service, 'OUTSIDE_PERIOD', detail, r, file));
      const text = await excludedJsonBytes((lines) => {
        lines.write('c"amp', partner, service, 'OUTSIDE_PERIOD', detail, 3, r, file);
        lines.write('c"amp', partner, service, 'OUTSIDE_PERIOD', detail, 3, r, file);
        lines.write('c"amp', partner, service, 'OUTSIDE_PERIOD', detail, -1, r, file);
      });
      expect(text).toBe(expected.repeat(3));
      // Each line is JSON: the customer reads back as it was.
      expect((JSON.parse(text.split('\n')[0]!) as { customer?: string }).customer).toBe(r.customerId || undefined);
    });
  }

  it('writes lines past the buffer, and the parts that change from line to line', async () => {
    // 20,000 lines of ~330 bytes: about 6.6 MB, six buffers
    const { text, events } = await manyExcluded((out) => new ExcludedJsonLines(out));
    expect(text).toBe(events.map(jsonLine).join(''));
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

  it('writes the earning cells: units, rate, FX rate and source, amount, trimmed, paid, detail', () => {
    expect(traceCsvLine(earned).endsWith(',5,48,,,240,0,240,5 x 48 = 240 USD\n')).toBe(true);
    // the FX source holds a comma: quoted
    expect(traceCsvLine(fx).endsWith(',,20,1.24,"fx.csv 2017-05-01 (line 3), inverse",198.4,0,198.4,800.00 GBP x 1.24 = 992 USD x 20% = 198.4\n')).toBe(true);
    // a counted row pays nothing itself
    expect(traceCsvLine(counted).endsWith(',5,,,,0,0,0,counted by O365 (tiers); its pay is on the service line\n')).toBe(true);
  });

  it('writes what a cap trimmed', () => {
    // 240 earned, a cap takes 100: 140 paid
    const e = { ...earned, trimmed: dec('-100'), paid: dec('140') };
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

describe("a waiting row through calc --explain's spool (bytes, no event)", () => {
  // 5 seats x 48 = 240 USD; 800 GBP x 1.24 = 992 USD x 20% = 198.4; a credit note of -2 seats x 48 = -96;
  // 1 seat x 0.0000005 = 0.0000005 (finer than micro-units: summed from its text).
  const perUnit: Earning = { status: 'earned', units: 5, rate: dec('48'), amount: dec('240'), amountText: '240', detail: '5 x 48 = 240 USD', shared: true };
  const viaFx: Earning = {
    status: 'earned',
    rate: dec('20'),
    fx: { rate: dec('1.24'), source: 'fx.csv 2017-05-01, "inverse"' },
    amount: dec('198.4'),
    amountText: '198.4',
    detail: '800.00 GBP x 1.24 = 992 USD x 20% = 198.4',
  };
  const credit: Earning = { status: 'earned', units: -2, rate: dec('48'), amount: dec('-96'), amountText: '-96', detail: '-2 x 48 = -96 USD' };
  const fine: Earning = { status: 'earned', units: 1, rate: dec('0.0000005'), amount: dec('0.0000005'), amountText: '0.0000005', detail: '1 x 0.0000005' };
  const counted: Earning = {
    status: 'counted',
    units: 3,
    amount: ZERO,
    amountText: '0',
    detail: 'counted by NewCustomers (tiers); its pay is on the service line',
  };
  const cases: [string, TxRow, string, Earning][] = [
    ['plain text', row({ plain: true }), '1000001', perUnit],
    ['plain cells a spreadsheet would run', row({ plain: true, customerId: '=cmd|x', id: '@T1', sku: '+SKU' }), '1000001', perUnit],
    ['quoted input: comma, quote, line break', row({ plain: false, customerId: 'C,1', id: 'T"1"', sku: 'two\nlines' }), '1000001', viaFx],
    ['a partner from claims.csv', row({ plain: true, line: 1234567 }), 'P,9', viaFx],
    ['text beyond ASCII', row({ plain: true, customerId: 'Ünïcode 客户', id: 'Ж-1' }), '1000001', credit],
    ['an amount finer than micro-units', row({ plain: true, date: '2017-01-31' }), '1000001', fine],
    ['a row that only counts', row({ plain: true }), '1000001', counted],
    ['an empty customer and sku (JSON leaves their keys out)', row({ plain: true, customerId: '', sku: '' }), '1000001', perUnit],
    ['backslashes and control characters', row({ plain: false, customerId: 'C\\1\u0001', id: 'T\t1' }), 'P\\1', viaFx],
    // Longer than the spool's write buffer (1 MiB) and its read buffer (4 MiB): both grow to hold it.
    ['a cell of 5 MB', row({ plain: true, customerId: `C${'x'.repeat(5_000_000)}` }), '1000001', perUnit],
  ];
  const pending = (r: TxRow, partner: string, earning: Earning, slot: number): PendingRow => ({
    campaign: 'camp',
    partner,
    service: 'O365',
    row: r,
    file: 'data/tx,1.csv',
    earning,
    slot,
  });

  for (const [format, parts, lineOf] of [
    ['CSV', CSV_PARTS, traceCsvLine],
    ['JSON Lines', JSON_PARTS, jsonLine],
  ] as const)
    it(`writes each line as its event would be written (${format}): untrimmed, taken whole by a cap, excluded after all, held and trimmed partway`, async () => {
      const traceCsvLine = lineOf;
      const dir = tempDir();
      const file = join(dir, 'trace.csv');
      const out = new Out(file);
      const spool = new ByteSpool(out, parts);
      const expected: string[] = [];
      const events = cases.map(([, r, partner, earning], i) => {
        const p = pending(r, partner, earning, i);
        spool.add(p);
        return pendingRowEvent(p);
      });
      const x = { reason: 'CUSTOMER_EXCLUDED', detail: 'customer C1: not net new, "first seen" 2016-01-01' };
      const sums: string[] = [];
      const held: [Spooled, TraceEvent][] = [];
      try {
        for (const way of ['untrimmed', 'gone', 'excluded', 'held'] as const) {
          await spool.replay((r) => {
            const e = events[r.slot]!;
            expect([r.campaign, r.partner, r.service, r.date, r.zero, r.negative]).toEqual([
              'camp',
              e.partner,
              'O365',
              e.date,
              e.amount.isZero(),
              e.amount.isNegative(),
            ]);
            if (way === 'untrimmed') {
              expected.push(traceCsvLine(e));
              const sum = new ScaledSum();
              r.addTo(sum);
              sums.push(sum.toDecimal().toString());
              return 'untrimmed';
            } else if (way === 'gone') {
              if (r.negative || r.zero) return undefined;
              expected.push(traceCsvLine({ ...e, trimmed: e.amount.negated(), paid: ZERO }));
              return 'gone';
            } else if (way === 'excluded') {
              const settled = {
                ...e,
                status: 'excluded' as const,
                reason: x.reason as never,
                detail: x.detail,
                units: undefined,
                rate: undefined,
                fx: undefined,
              };
              expected.push(traceCsvLine({ ...settled, amount: ZERO, trimmed: ZERO, paid: ZERO }));
              return x;
            } else {
              if (r.negative || r.zero) return undefined;
              const back = r.held();
              expect([back.transactionId, back.date, back.service, back.status, back.amount.toString()]).toEqual([
                e.transactionId,
                e.date,
                e.service,
                e.status,
                e.amount.toString(),
              ]);
              held.push([back, e]);
              return undefined;
            }
          });
        }
        // Held rows are written after the replay (its buffer reused), with what their day's trims took: of the first
        // nothing (240: trimmed 0, paid 240), of the second all of it (240: trimmed -240, paid 0), of the others a
        // quarter (240: trimmed -60, paid 180).
        held.forEach(([back, e], k) => {
          const taken = k === 0 ? ZERO : k === 1 ? e.amount : e.amount.div(4);
          spool.writeHeld({ ...back, trimmed: taken.negated(), paid: e.amount.minus(taken) });
          expected.push(traceCsvLine({ ...e, trimmed: taken.negated(), paid: e.amount.minus(taken) }));
        });
      } finally {
        await out.close();
        spool.dispose();
      }
      expect(readFileSync(file, 'utf8')).toBe(expected.join(''));
      // The sums are exact: 240, 240, 198.4, 198.4, -96, 0.0000005, 0, 240, 198.4, 240 as written (the finest from its text).
      expect(sums).toEqual(['240', '240', '198.4', '198.4', '-96', '5e-7', '0', '240', '198.4', '240']);
    });

  it('quotes the first cells and the earning cells as the line of the event has them', () => {
    for (const [, r, partner, earning] of cases) {
      const line = traceCsvLine(pendingRowEvent(pending(r, partner, earning, 0)));
      const { tail, detail } = earningCells(earning);
      expect(line.startsWith(pendingHead('camp', partner))).toBe(true);
      expect(line.endsWith(`${tail}${earning.amountText},0,${earning.amountText},${detail}\n`)).toBe(true);
    }
  });
});

describe('the trace writer (Out)', () => {
  it('writes every byte in place while buffers are written in the background, a cell larger than a buffer included', async () => {
    const file = join(tempDir(), 'out.bin');
    const out = new Out(file);
    // 3,000 chunks of 1,000 to 1,999 bytes (each chunk's bytes its number mod 251), about 4.5 MB: several 1 MiB buffers in flight,
    // then one 2.5 MiB text (a buffer of its own, written on the thread), then more chunks; the turns of the event loop let writes end.
    const chunk = (i: number) => Buffer.alloc(1000 + ((i * 7919) % 1000), i % 251);
    const expected: Buffer[] = [];
    for (let i = 0; i < 3000; i++) {
      const c = chunk(i);
      out.copy(c, 0, c.length);
      expected.push(c);
      if (i % 500 === 0) await new Promise((r) => setImmediate(r));
    }
    const big = 'x'.repeat(2.5 * (1 << 20));
    out.write(big);
    expected.push(Buffer.from(big));
    for (let i = 3000; i < 3500; i++) {
      const c = chunk(i);
      out.copy(c, 0, c.length);
      expected.push(c);
    }
    await out.close();
    // the buffer grown for the large text was let go: later chunks went back to 1 MiB buffers
    expect(out.buf.length).toBe(1 << 20);
    const got = readFileSync(file);
    const want = Buffer.concat(expected);
    expect(got.length).toBe(want.length);
    expect(got.equals(want)).toBe(true);
  });

  it('a write that fails (a full disk) fails close, not silently', async () => {
    const out = new Out('/dev/full');
    const c = Buffer.alloc(600_000, 1);
    out.copy(c, 0, c.length);
    out.copy(c, 0, c.length); // the first buffer goes to the background, and fails there
    await expect(out.close()).rejects.toThrow(/ENOSPC/);
  });

  it('abandoned with writes in flight, it lets go of the file once they end', async () => {
    const file = join(tempDir(), 'out.bin');
    const out = new Out(file);
    const c = Buffer.alloc(700_000, 2);
    for (let i = 0; i < 6; i++) out.copy(c, 0, c.length);
    out.abandon();
    await out.close(); // closing after abandoning does nothing
    await new Promise((r) => setTimeout(r, 50));
    // Two chunks of 700,000 do not fit one 1 MiB buffer, so each copy after the first flushed the one before:
    // 6 copies, 5 flushed (700,000 x 5 = 3,500,000 bytes of 2s), the sixth abandoned in the buffer.
    const got = readFileSync(file);
    expect(got.length).toBe(3_500_000);
    expect(got.every((x) => x === 2)).toBe(true);
  });
});
