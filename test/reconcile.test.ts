/**
 * incent reconcile on the demo's Power Up partners against fixtures/earnings/power-up-2017.csv.
 * Every expected figure is worked out by hand from the campaign terms (rules/csp-power-up-2017.yaml:
 * per-seat rates from the rate cards, Azure 20% of revenue, GBP at the fixed 1.24, service caps 25,000,
 * campaign cap 50,000, minimum payout 500) and the export's lines.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { reconcile } from '../src/commands/reconcile.js';
import type { Item, PartnerReconciliation, Reconciliation } from '../src/reconcile/match.js';
import { reconcileCsv } from '../src/report/reconcile.js';
import { InvalidInputError } from '../src/diagnostics.js';
import { runCli } from './helpers.js';

const RULES = 'rules/csp-power-up-2017.yaml';
const EARNINGS = 'fixtures/earnings/power-up-2017.csv';
const quiet = { warn() {} };

async function run(earnings: string[] = [EARNINGS], judgeOn = '2017-11-20'): Promise<Reconciliation> {
  return reconcile({ rules: [RULES], data: 'fixtures/demo', earnings, judgeOn }, quiet);
}

function partner(r: Reconciliation, id: string): PartnerReconciliation {
  const p = r.campaigns[0]!.partners.find((x) => x.partnerId === id);
  if (!p) throw new Error(`no partner ${id}`);
  return p;
}

/** The item holding transaction `tx` (or earning `earningId`). */
function item(p: PartnerReconciliation, tx: string): Item {
  const i = p.items.find((x) => x.rows.some((r) => r.transactionId === tx) || x.key.transactionId === tx || x.earnings.some((e) => e.earningId === tx));
  if (!i) throw new Error(`no item ${tx}`);
  return i;
}

const view = (i: Item) => ({
  categories: i.categories,
  expected: i.expected?.toString() ?? null,
  paid: i.paid?.toString() ?? null,
  difference: i.difference.toString(),
  disputeBy: i.disputeBy,
});

