/**
 * Partner Center exports read directly (spec/partner-center.md), and rows never lost on
 * the way in. fixtures/partner-center/ is built from the documented layouts with sample
 * values; every expected amount is worked out by hand from rules/csp-power-up-2017.yaml
 * (O365 E5 73, E3 48, E1 20; D365 CE 75, Sales 60; Azure 20%).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { detect } from '../src/input/presets/index.js';
import { resellerOf } from '../src/input/presets/partner-center.js';
import { toIsoDate } from '../src/input/presets/us-date.js';
import { sniffBytes } from '../src/input/sniff.js';
import { runCli, tempDir } from './helpers.js';

const PC = 'fixtures/partner-center';
const FILES = ['pc-nce-invoice-usd.csv', 'pc-azure-daily-usd.csv', 'pc-azure-daily-eur.csv', 'pc-legacy-license-usd.csv'].map((f) => join(PC, f));

interface J {
  campaigns: {
    partners: {
      partnerId: string;
      status: string;
      total: string;
      services: { service: string; qualified: boolean; customers: number; units: number; revenue: string; amount: string }[];
    }[];
    rows: { read: number; used: number; excluded: Record<string, number> };
  }[];
  inputs: { transactions: Record<string, string> };
  rejected?: { rows: number; file?: string; reasons: Record<string, number> };
}

async function calc(transactions: string[], extra: string[] = [], data = PC) {
  const r = await runCli(['calc', '--rules', 'rules/csp-power-up-2017.yaml', '--data', data, '--format', 'json', '--transactions', ...transactions, ...extra]);
  return { ...r, json: r.code === 0 ? (JSON.parse(r.stdout) as J) : undefined };
}

const svc = (j: J, partner: string, name: string) => j.campaigns[0]!.partners.find((p) => p.partnerId === partner)!.services.find((s) => s.service === name)!;

describe('Partner Center presets, end to end', () => {
  let r: Awaited<ReturnType<typeof calc>>;
  beforeAll(async () => {
    r = await calc([join(PC, 'pc-*.csv')]);
  });

  it('detects each file’s layout from its header', () => {
    expect(r.stderr).toBe('');
    expect(r.json!.inputs.transactions).toEqual({
      [join(PC, 'pc-azure-daily-eur.csv')]: 'pc-nce-daily-usage',
      [join(PC, 'pc-azure-daily-usd.csv')]: 'pc-nce-daily-usage',
      [join(PC, 'pc-legacy-license-usd.csv')]: 'pc-legacy-license',
      [join(PC, 'pc-nce-invoice-usd.csv')]: 'pc-nce-invoice',
    });
  });

  it('counts seats from billing lines, not by summing them (new-commerce invoice)', () => {
    // Alpine (E3): New 1 (+4), reversal 1 (-4), rebill 6 (+24) in one cycle = 1 - 1 + 6 = 6 seats; the three
    //   later monthly cycleCharge lines repeat 6 (summing lines would say 1+1+6+6+6+6 = 26).
    // Bellows (E5): New 10 (+200), reduction in the cancellation window: reversal 10 (-200), rebill 7 (+140) = 7 seats.
    // Contoso Pharma (E1): 5 seats, Tier2MpnId -1.
    // 6 x 48 + 7 x 73 + 5 x 20 = 288 + 511 + 100 = 899.00
    expect(svc(r.json!, '1000001', 'O365')).toMatchObject({ qualified: true, customers: 3, units: 18, amount: '899.00' });
  });

  it('sums daily-rated Azure revenue exactly, one file per billing currency', () => {
    // USD file: Alpine 150.123456 + 100.00 = 250.123456; Bellows 300.50.
    // EUR file: Contoso Pharma 190.50 x 1.08 (fx.csv 2017-04-01) = 205.74.
    // 250.123456 + 300.50 + 205.74 = 756.363456 x 20% = 151.2726912 -> 151.27
    expect(svc(r.json!, '1000001', 'Azure')).toMatchObject({ qualified: true, customers: 3, revenue: '756.36', amount: '151.27' });
    // 899.00 + 151.27
    expect(r.json!.campaigns[0]!.partners[0]).toMatchObject({ partnerId: '1000001', status: 'payable', total: '1050.27' });
  });

  it('reads the legacy licence file: M/D/YYYY 0:00 dates, monthly cycle fees repeat the quantity', () => {
    // Datum CE: 5 seats billed in March, April, May = 5 (not 15) x 75 = 375
    // Evergreen Sales: prorated purchase of 8, then a cycle fee of 8 = 8 x 60 = 480
    // Fineart CE: 6 x 75 = 450, sold directly (the partner's own id as Tier2MpnId)
    // 375 + 480 + 450 = 1305.00
    expect(svc(r.json!, '1000002', 'D365')).toMatchObject({ qualified: true, customers: 3, units: 19, amount: '1305.00' });
  });

  it('accounts for every billing line, named file:line', () => {
    // 11 NCE invoice lines + 3 + 1 daily usage lines + 6 legacy lines
    expect(r.json!.campaigns[0]!.rows).toEqual({ read: 21, used: 21, excluded: {} });
  });

  it('takes the files as repeated --transactions too', async () => {
    const again = await calc(FILES);
    expect(again.json!.campaigns[0]!.partners.map((p) => p.total)).toEqual(['1050.27', '1305.00']);
  });
});

describe('preset detection', () => {
  it('matches headers case-insensitively, with MPNID and ResellerMPNID aliases', () => {
    const header = readFileSync(join(PC, 'pc-nce-invoice-usd.csv'), 'utf8').split('\r\n')[0]!.toUpperCase().replace('TIER2MPNID', 'RESELLERMPNID').split(',');
    expect(detect('f.csv', header)).toMatchObject({ kind: 'preset', preset: { name: 'pc-nce-invoice' } });
  });

  it('an unknown header lists the canonical columns it lacks and the closest presets', () => {
    const d = detect('erp.csv', ['Invoice', 'MpnId', 'CustomerId', 'ProductId', 'SkuId']);
    expect(d).toMatchObject({ code: 'UNKNOWN_LAYOUT', line: 1 });
    const msg = (d as { message: string }).message;
    expect(msg).toContain('lacks the required columns transaction_id, date, partner_id, customer_id, sku, license_program');
    expect(msg).toContain('closest presets: pc-nce-daily-usage');
  });

  it('through the CLI: exit 1, the file named, nothing written', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'erp.csv'), 'Invoice,Amount\n1,2\n');
    const r = await runCli([
      'calc',
      '--rules',
      'rules/csp-power-up-2017.yaml',
      '--data',
      PC,
      '--transactions',
      join(dir, 'erp.csv'),
      '--out',
      join(dir, 'out.json'),
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${join(dir, 'erp.csv')}:1:`);
    expect(r.stderr).toContain('UNKNOWN_LAYOUT');
  });

  it('-1, 0 and the partner’s own id mean no reseller', () => {
    expect(['-1', '0', '', 'P1', 'R7'].map((r) => resellerOf('P1', r))).toEqual(['', '', '', '', 'R7']);
  });

  it('US dates with and without a time; unreadable text is left for validation to report', () => {
    expect(['3/5/2017', '12/31/2017 23:59', '3/1/2017 0:00', '2017-03-05', '31/12/2017'].map((d) => toIsoDate(d, 'M/D/YYYY'))).toEqual([
      '2017-03-05',
      '2017-12-31',
      '2017-03-01',
      '2017-03-05',
      '2017-31-12',
    ]);
  });
});

describe('ChargeType classification', () => {
  it('an unknown ChargeType is an error that names it; --charge-types adds it', async () => {
    const dir = tempDir();
    const text = readFileSync(join(PC, 'pc-nce-invoice-usd.csv'), 'utf8').replace(',new,4,1,4,', ',seatTrueUp,4,1,4,');
    writeFileSync(join(dir, 'nce.csv'), text);
    const r = await calc([join(dir, 'nce.csv')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('UNKNOWN_CHARGE_TYPE');
    expect(r.stderr).toContain('unknown ChargeType "seattrueup" (1 line)');
    writeFileSync(join(dir, 'types.yaml'), 'seatTrueUp: positive\n');
    const ok = await calc([join(dir, 'nce.csv')], ['--charge-types', join(dir, 'types.yaml')]);
    expect(ok.code).toBe(0);
    // the same seats as with "new": 899.00 for O365 (Azure is not in this file)
    expect(svc(ok.json!, '1000001', 'O365').amount).toBe('899.00');
  });
});

describe('robust reading', () => {
  const canonical =
    'transaction_id,date,partner_id,customer_id,sku,license_program,quantity\n' +
    'T1,2017-03-01,1000001,C1,CFQ7TTC0LF8Q:0001,CSP,5\n' +
    'T2,2017-03-01,1000001,C2,CFQ7TTC0LF8Q:0001,CSP,5\n' +
    'T3,2017-03-01,1000001,C3,CFQ7TTC0LF8Q:0001,CSP,5\n';
  // 3 customers x 5 E3 seats x 48 = 720.00
  const total = async (file: string) => (await calc([file])).json?.campaigns[0]!.partners[0]!.total;

  function write(name: string, content: string | Buffer): string {
    const f = join(tempDir(), name);
    writeFileSync(f, content);
    return f;
  }

  it('UTF-8 with a BOM and CRLF line ends', async () => {
    expect(await total(write('bom.csv', '\ufeff' + canonical.replace(/\n/g, '\r\n')))).toBe('720.00');
  });

  it('UTF-16 LE and BE, as Excel’s "Unicode text" writes them', async () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(canonical, 'utf16le')]);
    expect(await total(write('le.csv', le))).toBe('720.00');
    const be = Buffer.from(le);
    for (let i = 0; i < be.length; i += 2) [be[i], be[i + 1]] = [be[i + 1]!, be[i]!];
    expect(await total(write('be.csv', be))).toBe('720.00');
    expect(sniffBytes(be).encoding).toBe('utf16be');
  });

  it('a semicolon-delimited file (European Excel)', async () => {
    expect(await total(write('semi.csv', canonical.replace(/,/g, ';')))).toBe('720.00');
  });

  it('RFC 4180: quoted commas, doubled quotes and a newline inside a field; line numbers stay true', async () => {
    const text = canonical + 'T4,2017-03-01,1000001,"C4, ""the"" fourth\nbranch",CFQ7TTC0LF8Q:0001,CSP,x\n';
    const r = await calc([write('rfc.csv', text)]);
    expect(r.code).toBe(1);
    // the record spans lines 5-6; csv-parse reports the line it ends on
    expect(r.stderr).toMatch(/rfc\.csv:6: quantity: error INVALID_ROW: quantity is not a whole number of seats/);
  });
});

describe('--on-invalid skip --rejects', () => {
  const text =
    'transaction_id,date,partner_id,customer_id,sku,license_program,quantity\n' +
    'T1,2017-03-01,1000001,C1,CFQ7TTC0LF8Q:0001,CSP,5\n' +
    'T2,2017-02-30,1000001,C2,CFQ7TTC0LF8Q:0001,CSP,5\n' + // no such date
    'T3,2017-03-01,1000001,C3,CFQ7TTC0LF8Q:0001,CSP,5\n' +
    'T1,2017-03-02,1000001,C4,CFQ7TTC0LF8Q:0001,CSP,5\n' + // repeats T1
    'T5,2017-03-01,1000001,C5,CFQ7TTC0LF8Q:0001,CSP,5\n';

  it('the default stays strict: exit 1 with every problem', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 't.csv'), text);
    const r = await calc([join(dir, 't.csv')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('t.csv:3: date');
    expect(r.stderr).toContain('t.csv:5: transaction_id');
  });

  it('sets bad rows aside with line and reason, carries on, and says so', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 't.csv'), text);
    const rejects = join(dir, 'rejects.csv');
    const r = await calc([join(dir, 't.csv')], ['--on-invalid', 'skip', '--rejects', rejects]);
    expect(r.code).toBe(0);
    // C1, C3, C5 qualify: 3 x 5 x 48 = 720.00; the two bad rows are in no campaign's counts
    expect(r.json!.campaigns[0]!.partners[0]!.total).toBe('720.00');
    expect(r.json!.campaigns[0]!.rows.read).toBe(3);
    expect(r.json!.rejected).toEqual({ rows: 2, file: rejects, reasons: { 'date: not a calendar date': 1, 'transaction_id: transaction_id is repeated': 1 } });
    const lines = readFileSync(rejects, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('file,line,column,reason,message,expected,found,record');
    expect(lines[1]).toContain(',3,date,INVALID_ROW,not a calendar date,');
    expect(lines[1]).toContain('"T2,2017-02-30,1000001,C2,CFQ7TTC0LF8Q:0001,CSP,5"');
    expect(lines[2]).toContain(',5,transaction_id,INVALID_ROW,transaction_id is repeated,');
    expect(lines).toHaveLength(3);
  });

  it('--rejects without --on-invalid skip is refused', async () => {
    const r = await calc([join(PC, 'pc-nce-invoice-usd.csv')], ['--rejects', join(tempDir(), 'r.csv')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--rejects needs --on-invalid skip');
  });
});

describe('--columns: a custom mapping', () => {
  it('maps an ERP export with D.M.YYYY dates and Y/N net-new flags', async () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'erp.csv'),
      'Beleg;Datum;Partner;Kunde;Artikel;Programm;Menge;Neu\n' +
        'B1;01.03.2017;1000001;K1;CFQ7TTC0LF8Q:0001;CSP;5;J\n' +
        'B2;02.03.2017;1000001;K2;CFQ7TTC0LF8Q:0001;CSP;5;J\n' +
        'B3;03.03.2017;1000001;K3;CFQ7TTC0LF8Q:0001;CSP;5;N\n' +
        'B4;04.03.2017;1000001;K4;CFQ7TTC0LF8Q:0001;CSP;5;J\n',
    );
    writeFileSync(
      join(dir, 'map.yaml'),
      [
        'name: erp-de',
        'columns:',
        '  transaction_id: Beleg',
        '  date: { column: Datum, format: D.M.YYYY }',
        '  partner_id: Partner',
        '  customer_id: Kunde',
        '  sku: Artikel',
        '  license_program: Programm',
        '  quantity: Menge',
        '  net_new: { column: Neu, true: [J], false: [N] }',
      ].join('\n'),
    );
    const r = await calc([join(dir, 'erp.csv')], ['--columns', join(dir, 'map.yaml')]);
    expect(r.stderr).toBe('');
    // K3 is flagged not net new: K1, K2, K4 qualify, 3 x 5 x 48 = 720.00
    expect(svc(r.json!, '1000001', 'O365')).toMatchObject({ customers: 3, amount: '720.00' });
    expect(r.json!.inputs.transactions[join(dir, 'erp.csv')]).toBe('erp-de');
  });
});

describe('--preset and the progress bar', () => {
  it('a named preset that does not fit the file lists the columns it needs', async () => {
    const r = await calc(['fixtures/demo/transactions.csv'], ['--preset', 'pc-nce-invoice']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('the pc-nce-invoice preset needs the columns mpnid, customerid, productid');
  });

  it('a named preset reads a file whose signature columns were renamed', async () => {
    const dir = tempDir();
    const text = readFileSync(join(PC, 'pc-azure-daily-usd.csv'), 'utf8').replace('MeterId', 'Meter');
    writeFileSync(join(dir, 'daily.csv'), text);
    expect((await calc([join(dir, 'daily.csv')])).code).toBe(1); // no longer detected
    const named = await calc([join(dir, 'daily.csv')], ['--preset', 'pc-nce-daily-usage']);
    expect(named.code).toBe(0);
    expect(named.json!.campaigns[0]!.rows.read).toBe(3);
  });

  it('draws only on a terminal and for large inputs, and clears its line', async () => {
    const { ProgressBar } = await import('../src/report/progress.js');
    const written: string[] = [];
    const tty = { isTTY: true, write: (s: string) => written.push(s) } as unknown as NodeJS.WriteStream;
    const pipe = { isTTY: false } as unknown as NodeJS.WriteStream;
    expect(ProgressBar.wanted(pipe, false, 1e9)).toBe(false);
    expect(ProgressBar.wanted(tty, true, 1e9)).toBe(false);
    expect(ProgressBar.wanted(tty, false, 1e6)).toBe(false);
    expect(ProgressBar.wanted(tty, false, 1e9)).toBe(true);
    const bar = new ProgressBar(100e6, tty);
    bar.add(50e6);
    expect(written[0]).toMatch(/^\r\[#{12}\.{12}\] {2}50% {2}50\/100 MB/);
    bar.done();
    expect(written[1]).toBe('\r\x1b[K');
  });
});
