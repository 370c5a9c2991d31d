/**
 * Partner Center exports as users really have them (fixtures/partner-center/shapes/,
 * beyond the three base layouts): exact seats, or a clear refusal. Rates from
 * rules/csp-power-up-2017.yaml: O365 E5 73, E3 48, E1 20 (also under their legacy
 * offer ids); O365 qualifies with 3 customers of at least 5 seats; $500 minimum payout.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { seatChanges } from '../src/input/seats.js';
import { runCli, tempDir } from './helpers.js';

const PC = 'fixtures/partner-center';

interface Svc {
  service: string;
  qualified: boolean;
  customers: number;
  units: number;
  revenue: string;
  amount: string;
}
interface J {
  campaigns: {
    partners: { partnerId: string; status: string; total: string; services: Svc[] }[];
    rows: { read: number; used: number; excluded: Record<string, number> };
  }[];
}

async function calc(files: string[], extra: string[] = []) {
  const r = await runCli(['calc', '--rules', 'rules/csp-power-up-2017.yaml', '--data', PC, '--format', 'json', '--transactions', ...files, ...extra]);
  return { ...r, json: r.code === 0 ? (JSON.parse(r.stdout) as J) : undefined };
}
const partner = (j: J, id: string) => j.campaigns[0]!.partners.find((p) => p.partnerId === id)!;
const o365 = (j: J, id = '1000001') => partner(j, id).services.find((s) => s.service === 'O365')!;
/** The real shapes live apart from the base fixtures (which tests read as pc-*.csv). */
const pc = (f: string) => join(PC, f.startsWith('pc-azure-daily-usd') || f === 'pc-nce-invoice-usd.csv' ? '' : 'shapes', f);

/** A copy of a fixture with its text changed, in a temporary folder. */
function variant(file: string, change: (text: string) => string): string {
  const out = join(tempDir(), file);
  writeFileSync(out, change(readFileSync(pc(file), 'utf8')));
  return out;
}