describe('reconcile: the demo against its earnings export', () => {
  it('Contoso (1000001): every category but QUANTITY_DIFFERS, each worked by hand', async () => {
    const p = partner(await run(), '1000001');
    // T1001: 10 seats x 48 = 480; Microsoft E1001 480.00 -> MATCHED, no deadline (nothing to dispute).
    expect(view(item(p, 'T1001'))).toEqual({ categories: ['MATCHED'], expected: '480', paid: '480', difference: '0', disputeBy: null });
    // T1002: 6 x 73 = 438; Microsoft applied 60: 6 x 60 = 360 -> 360 - 438 = -78; earningDate 2017-10-15 + 30 days = 2017-11-14.
    expect(view(item(p, 'T1002'))).toEqual({
      categories: ['UNDERPAID', 'RATE_DIFFERS'],
      expected: '438',
      paid: '360',
      difference: '-78',
      disputeBy: '2017-11-14',
    });
    // T1003: 5 x 20 = 100 with no earning -> MISSING -100; its clock runs from Contoso's latest earning (E1006, 2017-11-15) + 30 = 2017-12-15.
    expect(view(item(p, 'T1003'))).toEqual({ categories: ['MISSING'], expected: '100', paid: null, difference: '-100', disputeBy: '2017-12-15' });
    // T1005: C105 has 4 seats < 5 (CUSTOMER_BELOW_MINIMUM), yet E1005 paid 4 x 48 = 192 -> UNEXPECTED +192, with incent's reason.
    const t1005 = item(p, 'E1005');
    expect(view(t1005)).toEqual({ categories: ['UNEXPECTED'], expected: null, paid: '192', difference: '192', disputeBy: '2017-11-14' });
    expect(t1005.reasons).toEqual([{ reason: 'CUSTOMER_BELOW_MINIMUM', rows: 1 }]);
    // T1006: a refund of 2 seats, -2 x 48 = -96 both sides -> MATCHED, REVERSED.
    expect(view(item(p, 'T1006'))).toEqual({ categories: ['MATCHED', 'REVERSED'], expected: '-96', paid: '-96', difference: '0', disputeBy: null });
    // D365: one growth earning E1020 repeated on T1020, T1021, T1022, counted once: 25000.00.
    // incent: 200 x 75 = 15000, 150 x 60 = 9000, 40 x 75 = 3000 -> 27000, service cap 25000 trims 2000 from the latest (T1022 pays 1000): 25000.
    const d365 = item(p, 'T1020');
    expect(view(d365)).toEqual({ categories: ['MATCHED'], expected: '25000', paid: '25000', difference: '0', disputeBy: null });
    expect(d365.rows.map((r) => r.transactionId)).toEqual(['T1020', 'T1021', 'T1022']);
    expect(d365.key.transactionIds).toEqual(['T1020', 'T1021', 'T1022']);
    // T1041: 800.00 GBP x 1.24 = 992 x 20% = 198.40; Microsoft 800 x 20% = 160 GBP x 1.25 = 200.00 USD -> +1.60, FX 1.25 vs 1.24.
    expect(view(item(p, 'T1041'))).toEqual({
      categories: ['OVERPAID', 'FX_DIFFERS'],
      expected: '198.4',
      paid: '200',
      difference: '1.6',
      disputeBy: '2017-11-14',
    });
    // T1042: 1000 EUR x 1.09 = 1090 x 20% = 218; Microsoft 218.00 USD at 1.09 -> MATCHED.
    expect(view(item(p, 'T1042'))).toEqual({ categories: ['MATCHED'], expected: '218', paid: '218', difference: '0', disputeBy: null });
    // E1099: a manual adjustment (reasonCode) of 50.00: listed on its own, never matched.
    expect(view(item(p, 'E1099'))).toEqual({ categories: ['ADJUSTMENT'], expected: null, paid: '50', difference: '50', disputeBy: null });
    // Totals: incent 1162 (O365: 480 + 438 + 100 + 240 - 96) + 25000 (D365) + 716.40 (Azure: 300 + 198.40 + 218) = 26878.40.
    // Microsoft: 480 + 360 + 240 + 192 - 96 + 25000 + 300 + 200 + 218 + 50 = 26944.00; difference +65.60
    // (= -78 - 100 + 1.60 + 192 + 50).
    expect([p.expected.toFixed(2), p.paid.toFixed(2), p.difference.toFixed(2)]).toEqual(['26878.40', '26944.00', '65.60']);
    // Open: T1002, T1003, T1041, E1005; the earliest deadline is 2017-11-14, passed on 2017-11-20.
    expect(p.items.filter((i) => i.open)).toHaveLength(4);
    expect([p.disputeBy, p.deadlinePassed]).toEqual(['2017-11-14', true]);
  });

  it('Woodgrove (1000007): quantity short, caps followed, the subscription and customer keys', async () => {
    const p = partner(await run(), '1000007');
    // T7002: 100 x 73 = 7300; Microsoft counted 90 seats: 90 x 73 = 6570 -> -730.
    expect(view(item(p, 'T7002'))).toEqual({
      categories: ['UNDERPAID', 'QUANTITY_DIFFERS'],
      expected: '7300',
      paid: '6570',
      difference: '-730',
      disputeBy: '2017-11-14',
    });
    // T7003: 100 x 48 = 4800, O365's cap (25000) after 14600 + 7300 leaves 3100: Microsoft paid 3100 -> MATCHED.
    expect(view(item(p, 'T7003'))).toEqual({ categories: ['MATCHED'], expected: '3100', paid: '3100', difference: '0', disputeBy: null });
    // E7010 names only subscription S7010 + SKU + March 2017; E7011 only customer C702 + SKU + March: 150 x 75 = 11250 each.
    expect(item(p, 'T7010').key).toMatchObject({ level: 'subscription', subscriptionId: 'S7010', sku: 'CFQ7TTC0LHSL:0001', month: '2017-03' });
    expect(item(p, 'T7011').key).toMatchObject({ level: 'customer', customerId: 'C702', sku: 'CFQ7TTC0LHSL:0001', month: '2017-03' });
    expect(view(item(p, 'T7011'))).toMatchObject({ categories: ['MATCHED'], expected: '11250', paid: '11250' });
    // Azure: 3 x 200 = 600 earned, but the campaign cap (50000) takes all of it: rows that pay 0 and no earning make no item.
    expect(p.items.some((i) => i.key.service === 'Azure')).toBe(false);
    // 14600 + 7300 + 3100 + 11250 + 11250 + 2500 = 50000 expected; paid 50000 - 730 = 49270.
    expect([p.expected.toFixed(2), p.paid.toFixed(2), p.difference.toFixed(2)]).toEqual(['50000.00', '49270.00', '-730.00']);
  });

  it('Litware (1000006): a reversed payment pays nothing; Proseware below the minimum expects nothing', async () => {
    const r = await run();
    const p = partner(r, '1000006');
    // T6002: 6 x 35 = 210; E6002's payment was Reversed -> paid 0, -210.
    expect(view(item(p, 'T6002'))).toEqual({ categories: ['UNDERPAID', 'REVERSED'], expected: '210', paid: '0', difference: '-210', disputeBy: '2017-11-14' });
    expect(p.difference.toFixed(2)).toBe('-210.00');
    // Proseware (1000008): 3 x 5 x 20 = 300 < 500 minimum: nothing paid, nothing expected, no earning -> no items.
    expect(r.campaigns[0]!.partners.map((x) => x.partnerId)).toEqual(['1000001', '1000006', '1000007']);
    // 22 lines: 21 of Power Up (E1020 three times -> 19 earnings) and 1 of another program.
    expect([r.campaigns[0]!.lines, r.campaigns[0]!.earnings]).toEqual([21, 19]);
    expect(r.otherPrograms).toEqual({ lines: 1, programs: { 'Azure Migrate and Modernize': 1 } });
  });

  it('judges deadlines on --as-of', async () => {
    const before = partner(await run([EARNINGS], '2017-11-14'), '1000001');
    expect([before.disputeBy, before.deadlinePassed]).toEqual(['2017-11-14', false]);
    const after = partner(await run([EARNINGS], '2017-11-15'), '1000001');
    expect(after.deadlinePassed).toBe(true);
    // T1003's deadline (2017-12-15) is still open on 2017-11-15.
    expect(item(after, 'T1003').deadlinePassed).toBe(false);
  });

  it('reads TSV with other column spellings, and counts a repeated earningId once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'incent-earnings-'));
    const file = join(dir, 'earnings.tsv');
    // partnerId / customerTenantId / partNumber spellings; ISO dates; E1 repeated on two transactions.
    writeFileSync(
      file,
      [
        'EarningId\tPartnerId\tProgramName\tEngagementName\tEarningDate\tTransactionDate\tTransactionId\tCustomerTenantId\tPartNumber\tTransactionCurrency\tEarningAmount',
        'E1\t1000001\tCSP Power Up 2017\tPower Up - Office 365 seats\t2017-10-15\t2017-02-01\tT1001\tC101\tCFQ7TTC0LF8Q:0001\tUSD\t918.00',
        'E1\t1000001\tCSP Power Up 2017\tPower Up - Office 365 seats\t2017-10-15\t2017-03-05\tT1002\tC102\tCFQ7TTC0LF8S:0001\tUSD\t918.00',
      ].join('\n') + '\n',
    );
    const p = partner(await run([file]), '1000001');
    // T1001 480 + T1002 438 = 918 against E1 counted once (918, not 1836).
    expect(view(item(p, 'T1001'))).toMatchObject({ categories: ['MATCHED'], expected: '918', paid: '918' });
  });

  it('refuses what it cannot compare, naming file and line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'incent-earnings-'));
    const bad = (name: string, body: string) => {
      const f = join(dir, name);
      writeFileSync(f, body);
      return f;
    };
    const header = 'earningId,participantID,programName,lever,earningDate,transactionId,transactionCurrency,earningAmount,earningAmountUSD\n';
    const cases: [string, string, RegExp][] = [
      ['lever.csv', header + 'E1,1000001,CSP Power Up 2017,Power Up - Teams,10/15/2017,T1001,USD,1.00,\n', /lever\.csv.*line 2|"Power Up - Teams"/],
      ['amount.csv', header + 'E1,1000001,CSP Power Up 2017,Power Up - Office 365 seats,10/15/2017,T1001,USD,1.0.0,\n', /not a number/],
      ['currency.csv', header + 'E1,1000001,CSP Power Up 2017,Power Up - Office 365 seats,10/15/2017,T1001,EUR,1.00,\n', /cannot compare in USD/],
      [
        'twice.csv',
        header +
          'E1,1000001,CSP Power Up 2017,Power Up - Office 365 seats,10/15/2017,T1001,USD,1.00,\nE1,1000001,CSP Power Up 2017,Power Up - Office 365 seats,10/15/2017,T1002,USD,2.00,\n',
        /E1 is written differently/,
      ],
      ['columns.csv', 'id,amount\n1,2\n', /not an earnings export/],
      // A partner id a spreadsheet rewrote: its earnings would match none of incent's, each a false dispute.
      [
        'scientific.csv',
        header + 'E1,1.00E+06,CSP Power Up 2017,Power Up - Office 365 seats,10/15/2017,T1001,USD,1.00,\n',
        /participantid is a number in scientific notation/,
      ],
    ];
    for (const [name, body, message] of cases) {
      const err = await run([bad(name, body)]).catch((e: unknown) => e);
      expect(err, name).toBeInstanceOf(InvalidInputError);
      const d = (err as InvalidInputError).diagnostics[0]!;
      expect(d.file).toContain(name);
      expect(d.line, name).toBeGreaterThan(0);
      expect(`${d.message} ${d.expected ?? ''} ${d.found ?? ''}`, name).toMatch(message);
    }
  });

  it('CSV: an item a line, money exact', async () => {
    const lines = reconcileCsv(await run())
      .trim()
      .split('\n');
    // 11 items for Contoso, 3 for Litware, 6 for Woodgrove, plus the header.
    expect(lines).toHaveLength(1 + 11 + 3 + 6);
    expect(lines.find((l) => l.includes(',T1002,'))).toContain(',438.00,360.00,-78.00,USD,E1002,,2017-11-14,true,');
  });
});

