/**
 * incent payout: month-by-month runs against a real SQLite ledger, worked out by hand
 * from a campaign paying $10 per E3 seat with a $200 minimum that carries forward.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { runCli, startCli, tempDir, type CliRun } from './helpers.js';

const CAMPAIGN = `id: monthly
currency: USD
period: { start: 2018-01-01, end: 2018-12-31 }
as_of: 2018-12-31
services:
  O365: { per_unit: { rates: { E3: 10 } } }
minimum_payout: { amount: 200, below: carry_forward }
`;
const HEADER = 'transaction_id,date,partner_id,customer_id,sku,license_program,quantity\n';
const JAN = 'T1,2018-01-10,P1,C1,E3,CSP,15\n'; // 15 x 10 = 150
const FEB = 'T2,2018-02-05,P1,C2,E3,CSP,10\n'; // +100 = 250
const MAR = 'T3,2018-03-03,P1,C2,E3,CSP,-5\n'; // -50 = 200

async function world() {
  const dir = tempDir();
  writeFileSync(join(dir, 'monthly.yaml'), CAMPAIGN);
  const month = (name: string, rows: string) => {
    mkdirSync(join(dir, name));
    writeFileSync(join(dir, name, 'transactions.csv'), HEADER + rows);
    return join(dir, name);
  };
  const data = { jan: month('jan', JAN), feb: month('feb', JAN + FEB), mar: month('mar', JAN + FEB + MAR) };
  const ledger = join(dir, 'ledger.db');
  await runCli(['payout', 'init', '--ledger', ledger]);
  const args = (period: string, data: string, extra: string[] = []) => [
    'payout',
    'run',
    '--period',
    period,
    '--rules',
    join(dir, 'monthly.yaml'),
    '--data',
    data,
    '--ledger',
    ledger,
    ...extra,
  ];
  const show = async (id: number) =>
    JSON.parse((await runCli(['payout', 'show', String(id), '--ledger', ledger, '--format', 'json'])).stdout) as {
      run: { id: number; status: string; supersedes: number | null; reason: string | null };
      lines: {
        partnerId: string;
        status: string;
        action: string;
        reason: string | null;
        earnedToDate: string;
        paidBefore: string;
        amount: string;
        carriedForward: string;
        delta: string | null;
      }[];
    };
  const runs = async () =>
    (
      JSON.parse((await runCli(['payout', 'list', '--ledger', ledger, '--format', 'json'])).stdout) as {
        runs: { id: number; period: string; status: string }[];
      }
    ).runs;
  return { dir, data, ledger, args, show, runs };
}

describe('monthly payout runs', () => {
  // Each test starts from its own ledger holding January, February and March, so any one runs alone.
  let w: Awaited<ReturnType<typeof world>>;
  let jan: CliRun, feb: CliRun, mar: CliRun;
  beforeEach(async () => {
    w = await world();
    jan = await runCli(w.args('2018-01', w.data.jan));
    feb = await runCli(w.args('2018-02', w.data.feb));
    mar = await runCli(w.args('2018-03', w.data.mar));
  });

  it('month 1 is below the minimum: carried forward, nothing paid', async () => {
    expect(jan.code).toBe(0);
    // 15 x 10 = 150.00 < 200
    expect((await w.show(1)).lines[0]).toMatchObject({
      status: 'below_minimum',
      action: 'carried_forward',
      reason: 'BELOW_MINIMUM',
      earnedToDate: '150.00',
      paidBefore: '0.00',
      amount: '0.00',
      carriedForward: '150.00',
    });
  });

  it('month 2 crosses it and pays the sum', async () => {
    expect(feb.code).toBe(0);
    // (15 + 10) x 10 = 250.00 earned, nothing paid before: pay 250.00
    expect((await w.show(2)).lines[0]).toMatchObject({
      status: 'payable',
      action: 'pay',
      reason: null,
      earnedToDate: '250.00',
      paidBefore: '0.00',
      amount: '250.00',
      carriedForward: '0.00',
    });
  });

  it('month 3 claws back a cancellation', async () => {
    expect(mar.code).toBe(0);
    // 5 seats cancelled: (25 - 5) x 10 = 200.00 earned, 250.00 paid: -50.00
    expect((await w.show(3)).lines[0]).toMatchObject({
      status: 'payable',
      action: 'claw_back',
      reason: 'EARNED_TO_DATE_DECREASED',
      earnedToDate: '200.00',
      paidBefore: '250.00',
      amount: '-50.00',
    });
  });

  it('an identical re-run changes nothing and says so', async () => {
    const again = await runCli(w.args('2018-03', w.data.mar));
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('period 2018-03 is already recorded by run 3 from identical inputs: nothing changed');
    expect(await w.runs()).toHaveLength(3);
  });

  it('a re-run with other inputs is refused, then recorded as a correction with --supersede', async () => {
    writeFileSync(join(w.data.mar, 'transactions.csv'), HEADER + JAN + FEB + 'T3,2018-03-03,P1,C2,E3,CSP,-8\n');
    const refused = await runCli(w.args('2018-03', w.data.mar));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('period 2018-03 is already recorded by run 3 from other inputs');
    expect(refused.stderr).toMatch(/changed transactions .*mar\/transactions\.csv: sha256 [0-9a-f]{12} -> [0-9a-f]{12}/);
    expect(await w.runs()).toHaveLength(3);
    const fixed = await runCli(w.args('2018-03', w.data.mar, ['--supersede', '--reason', 'distributor resent March']));
    expect(fixed.code).toBe(0);
    // (25 - 8) x 10 = 170.00 earned, 250.00 paid: -80.00, which is -30.00 more than run 3's -50.00
    const run4 = await w.show(4);
    expect(run4.run).toMatchObject({ status: 'recorded', supersedes: 3, reason: 'distributor resent March' });
    expect(run4.lines[0]).toMatchObject({ amount: '-80.00', delta: '-30.00' });
    expect((await w.show(3)).run.status).toBe('superseded');
  });

  it('verify recomputes a run and names a changed input by its hash', async () => {
    expect((await runCli(['payout', 'verify', '2', '--rules', join(w.dir, 'monthly.yaml'), '--data', w.data.feb, '--ledger', w.ledger])).stdout).toContain(
      'run 2 verified',
    );
    writeFileSync(join(w.data.feb, 'transactions.csv'), HEADER + JAN + 'T2,2018-02-05,P1,C2,E3,CSP,11\n');
    const bad = await runCli(['payout', 'verify', '2', '--rules', join(w.dir, 'monthly.yaml'), '--data', w.data.feb, '--ledger', w.ledger]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/changed transactions .*feb\/transactions\.csv: sha256/);
    // 26 x 10 = 260.00 now, 250.00 recorded
    expect(bad.stdout).toContain('monthly P1 earned_to_date: recorded 250.00, recomputed 260.00');
  });

  it('a statement says what the partner is paid and why', async () => {
    const s = await runCli(['payout', 'statement', '2', '--partner', 'P1', '--ledger', w.ledger]);
    expect(s.stdout).toContain('monthly (USD): this run pays 250.00 USD; payout 250.00 USD');
    expect(s.stdout).toMatch(/paid before\s+0\.00/);
    const html = (await runCli(['payout', 'statement', '2', '--partner', 'P1', '--ledger', w.ledger, '--format', 'html'])).stdout;
    expect(html).toContain('<h1>Statement for P1</h1>');
    expect(html).toContain('<tr><th>This run</th><td class="num">250.00</td></tr>');
  });

  it('a statement carries its header, the reason for a claw back and the total', async () => {
    const partners = join(w.dir, 'partners.csv');
    writeFileSync(partners, 'partner_id,name,country,role\nP1,Contoso Cloud,US,direct\n');
    const s = await runCli([
      'payout',
      'statement',
      '3',
      '--partner',
      'P1',
      '--ledger',
      w.ledger,
      '--partners',
      partners,
      '--payer',
      'Alpine Distribution',
      '--date',
      '2018-04-02',
    ]);
    expect(s.code).toBe(0);
    const lines = s.stdout.split('\n');
    expect(lines[0]).toBe('Statement for P1 Contoso Cloud: run 3, period 2018-03, as of 2018-03-31');
    expect(lines[1]).toBe('From Alpine Distribution; statement date 2018-04-02; payment reference 2018-03-P1-run3');
    // A run of period 2018-03 computes as of the month's last day. March: 200.00 earned to date (250 - 5 seats x 10), 250.00 paid before: claws back 50.00.
    expect(s.stdout).toContain('monthly (USD): this run claws back 50.00 USD (EARNED_TO_DATE_DECREASED: what the partner has earned to date went down');
    expect(s.stdout).toContain('Total this run: -50.00 USD');
    const html = (
      await runCli(['payout', 'statement', '3', '--partner', 'P1', '--ledger', w.ledger, '--partners', partners, '--format', 'html', '--reference', 'PAY-0042'])
    ).stdout;
    expect(html).toContain('<h1>Statement for P1 Contoso Cloud</h1>');
    expect(html).toContain('payment reference PAY-0042');
    expect(html).toContain('<tr><th>Total this run</th><td class="num">-50.00 USD</td></tr>');
    expect(html).toContain('@page');
  });
});

describe('the payment file', () => {
  it('neutralises spreadsheet formulas and keeps exact digits', async () => {
    const w = await world();
    writeFileSync(
      join(w.data.jan, 'transactions.csv'),
      HEADER + 'T1,2018-01-10,"=HYPERLINK(""http://x"")",C1,E3,CSP,25\nT2,2018-01-10,@SUM(A1),C1,E3,CSP,30\n',
    );
    expect((await runCli(w.args('2018-01', w.data.jan))).code).toBe(0);
    const out = join(w.dir, 'pay.csv');
    expect((await runCli(['payout', 'export', '1', '--lines', '--ledger', w.ledger, '--format', 'csv', '--out', out])).code).toBe(0);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines[0]).toBe(
      'run_id,period,campaign_id,partner_id,status,action,reason,earned_to_date,paid_before,amount,carried_forward,currency,payout_amount,payout_currency,delta',
    );
    // 25 x 10 = 250.00 and 30 x 10 = 300.00, each paid in full
    expect(lines).toContain(`1,2018-01,monthly,"'=HYPERLINK(""http://x"")",payable,pay,,250.00,0.00,250.00,0.00,USD,250.00,USD,`);
    expect(lines).toContain("1,2018-01,monthly,'@SUM(A1),payable,pay,,300.00,0.00,300.00,0.00,USD,300.00,USD,");
    // By default a payment per payee and currency: 250.00 and 300.00 USD; in JSON with the run's total, 550.00 USD.
    const payees = (await runCli(['payout', 'export', '1', '--ledger', w.ledger])).stdout.trim().split('\n');
    expect(payees).toEqual([
      'run_id,period,partner_id,partner_name,payout_amount,payout_currency,campaigns,lines',
      `1,2018-01,"'=HYPERLINK(""http://x"")",,250.00,USD,monthly,1`,
      "1,2018-01,'@SUM(A1),,300.00,USD,monthly,1",
    ]);
    const json = JSON.parse((await runCli(['payout', 'export', '1', '--ledger', w.ledger, '--format', 'json'])).stdout) as { totals: unknown };
    expect(json.totals).toEqual([{ currency: 'USD', amount: '550.00' }]);
  });
});

const start = startCli;

describe('crashes and races', () => {
  it('kill -9 inside the write transaction leaves the ledger as it was', async () => {
    const w = await world();
    expect((await runCli(w.args('2018-01', w.data.jan))).code).toBe(0);
    const p = start(w.args('2018-02', w.data.feb), { INCENT_TEST_PAUSE_IN_TX_MS: '20000' }, 'holding the ledger transaction');
    await p.seen;
    p.child.kill('SIGKILL');
    expect((await p.done).signal).toBe('SIGKILL');
    expect((await w.runs()).map((r) => r.period)).toEqual(['2018-01']);
    // and the next attempt records February normally
    expect((await runCli(w.args('2018-02', w.data.feb))).code).toBe(0);
    expect((await w.show(2)).lines[0]).toMatchObject({ amount: '250.00' });
  }, 60_000);

  it('two runs of one period at once: the second waits, then finds the first and records nothing', async () => {
    const w = await world();
    const a = start(w.args('2018-01', w.data.jan), { INCENT_TEST_PAUSE_IN_TX_MS: '1500' }, 'holding the ledger transaction');
    await a.seen;
    const b = start(w.args('2018-01', w.data.jan, ['--busy-timeout', '20000']));
    const [ra, rb] = await Promise.all([a.done, b.done]);
    expect(ra.code).toBe(0);
    expect(rb.code).toBe(0);
    expect(rb.stdout).toContain('already recorded by run 1 from identical inputs');
    expect(await w.runs()).toHaveLength(1);
  }, 60_000);

  it('a run that cannot wait long enough fails clearly and records nothing', async () => {
    const w = await world();
    const a = start(w.args('2018-01', w.data.jan), { INCENT_TEST_PAUSE_IN_TX_MS: '3000' }, 'holding the ledger transaction');
    await a.seen;
    const b = start(w.args('2018-01', w.data.jan, ['--busy-timeout', '100']));
    const rb = await b.done;
    await a.done;
    expect(rb.code).toBe(1);
    expect(rb.stderr).toContain('is busy: another payout run holds it');
    expect(await w.runs()).toHaveLength(1);
  }, 60_000);
});