describe('wrong with exit 0 before: each now exact', () => {
  it('a new-commerce trial is not paid seats (Microsoft API example shape: new, unit price 0, a trial term)', async () => {
    const r = await calc([pc('pc-nce-trial.csv')]);
    // The base invoice: 6 x 48 + 7 x 73 + 5 x 20 = 899.00; Dunes' 25-seat trial adds nothing
    // (counted as paid it was 899 + 25 x 48 = 2,099.00)
    expect(o365(r.json!)).toMatchObject({ qualified: true, customers: 3, units: 18, amount: '899.00' });
    expect(r.json!.campaigns[0]!.rows).toEqual({ read: 12, used: 11, excluded: { SUBSCRIPTION_TYPE: 1 } });
  });

  it('a trial converted to paid counts its seats from the paid line (trial and paid seats are rebuilt apart)', async () => {
    // Dunes converts on 4/20: a paid `new` line of 25 seats on the same subscription, one-year term
    const file = variant('pc-nce-trial.csv', (t) => {
      const trial = t.trimEnd().split('\r\n').at(-1)!;
      const paid = trial
        .replace('ord-trial-0320,3/20/2017', 'ord-paid-0420,4/20/2017')
        .replace(',new,0,25,0,0,0,', ',new,4,25,100,0,100,')
        .replace('3/20/2017,4/19/2017,One-Month commitment for trial,0,', '4/20/2017,5/19/2017,One-Year commitment for monthly/yearly billing,4,')
        .replace(',Trial,', ',,');
      return `${t.trimEnd()}\r\n${paid}\r\n`;
    });
    const r = await calc([file]);
    // 899.00 + 25 x 48 = 2,099.00: Dunes is a fourth qualifying customer once it pays
    expect(o365(r.json!)).toMatchObject({ customers: 4, units: 43, amount: '2099.00' });
  });

  it('a zero-price line that does not say whether it is a trial is refused, not paid', async () => {
    const file = variant('pc-nce-trial.csv', (t) => t.replace('One-Month commitment for trial', '').replace(',Trial,', ',,'));
    const r = await calc([file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/pc-nce-trial\.csv:13: TermAndBillingCycle: error INVALID_ROW: a zero-price line with no TermAndBillingCycle/);
  });

  it('an empty SyndicationPartnerSubscriptionNumber falls back to SubscriptionId: 6, 5 and 7 seats, not 6, -1 and 2', async () => {
    const r = await calc([pc('pc-legacy-blank-syndication.csv')]);
    // three customers, each its own SubscriptionId, billed in March and April (cycle fees repeat):
    // 6 + 5 + 7 = 18 seats x 20 (E1) = 360.00, under the $500 minimum
    expect(o365(r.json!)).toMatchObject({ qualified: true, customers: 3, units: 18, amount: '360.00' });
    expect(partner(r.json!, '1000001')).toMatchObject({ status: 'below_minimum', total: '360.00' });
  });

  it('a blank new-commerce SubscriptionId or SkuId is a row error naming line and column; --on-invalid skip sets it aside', async () => {
    const noSub = variant('pc-nce-invoice-usd.csv', (t) => t.replace('5ub5c710-a000-4000-8000-00000000000a', ''));
    const r = await calc([noSub]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('pc-nce-invoice-usd.csv:2: SubscriptionId: error INVALID_ROW: SubscriptionId is empty');
    const noSku = variant('pc-nce-invoice-usd.csv', (t) => t.replace(',CFQ7TTC0LF8S,0001,', ',CFQ7TTC0LF8S,,'));
    const s = await calc([noSku]);
    expect(s.code).toBe(1);
    expect(s.stderr).toContain('pc-nce-invoice-usd.csv:8: SkuId: error INVALID_ROW: SkuId is empty');
    const skipped = await calc([noSku], ['--on-invalid', 'skip']);
    expect(skipped.code).toBe(0);
    // Bellows' New 10 line set aside: its March cycle keeps the reversal 10 and rebill 7 = -10 + 7 -> 0 seats (never
    // below zero); the April cycleCharge of 7 is a new cycle: 7 seats again. 6 x 48 + 7 x 73 + 5 x 20 = 899.00
    expect(o365(skipped.json!)).toMatchObject({ qualified: true, customers: 3, units: 18, amount: '899.00' });
    expect(JSON.parse(skipped.stdout)).toMatchObject({ rejected: { rows: 1 } });
  });

  it('one subscription id under two customers is refused, naming both lines', async () => {
    const file = variant('pc-nce-invoice-usd.csv', (t) => t.replace(/5ab5c710-c000-4000-8000-00000000000c/, '5ab5c710-b000-4000-8000-00000000000b'));
    const r = await calc([file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /pc-nce-invoice-usd\.csv:12: SubscriptionId: error SUBSCRIPTION_TWO_CUSTOMERS: subscription 5ab5c710-b000-4000-8000-00000000000b belongs to customer c0ffee00-0000-4000-8000-0000000000b2 on line 8 and to customer c0ffee00-0000-4000-8000-0000000000c3 here/,
    );
  });

  it('tenant GUIDs upper-case in one export and lower-case in another are one customer: net-new history is seen', async () => {
    const r = await calc([pc('pc-legacy-history-upper.csv'), pc('pc-nce-invoice-usd.csv')]);
    // Alpine (C0FFEE00-...-A1) bought 5 E3 seats in January, before the period: not net new. Two customers left: not qualified
    // (read as two customers, the invoice paid 899.00)
    expect(o365(r.json!)).toMatchObject({ qualified: false, customers: 2, amount: '0.00' });
    expect(r.json!.campaigns[0]!.rows.excluded).toMatchObject({ OUTSIDE_PERIOD: 1, CUSTOMER_NOT_NET_NEW: 6 });
  });

  it('a SKU that differs only in letter case from the rate card earns (ProductId written lower-case)', async () => {
    const file = variant('pc-nce-invoice-usd.csv', (t) => t.replaceAll('CFQ7TTC0LF8Q', 'cfq7ttc0lf8q'));
    const r = await calc([file]);
    // 6 x 48 + 7 x 73 + 5 x 20 = 899.00, as with the card's spelling
    expect(o365(r.json!)).toMatchObject({ customers: 3, units: 18, amount: '899.00' });
  });

  it('legacy GUID offer ids earn out of the box, in either letter case', async () => {
    const r = await calc([pc('pc-legacy-guid-offers.csv')]);
    // Datum 6 E3 (796B6B5F-...), Elm Street 5 E3 (796b6b5f-..., lower case), Fourth Coffee 8 E1 (91FD106F-...):
    // 6 x 48 + 5 x 48 + 8 x 20 = 288 + 240 + 160 = 688.00
    expect(o365(r.json!)).toMatchObject({ qualified: true, customers: 3, units: 19, amount: '688.00' });
  });

  it('mid-cycle changes (legacy prorated lines dated on the change day) move seats from that day, up and down', async () => {
    const r = await calc([pc('pc-legacy-midcycle.csv')]);
    // Alder 5 -> 8 and Birch 5 -> 8 on 3/15 (Cancel instance prorate 5, Cycle instance prorate 8), Cedar 8 -> 6:
    // 8 + 8 + 6 = 22 seats x 48 = 1,056.00 (read as new cycles: 3 + 3 - 2 ... and not qualified)
    expect(o365(r.json!)).toMatchObject({ qualified: true, customers: 3, units: 22, amount: '1056.00' });
  });

  it('mid-cycle changes in new commerce (addQuantity / removeQuantity reversal and rebill inside the cycle)', async () => {
    const r = await calc([pc('pc-nce-midcycle.csv')]);
    // New 5 on 3/5 (cycle to 4/4); on 3/20 reversal 5, rebill 8 (twice); Cove: New 8, on 3/8 reversal 8, rebill 6:
    // 8 + 8 + 6 = 22 x 48 = 1,056.00
    expect(o365(r.json!)).toMatchObject({ qualified: true, customers: 3, units: 22, amount: '1056.00' });
  });

  it('day-first dates are refused unless --date-format says so; ambiguous ones too', async () => {
    const r = await calc([pc('pc-nce-invoice-dayfirst.csv')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('pc-nce-invoice-dayfirst.csv: error AMBIGUOUS_DATES: the file writes dates day-first (30/4/2017)');
    const ok = await calc([pc('pc-nce-invoice-dayfirst.csv')], ['--date-format', 'D/M/YYYY']);
    // the same invoice: 899.00
    expect(o365(ok.json!)).toMatchObject({ units: 18, amount: '899.00' });
    // a day-first file where no day is above 12: 01/04/2017 could be 1 April or 4 January
    const ambiguous = variant('pc-nce-invoice-dayfirst.csv', (t) =>
      t.replace(/\b(\d{1,2})\/(\d{1,2})\/2017/g, (_m, d: string, m: string) => `${Math.min(Number(d), 12)}/${m}/2017`),
    );
    const a = await calc([ambiguous]);
    expect(a.code).toBe(1);
    expect(a.stderr).toContain('every slash date in the file could be month-first or day-first');
    expect(a.stderr).toContain('--date-format M/D/YYYY or --date-format D/M/YYYY');
  });

  it('the same export downloaded twice (invoice.csv, "invoice (1).csv") is refused, not paid twice', async () => {
    // Rows of a Partner Center export are named file:line, so no repeated id gives them away: before, both
    // copies were read and Contoso was paid 2 x 899.00 = 1,798.00 with exit 0.
    const dir = tempDir();
    const text = readFileSync(pc('pc-nce-invoice-usd.csv'));
    writeFileSync(join(dir, 'invoice.csv'), text);
    writeFileSync(join(dir, 'invoice (1).csv'), text);
    const r = await calc([join(dir, 'invoice.csv'), join(dir, 'invoice (1).csv')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`${join(dir, 'invoice (1).csv')}: error INPUT_REPEATED: has the same content as ${join(dir, 'invoice.csv')}`);
    // One file named twice (a glob, and its own name as well) is refused too, naming both spellings.
    const glob = await calc([join(dir, 'invoice.csv'), join(dir, '*.csv')]);
    expect(glob.code).toBe(1);
    expect(glob.stderr).toContain(`--transactions names this file twice`);
  });

  it('two exports of the same size with different lines are both read (only equal bytes are one export)', async () => {
    // The copy bills three other customers (ids changed in their last characters, so the file keeps its size)
    // the same seats: each file pays 6 x 48 + 7 x 73 + 5 x 20 = 288 + 511 + 100 = 899.00, together 1,798.00.
    const dir = tempDir();
    const text = readFileSync(pc('pc-nce-invoice-usd.csv'), 'utf8');
    const other = text.replace(/-0000000000([abc])[123],/g, '-0000000000$19,').replace(/c710-/g, 'c719-');
    expect(other.length).toBe(text.length);
    expect(other).not.toBe(text);
    writeFileSync(join(dir, 'march.csv'), text);
    writeFileSync(join(dir, 'march-other.csv'), other);
    const r = await calc([join(dir, 'march.csv'), join(dir, 'march-other.csv')]);
    expect(r.stderr).toBe('');
    expect(o365(r.json!)).toMatchObject({ customers: 6, units: 36, amount: '1798.00' });
  });
});

describe('refused before, accepted now', () => {
  it("Windows PowerShell's Export-Csv: a #TYPE line, every cell quoted, quantities 5.0", async () => {
    const r = await calc([pc('pc-legacy-powershell.csv')]);
    // the legacy fixture's D365: Datum 5 x 75 + Evergreen 8 x 60 + Fineart 6 x 75 = 375 + 480 + 450 = 1,305.00
    expect(partner(r.json!, '1000002').services.find((s) => s.service === 'D365')).toMatchObject({ units: 19, amount: '1305.00' });
  });

  it('--verbose says how each file was read and which lines were skipped', async () => {
    const r = await calc([pc('pc-legacy-powershell.csv'), pc('pc-nce-invoice-concatenated.csv')], ['--verbose']);
    expect(r.stderr).toContain('pc-legacy-powershell.csv: read as pc-legacy-license, 6 rows; skipped 1 line before the header (a PowerShell #TYPE line)');
    expect(r.stderr).toContain('pc-nce-invoice-concatenated.csv: read as pc-nce-invoice, 11 rows; skipped 1 repeated header line');
    // and which campaigns ran, from which files
    expect(r.stderr).toMatch(/incent: campaigns: csp-power-up-2017 \([^)]*csp-power-up-2017\.yaml\)/);
  });

  it('a ; separated daily-usage export with decimal commas needs --decimal-comma, and then sums exactly', async () => {
    const r = await calc([pc('pc-azure-daily-usd.csv'), pc('pc-azure-daily-eur-semicolon.csv')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('for amounts written 1234,50, pass --decimal-comma');
    const ok = await calc([pc('pc-azure-daily-usd.csv'), pc('pc-azure-daily-eur-semicolon.csv')], ['--decimal-comma']);
    // USD: 250.123456 + 300.50; EUR 190,50 x 1.08 = 205.74; 756.363456 x 20% = 151.2726912 -> 151.27
    expect(partner(ok.json!, '1000001').services.find((s) => s.service === 'Azure')).toMatchObject({ revenue: '756.36', amount: '151.27' });
  });

  it('an export concatenated with its header repeated mid-file: the header line is skipped, not read as a row', async () => {
    const r = await calc([pc('pc-nce-invoice-concatenated.csv')]);
    // 899.00 and 11 rows, as the single file
    expect(o365(r.json!)).toMatchObject({ units: 18, amount: '899.00' });
    expect(r.json!.campaigns[0]!.rows.read).toBe(11);
  });

  it('a fractional quantity (a one-time or usage line, 3.1618) carries revenue, not seats, and does not stop the run', async () => {
    const file = variant('pc-nce-invoice-usd.csv', (t) => {
      const lines = t.trimEnd().split('\r\n');
      const extra = lines[11]!
        .replace('ord-000c412017', 'ord-onetime')
        .replace(',new,7.9998333333,5,39.9991666665,', ',new,10,3.1618,31.618,')
        .replace(/,5,Monthly,/, ',3.1618,OneTime,')
        .replace('5ab5c710-c000-4000-8000-00000000000c', 'one-time-c3');
      return [...lines, extra].join('\r\n') + '\r\n';
    });
    const r = await calc([file]);
    expect(r.code, r.stderr).toBe(0);
    // no seat from the one-time line: still 18 seats, 899.00
    expect(o365(r.json!)).toMatchObject({ units: 18, amount: '899.00' });
  });

  it("every documented charge type is built in (new commerce's cancelImmediate cancels seats)", async () => {
    const file = variant('pc-nce-invoice-usd.csv', (t) => {
      const lines = t.trimEnd().split('\r\n');
      // Contoso Pharma cancels its 5 E1 seats at once on 4/2
      const cancel = lines[11]!
        .replace(',new,', ',cancelImmediate,')
        .replace(',39.9991666665,0,39.9991666665,', ',-39.9991666665,0,-39.9991666665,')
        .replace('4/1/2017,4/30/2017', '4/2/2017,4/30/2017');
      return [...lines, cancel].join('\r\n') + '\r\n';
    });
    const r = await calc([file]);
    // 5 - 5 = 0 E1 seats: two customers left, O365 not qualified
    expect(o365(r.json!)).toMatchObject({ qualified: false, customers: 2 });
  });
});

describe('seat changes from billing groups', () => {
  const cycles = (groups: [string, number, string][]) =>
    new Map([['s', new Map(groups.map(([start, seats, end], i) => [start, { seats, end, first: `0:${i + 2}` }]))]]);
  it('a new cycle sets the seats, a change inside one moves them, never below zero', () => {
    // 5 on 3/1 (to 3/31); +3 on 3/15 inside it; 8 repeated on 4/1 (a new cycle): +5, +3, 0
    expect([
      ...seatChanges(
        cycles([
          ['2017-03-01', 5, '2017-03-31'],
          ['2017-03-15', 3, '2017-03-31'],
          ['2017-04-01', 8, '2017-04-30'],
        ]),
      ).values(),
    ]).toEqual([5, 3, 0]);
    // 5, then -9 inside the cycle: to 0 (-5), then 4 on the next cycle (+4)
    expect([
      ...seatChanges(
        cycles([
          ['2017-03-01', 5, '2017-03-31'],
          ['2017-03-20', -9, '2017-03-31'],
          ['2017-04-01', 4, '2017-04-30'],
        ]),
      ).values(),
    ]).toEqual([5, -5, 4]);
    // no end dates (a file without ChargeEndDate): every group is a cycle, as before
    expect([
      ...seatChanges(
        cycles([
          ['2017-03-01', 5, ''],
          ['2017-03-15', 3, ''],
        ]),
      ).values(),
    ]).toEqual([5, -2]);
  });
});