describe('the reconcile: block', () => {
  it('validate checks that each lever names a service of the campaign, at its line', async () => {
    const { validate } = await import('../src/commands/validate.js');
    const dir = mkdtempSync(join(tmpdir(), 'incent-reconcile-block-'));
    const file = join(dir, 'c.yaml');
    writeFileSync(
      file,
      [
        'id: x',
        'currency: USD',
        'period: { start: 2017-02-01, end: 2017-06-30 }',
        'as_of: 2017-09-15',
        'services:',
        '  O365: { per_unit: { rates: { E3: 10 } } }',
        'reconcile:',
        '  program: P',
        '  levers:',
        '    "Seats": O365',
        '    "Teams": Teams',
        '',
      ].join('\n'),
    );
    const r = validate([file], 'json', false);
    expect(r.exitCode).toBe(1);
    expect(r.output).toContain('UNKNOWN_SERVICE');
    expect(r.output).toMatch(/"line": 11/);
  });
});

describe('reconcile through the binary', () => {
  const args = ['reconcile', '--rules', RULES, '--data', 'fixtures/demo', '--earnings', EARNINGS, '--as-of', '2017-11-20'];

  it('exits 0 with differences, 1 with --exit-code; the table names the short earning and its deadline', async () => {
    const r = await runCli(args);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /UNDERPAID, RATE_DIFFERS {2}O365 T1002 \(earning E1002\): expected 438\.00, paid 360\.00, difference -78\.00; dispute by 2017-11-14 \(passed\)/,
    );
    expect((await runCli([...args, '--exit-code'])).code).toBe(1);
  });

  it('JSON carries schemaVersion and money as strings; --out-dir writes a dispute pack per partner', async () => {
    const json = JSON.parse((await runCli([...args, '--format', 'json'])).stdout) as {
      schemaVersion: number;
      campaigns: { partners: { partnerId: string; difference: string }[] }[];
    };
    expect(json.schemaVersion).toBe(1);
    expect(json.campaigns[0]!.partners.map((p) => [p.partnerId, p.difference])).toEqual([
      ['1000001', '65.60'],
      ['1000006', '-210.00'],
      ['1000007', '-730.00'],
    ]);
    const dir = mkdtempSync(join(tmpdir(), 'incent-disputes-'));
    expect((await runCli([...args, '--format', 'html', '--out-dir', dir])).code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['csp-power-up-2017-1000001.html', 'csp-power-up-2017-1000006.html', 'csp-power-up-2017-1000007.html']);
    const html = readFileSync(join(dir, 'csp-power-up-2017-1000007.html'), 'utf8');
    expect(html).toContain('UNDERPAID, QUANTITY_DIFFERS');
    expect(html).not.toMatch(/<script/i);
  });

  it('reads the export from standard input (-) and from a glob alike', async () => {
    const fromStdin = await runCli(['reconcile', '--rules', RULES, '--data', 'fixtures/demo', '--earnings', '-', '--as-of', '2017-11-20', '--format', 'csv'], {
      input: readFileSync(EARNINGS),
    });
    const fromGlob = await runCli([
      'reconcile',
      '--rules',
      RULES,
      '--data',
      'fixtures/demo',
      '--earnings',
      'fixtures/earnings/power-up-*.csv',
      '--as-of',
      '2017-11-20',
      '--format',
      'csv',
    ]);
    expect(fromStdin.code).toBe(0);
    expect(fromStdin.stdout).toBe(fromGlob.stdout);
    expect(fromStdin.stdout.trim().split('\n')).toHaveLength(21);
  });

  it('--out-dir without --format html is a wrong command line (exit 2)', async () => {
    expect((await runCli([...args, '--out-dir', 'x'])).code).toBe(2);
  });
});

