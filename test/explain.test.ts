/**
 * incent explain, calc --explain, incent progress and the HTML page on the demo data,
 * with the traces worked out by hand from rules/csp-power-up-2017.yaml; and a property:
 * a partner's explained items always add up to what calc pays it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { Evaluator } from '../src/engine/evaluate.js';
import { allocate } from '../src/engine/allocate.js';
import type { TxRow } from '../src/engine/types.js';
import { Decimal, ZERO } from '../src/money/index.js';
import { campaignFromYaml, runCli, tempDir, tx, type CliRun } from './helpers.js';

const DEMO = ['--rules', 'rules/csp-power-up-2017.yaml', '--data', 'fixtures/demo'];

interface Ev {
  transactionId?: string;
  reason?: string;
  detail: string;
  amount: string;
  trimmed: string;
  paid: string;
  status: string;
  kind: string;
  service?: string;
}
interface Story {
  id: string;
  status: string;
  total: string;
  paidByItems: string;
  services: {
    service: string;
    qualified: boolean;
    gate: { customersNeeded: number; customersReached: number; why?: string };
    customers: { customerId: string; qualified: boolean; reason?: string; detail?: string }[];
  }[];
  earned: Ev[];
  excluded: Record<string, Ev[]>;
  lines: Ev[];
}

async function explainJson(partner: string, extra: string[] = []): Promise<Story> {
  const r = await runCli(['explain', '--partner', partner, ...DEMO, '--format', 'json', ...extra]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return (JSON.parse(r.stdout) as { campaigns: Story[] }).campaigns[0]!;
}

describe('incent explain on the demo', () => {
  it('a row trimmed by a cap shows the trimmed amount and the paid remainder (1000007)', async () => {
    const s = await explainJson('1000007');
    const row = (id: string) => s.earned.find((e) => e.transactionId === id)!;
    // O365 earns 14600 + 7300 + 4800 = 26700 > cap 25000: the latest row, T7003 (2017-02-12), gives up 1700.
    expect(row('T7003')).toMatchObject({ amount: '4800', trimmed: '-1700', paid: '3100' });
    expect(row('T7001')).toMatchObject({ amount: '14600', trimmed: '0', paid: '14600' });
    // D365 earns 11250 + 11250 + 6000 = 28500 > 25000: T7012 (2017-03-12) gives up 3500 and keeps 2500.
    expect(row('T7012')).toMatchObject({ amount: '6000', trimmed: '-3500', paid: '2500' });
    // Campaign cap: 25000 + 25000 + 600 = 50600 > 50000; the latest rows are Azure's three 200s (2017-04-30).
    for (const id of ['T7020', 'T7021', 'T7022']) expect(row(id)).toMatchObject({ amount: '200', trimmed: '-200', paid: '0' });
    expect(s.paidByItems).toBe('50000.00');
    expect(s.total).toBe('50000.00');
  });

  it("a not-net-new customer's row names the earlier row that made it so (1000001, C106)", async () => {
    const s = await explainJson('1000001');
    const t1009 = s.excluded.CUSTOMER_NOT_NET_NEW!.find((e) => e.transactionId === 'T1009')!;
    expect(t1009.detail).toBe('customer C106 already had O365: row T1008 on 2017-01-20, before the period starts 2017-02-01');
  });

  it('an earning row shows its arithmetic, FX rate and source (1000001)', async () => {
    const s = await explainJson('1000001');
    const e = (id: string) => s.earned.find((x) => x.transactionId === id)!;
    // T1003: 5 E1 seats x 20
    expect(e('T1003').detail).toBe('5 x 20 = 100 USD');
    // C102's Azure is £800 at the campaign's fixed 1.24 = $992 x 20% = 198.4
    const gbp = s.earned.find((x) => x.detail.startsWith('800.00 GBP'))!;
    expect(gbp.detail).toBe('800.00 GBP x 1.24 (campaign fx.fixed GBP) = 992 USD x 20% = 198.4');
    // 1162 + 25000 + 716.40
    expect(s.paidByItems).toBe('26878.40');
  });

  it('says which gate failed and by how much (1000002)', async () => {
    const s = await explainJson('1000002');
    const o365 = s.services.find((x) => x.service === 'O365')!;
    expect(o365).toMatchObject({ qualified: false, gate: { customersNeeded: 3, customersReached: 2 } });
    expect(o365.customers.find((c) => c.customerId === 'C203')).toMatchObject({
      qualified: false,
      reason: 'CUSTOMER_BELOW_MINIMUM',
      detail: 'customer C203 has 4 net seats on 2017-09-15; needs at least 5 (1 more)',
    });
    expect(s.excluded.SERVICE_NOT_QUALIFIED!.map((e) => e.transactionId)).toEqual(['T2001', 'T2002']);
  });

  it('--customer narrows the rows; csv lists every event; an unknown partner is an error', async () => {
    const s = await explainJson('1000002', ['--customer', 'C203']);
    expect(
      Object.values(s.excluded)
        .flat()
        .map((e) => e.transactionId),
    ).toEqual(['T2003']);
    const csv = await runCli(['explain', '--partner', '1000008', ...DEMO, '--format', 'csv']);
    expect(csv.stdout.split('\n')[0]).toBe(
      'campaign_id,partner_id,kind,status,reason,service,customer_id,transaction_id,file,line,date,sku,units,rate,fx_rate,fx_source,amount,trimmed,paid,detail',
    );
    // Proseware: 3 rows of 5 EMS E3 at 20 = 300 < 500: three earned rows and the minimum line taking 300 back
    expect(csv.stdout).toContain('partner,minimum,,,,,,,,,,,,,-300,0,-300,300.00 USD is below the minimum payout: forfeited');
    const unknown = await runCli(['explain', '--partner', '9999999', ...DEMO]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('UNKNOWN_PARTNER');
  });
});

describe('explain on usage', () => {
  it('a superseded count names the count that replaces it; a customer line carries the pay', async () => {
    const r = await runCli(['explain', '--partner', '4000001', '--rules', 'rules/online-services-usage.yaml', '--data', 'fixtures/demo', '--format', 'json']);
    const s = (JSON.parse(r.stdout) as { campaigns: Story[] }).campaigns[0]!;
    expect(s.excluded.SUPERSEDED![0]!.detail).toBe('deployed_licenses = 380 on 2018-06-15; the count of 2018-06-29 (line 9, 390) replaces it');
    // OS03's Intune: 390 x 0.25 = 97.5
    expect(s.lines.find((l) => l.service === 'Intune')).toMatchObject({ kind: 'customer', amount: '97.5', paid: '97.5' });
    expect(s.paidByItems).toBe('221.50');
  });
});

describe('calc --explain FILE', () => {
  it('writes one event per row per campaign, and the paid items add up to every payout', async () => {
    const dir = tempDir();
    const trace = join(dir, 'trace.csv');
    const r = await runCli(['calc', '--rules', 'rules', '--data', 'fixtures/demo', '--format', 'json', '--explain', trace]);
    expect(r.code).toBe(0);
    const calc = JSON.parse(r.stdout) as {
      campaigns: { id: string; rows: { read: number }; partners: { partnerId: string; status: string; total: string }[] }[];
    };
    const lines = readFileSync(trace, 'utf8').trim().split('\n').slice(1);
    const cells = lines.map((l) => l.match(/("([^"]|"")*"|[^,]*)(,|$)/g)!.map((c) => c.replace(/,$/, '')));
    for (const c of calc.campaigns) {
      const mine = cells.filter((x) => x[0] === c.id);
      expect(mine.filter((x) => x[2] === 'row')).toHaveLength(c.rows.read);
      for (const p of c.partners) {
        const paid = mine.filter((x) => x[1] === p.partnerId).reduce((a, x) => a.plus(new Decimal(x[18]!)), ZERO);
        expect(paid.toFixed(2)).toBe(p.status === 'payable' ? p.total : '0.00');
      }
    }
  });

  it('gives every row the same paid share as explain, capped partners included', async () => {
    const trace = join(tempDir(), 'trace.csv');
    expect((await runCli(['calc', ...DEMO, '--explain', trace])).code).toBe(0);
    const fromFile = new Map(
      readFileSync(trace, 'utf8')
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => l.split(','))
        .filter((c) => c[7])
        .map((c) => [c[7]!, `${c[17]} ${c[18]}`]),
    );
    for (const partner of ['1000001', '1000006', '1000007', '1000008']) {
      for (const e of (await explainJson(partner)).earned) expect(fromFile.get(e.transactionId!)).toBe(`${e.trimmed} ${e.paid}`);
    }
  });

  it('writes JSON Lines for .jsonl', async () => {
    const trace = join(tempDir(), 'trace.jsonl');
    expect((await runCli(['calc', ...DEMO, '--explain', trace])).code).toBe(0);
    const events = readFileSync(trace, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { campaign: string; transactionId?: string; paid: string; detail: string });
    // 69 rows, plus summary lines
    expect(events.filter((e) => e.transactionId)).toHaveLength(69);
    // T1001: C101 10 E3 seats x 48 (the removal T1006 nets on its own row)
    expect(events.find((e) => e.transactionId === 'T1001')).toMatchObject({ campaign: 'csp-power-up-2017', paid: '480', detail: '10 x 48 = 480 USD' });
  });
});

describe('incent progress', () => {
  it('says exactly how many seats or customers are missing, closest first', async () => {
    const r = await runCli(['progress', ...DEMO, '--format', 'json']);
    expect(r.code).toBe(0);
    const { partners } = JSON.parse(r.stdout) as {
      partners: { partnerId: string; nudges: { text: string; distance: number }[]; minimumGap?: string; services: { service: string; capRoom?: string }[] }[];
    };
    const fabrikam = partners.find((p) => p.partnerId === '1000002')!;
    expect(fabrikam.nudges.map((n) => n.text).slice(0, 2)).toEqual([
      'O365: customer C203 has 4 seats, 1 more qualifies it',
      'O365: 1 more qualifying customer (2 of 3)',
    ]);
    // Proseware: 300 of a 500 minimum
    expect(partners.find((p) => p.partnerId === '1000008')!.minimumGap).toBe('200.00');
    // Contoso: O365 1162 of 25000 leaves 23838.00
    expect(partners.find((p) => p.partnerId === '1000001')!.services.find((s) => s.service === 'O365')!.capRoom).toBe('23838.00');
    // closest first: C105 / C203 need 1 seat of 5 (0.2) before anything further away
    expect(partners[0]!.nudges[0]!.distance).toBe(0.2);
    const distances = partners.map((p) => p.nudges[0]?.distance ?? Infinity);
    expect([...distances].sort((a, b) => a - b)).toEqual(distances);
  });
});

const chromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));

describe('calc --format html', () => {
  const out = join(tempDir(), 'report.html');
  let r: CliRun;
  let html: string;
  /** Every shipped campaign's page (DEMO is Power Up's). */
  let all: string;
  beforeAll(async () => {
    r = await runCli(['calc', ...DEMO, '--format', 'html', '--out', out]);
    html = readFileSync(out, 'utf8');
    all = (await runCli(['calc', '--rules', 'rules', '--data', 'fixtures/demo', '--format', 'html'])).stdout;
  });

  it('is one self-contained page: no script, no external resource', () => {
    expect(r.code).toBe(0);
    expect(html).not.toMatch(/<script|<link|src=|https?:\/\//i);
  });

  it.skipIf(!chromium)('renders in headless Chromium with the totals, meters against caps and excluded rows', () => {
    const dom = execFileSync(chromium!, ['--headless', '--no-sandbox', '--disable-gpu', '--dump-dom', `file://${out}`], {
      encoding: 'utf8',
      timeout: 60_000,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const row = (id: string) => dom.match(new RegExp(`<tr data-partner="${id}">([\\s\\S]*?)</tr>`))![1]!;
    expect(row('1000001')).toContain('26,878.40');
    expect(row('1000006')).toContain('466.67 GBP');
    expect(dom).toMatch(/<tr data-reason="AFTER_AS_OF"><th scope="row"><code>AFTER_AS_OF<\/code><\/th><td class="num">21<\/td>/);
  });

  /** Power Up's section, and one partner's row in it. */
  const powerUp = () => html.match(/<section id="csp-power-up-2017">([\s\S]*?)<\/section>/)![1]!;
  const row = (section: string, id: string) => section.match(new RegExp(`<tr data-partner="${id}">([\\s\\S]*?)</tr>`))![1]!;

  it('totals with thousands separators, and the campaign cap marked where it trims', () => {
    // Contoso: 1,162.00 + 25,000.00 + 716.40 = 26,878.40
    expect(row(powerUp(), '1000001')).toContain('<td class="num total">26,878.40</td>');
    // Woodgrove: 25,000.00 (O365) + 25,000.00 (D365) + 600.00 (Azure) = 50,600.00 earned, cut to the 50,000.00 campaign cap
    expect(row(powerUp(), '1000007')).toMatch(
      /<td class="num total">50,000.00<br><small class="campaign-cap"[^>]*>campaign cap: 50,600.00 earned<\/small><\/td>/,
    );
  });

  it('what is paid, per payout currency (none left out)', () => {
    // USD: Contoso 26,878.40 + Woodgrove 50,000.00 = 76,878.40; GBP: Litware 630.00 / 1.35 = 466.67
    expect(powerUp()).toContain('paid: <span class="paid" data-currency="USD">76,878.40 USD</span> + <span class="paid" data-currency="GBP">466.67 GBP</span>');
  });

  it('a meter only where a cap exists, with the cap marked; a gate meter where a service is short of customers', () => {
    // Woodgrove's O365 is at its 25,000.00 cap: 100%
    expect(row(powerUp(), '1000007')).toMatch(
      /data-service="O365"><span class="amount">25,000.00<\/span> <span class="capped"[^>]*>capped<\/span><br><svg class="meter cap"[^>]*aria-label="25,000.00 of 25,000.00"/,
    );
    expect(row(powerUp(), '1000007')).toContain('<small>100% of cap 25,000.00</small>');
    // Contoso's EMS has 2 of the 3 customers it needs
    expect(row(powerUp(), '1000001')).toMatch(/data-service="EMS">not qualified<br><svg class="meter gate"[^>]*aria-label="2 of 3 customers"/);
    // The per-SKU campaign has no cap and no customer gate: no meter, no "0 of 0 customers"
    const perSku = all.match(/<section id="ca-dollar-per-sku-2018q1">([\s\S]*?)<\/section>/)![1]!;
    expect(perSku).not.toMatch(/class="meter/);
    expect(perSku).not.toContain('0 of 0 customers');
  });

  it('a tier ladder for a tiered service, and every row accounted for in a picture', () => {
    // ca-frequency: a partner with 4 new customers has reached the tier at 3 and is 1 short of the tier at 5
    expect(all).toMatch(/<svg class="ladder"[^>]*aria-label="4 customers counted; the tier at 3 reached; the tier at 5 needs 1 more"/);
    // Power Up: 69 rows, 26 used, 43 excluded
    expect(powerUp()).toContain('aria-label="69 rows: 26 used, 43 excluded"');
  });
});

const campaign = campaignFromYaml(`
id: prop
currency: USD
period: { start: 2017-02-01, end: 2017-06-30 }
as_of: 2017-09-15
fx: { fixed: { EUR: 1.0837 } }
services:
  O365:
    per_unit: { rates: { E3: 73, E1: 20.5 }, max_units: 40, per: customer }
    qualify: { customers: { at_least: 2 }, units_per_customer: { at_least: 5 } }
    cap: 2500
  Azure:
    percent_of_revenue: { percent: 17.5, skus: [AZ] }
    qualify: { customers: { at_least: 1 }, revenue_per_customer: { at_least: 50 } }
    cap: 900
cap: 3000
minimum_payout: 100
`);

const rowArb = fc
  .record({
    partner: fc.constantFrom('P1', 'P2'),
    customer: fc.constantFrom('C1', 'C2', 'C3', 'C4'),
    date: fc.constantFrom('2017-01-31', '2017-02-01', '2017-04-15', '2017-06-30', '2017-08-20'),
    kind: fc.constantFrom('E3', 'E1', 'AZ'),
    quantity: fc.integer({ min: -10, max: 60 }),
    cents: fc.integer({ min: -5_000, max: 300_000 }),
    eur: fc.boolean(),
  })
  .map((r): TxRow => {
    const amount = `${r.cents < 0 ? '-' : ''}${Math.floor(Math.abs(r.cents) / 100)}.${String(Math.abs(r.cents) % 100).padStart(2, '0')}`;
    return r.kind === 'AZ'
      ? { ...tx({ partnerId: r.partner, customerId: r.customer, date: r.date, sku: 'AZ', amount }), currency: r.eur ? 'EUR' : 'USD' }
      : tx({ partnerId: r.partner, customerId: r.customer, date: r.date, sku: r.kind, quantity: r.quantity });
  });

describe('property: explain adds up to calc', () => {
  it("a partner's explained items sum to its payout, whatever the rows", () => {
    fc.assert(
      fc.property(fc.array(rowArb, { maxLength: 50 }), (rows) => {
        const ev = new Evaluator([campaign], { keepVerdicts: true });
        for (const r of rows) ev.add(r);
        const result = ev.finish().campaigns[0]!;
        const run = ev.settled[0]!;
        for (const p of result.partners) {
          const rowEvents = rows.flatMap((r) => ev.explainTx(r)).filter((e) => e.partner === p.partnerId);
          const summary = run.summaryItems(p.partnerId);
          const items = [...rowEvents, ...summary].filter((e) => !e.amount.isZero());
          const lines = allocate('prop', 'USD', p, items);
          const paid = [...rowEvents, ...summary, ...lines].reduce((a, e) => a.plus(e.paid), ZERO);
          expect(paid.toFixed(2)).toBe(p.status === 'payable' ? p.payout.toFixed(2) : '0.00');
          // caps only ever take from positive items, and never more than they earned
          for (const e of items) {
            if (e.amount.isNegative()) expect(e.paid.eq(e.amount)).toBe(true);
            else expect(e.paid.gte(0) && e.paid.lte(e.amount)).toBe(true);
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});