describe('reconcileCampaign: amounts no row carries', () => {
  it('compares tier pay and rounding per partner and service against earnings that name no row', async () => {
    const { reconcileCampaign } = await import('../src/reconcile/match.js');
    const { campaignFromYaml } = await import('./helpers.js');
    const { Decimal, ZERO } = await import('../src/money/index.js');
    const c = campaignFromYaml(
      [
        'id: t',
        'currency: USD',
        'period: { start: 2017-02-01, end: 2017-06-30 }',
        'as_of: 2017-09-15',
        'services:',
        '  O365: { per_unit: { rates: { E3: 10 } } }',
        'reconcile: { program: P, levers: { Seats: O365 } }',
        '',
      ].join('\n'),
    );
    const d = (s: string) => new Decimal(s);
    // One row earning 10 x 10 = 100, and a service line (a tier's pay) of 250: the partner's total is 350.
    const row = {
      kind: 'row' as const,
      campaign: 't',
      partner: 'P1',
      service: 'O365',
      customer: 'C1',
      transactionId: 'T1',
      date: '2017-03-01',
      sku: 'E3',
      status: 'earned' as const,
      detail: '10 x 10 = 100 USD',
      units: 10,
      rate: d('10'),
      amount: d('100'),
      trimmed: ZERO,
      paid: d('100'),
    };
    const tier = {
      kind: 'service' as const,
      campaign: 't',
      partner: 'P1',
      service: 'O365',
      status: 'adjustment' as const,
      detail: 'tier 2 pays 250',
      amount: d('250'),
      trimmed: ZERO,
      paid: d('250'),
    };
    const line = (earningId: string, transactionId: string, amount: string) =>
      ({
        file: 'e.csv',
        line: 2,
        earningId,
        partnerId: 'P1',
        programName: 'P',
        lever: 'Seats',
        engagementName: '',
        transactionId,
        lineItemId: '',
        subscriptionId: '',
        customerId: '',
        productId: '',
        skuId: '',
        partNumber: transactionId ? 'E3' : '',
        transactionCurrency: 'USD',
        lastPaymentCurrency: '',
        earningAmount: d(amount),
        earningAmountUSD: null,
        earningAmountInLastPaymentCurrency: null,
        earningRate: null,
        earningExchangeRate: null,
        quantity: null,
        transactionAmount: null,
        transactionAmountUSD: null,
        earningDate: '2017-10-01',
        transactionDate: transactionId ? '2017-03-01' : null,
        calculationDate: null,
        exchangeRateDate: null,
        paymentStatus: 'Sent',
        transactionType: '',
        reasonCode: '',
        earningType: 'REBATE',
        invoiceNumber: '',
        orderId: '',
        participantName: '',
        resellerId: '',
        resellerName: '',
        paymentId: '',
        paymentStatusDescription: '',
      }) as never;
    const r = reconcileCampaign(
      { campaign: c, spec: c.reconcile!, partners: [{ partnerId: 'P1', status: 'payable', events: [row, tier] }] },
      [line('E1', 'T1', '100.00'), line('E2', '', '200.00')],
      '2017-10-15',
    );
    const p = r.partners[0]!;
    // The row matches (100 = 100); the partner-level item: incent 250, Microsoft 200 (E2 names no transaction) -> -50, due 2017-10-01 + 30 = 2017-10-31.
    const level = p.items.find((i) => i.key.level === 'partner')!;
    expect([level.categories, level.expected?.toString(), level.paid?.toString(), level.difference.toString(), level.disputeBy]).toEqual([
      ['UNDERPAID'],
      '250',
      '200',
      '-50',
      '2017-10-31',
    ]);
    expect(p.items.find((i) => i.key.transactionId === 'T1')!.categories).toEqual(['MATCHED']);
    expect(p.expected.toString()).toBe('350');
  });
});
