/** Statement rendering from ledger lines: what is left out, and totals per payout currency. */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from './helpers.js';
import { isEmptyLine, statementText, type StatementLine } from '../src/report/statement.js';

const line = (p: Partial<StatementLine>): StatementLine => ({
  campaign_id: 'c',
  currency: 'USD',
  action: 'pay',
  reason: null,
  earned_to_date: '0.00',
  paid_before: '0.00',
  amount: '0.00',
  carried_forward: '0.00',
  payout_amount: '0.00',
  payout_currency: 'USD',
  services: '{}',
  ...p,
});
const POWER_UP = ['--rules', 'rules/csp-power-up-2017.yaml', '--data', 'fixtures/demo'];
const header = { partner: 'P1', date: '2018-04-02', run: 3, period: '2018-03', asOf: '2018-03-31', reference: 'R' };

describe('statements', () => {
  it('a campaign with nothing earned, paid or carried has nothing to say', () => {
    expect(isEmptyLine(line({ action: 'nothing' }))).toBe(true);
    expect(isEmptyLine(line({ action: 'nothing', earned_to_date: '10.00', paid_before: '10.00' }))).toBe(false);
  });

  it('totals per payout currency: 100.00 + 250.50 USD, 80.00 GBP', () => {
    const text = statementText(header, [
      line({ campaign_id: 'a', amount: '100.00', earned_to_date: '100.00', payout_amount: '100.00' }),
      line({ campaign_id: 'b', amount: '250.50', earned_to_date: '250.50', payout_amount: '250.50' }),
      line({ campaign_id: 'c', amount: '99.20', earned_to_date: '99.20', payout_amount: '80.00', payout_currency: 'GBP' }),
    ]);
    expect(text).toContain('Total this run: 350.50 USD\nTotal this run: 80.00 GBP\n');
    expect(text).toContain('c (USD): this run pays 99.20 USD; payout 80.00 GBP');
  });

  it('says so when nothing is left to list', () => {
    expect(statementText(header, [])).toContain('Nothing is paid, clawed back or carried forward in this run');
  });
});

describe('every statement of a run into a folder (payout statement --out-dir)', () => {
  const chromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
  let dir: string;
  let ledger: string;
  beforeAll(async () => {
    const base = tempDir();
    ledger = join(base, 'payouts.db');
    dir = join(base, 'statements');
    expect((await runCli(['payout', 'init', '--ledger', ledger])).code).toBe(0);
    expect((await runCli(['payout', 'run', '--period', '2017-09', ...POWER_UP, '--ledger', ledger])).code).toBe(0);
  });

  it('writes an HTML and a CSV statement per partner paid, and an index with the totals', async () => {
    const r = await runCli(['payout', 'statement', '1', '--out-dir', dir, '--partners', 'fixtures/demo/partners.csv', '--ledger', ledger]);
    expect(r.code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual([
      '1000001.csv',
      '1000001.html',
      '1000006.csv',
      '1000006.html',
      '1000007.csv',
      '1000007.html',
      'index.csv',
      'index.html',
    ]);
    // As of 2017-09-30: Contoso 26,878.40 - C102's 6 E5 seats x 73 removed on 2017-09-20 = 26,440.40 USD;
    // Litware EMS 630.00 USD / 1.35 = 466.67 GBP; Woodgrove 50,600.00 earned, 50,000.00 campaign cap.
    expect(readFileSync(join(dir, 'index.csv'), 'utf8')).toBe(
      'partner_id,partner_name,payout_amount,payout_currency,html,csv\n' +
        '1000001,Contoso Cloud,26440.40,USD,1000001.html,1000001.csv\n' +
        '1000006,Litware Ltd,466.67,GBP,1000006.html,1000006.csv\n' +
        '1000007,Woodgrove Cloud,50000.00,USD,1000007.html,1000007.csv\n',
    );
    const litware = readFileSync(join(dir, '1000006.csv'), 'utf8').split('\n');
    // The rate recorded is fx.csv's GBP->USD 1.35 inverted, exactly: 1 / 1.35 = 0.74074... (40 significant digits); 630.00 x it = 466.666... -> 466.67
    expect(litware[1]).toBe(
      '1,2017-09,1000006,Litware Ltd,csp-power-up-2017,,USD,630.00,0.00,630.00,0.00,466.67,GBP,0.7407407407407407407407407407407407407407,pay,',
    );
    expect(litware).toContain('1,2017-09,1000006,Litware Ltd,csp-power-up-2017,EMS,USD,630.00,,,,,,,,');
    const html = readFileSync(join(dir, '1000006.html'), 'utf8');
    expect(html).toContain('<h1>Statement for 1000006 Litware Ltd</h1>');
    expect(html).toContain('payout 466.67 GBP (630.00 USD at 0.7407407407… GBP per USD)');
    expect(readFileSync(join(dir, 'index.html'), 'utf8')).toContain('<a href="1000006.html">statement</a>');
    // Written whole: no temporary file is left.
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it("says how each service's amount comes about, and where a cap trimmed it", async () => {
    const r = await runCli(['payout', 'statement', '1', '--partner', '1000001', '--ledger', ledger]);
    const lines = r.stdout.split('\n');
    // Contoso as of 2017-09-30. O365: 8 Business Premium x 30 (C104) + 8 E3 x 48 (C101: 10 - 2) + 5 E1 x 20 (C103) = 240 + 384 + 100
    // = 724.00 (C105's 4 E3 seats are under the 5 a customer needs; C102's 6 E5 were removed on 2017-09-20)
    expect(lines).toContain('  O365                   724.00  8 x 30 (CFQ7TTC0LCHC:0002) + 8 x 48 (CFQ7TTC0LF8Q:0001) + 5 x 20 (CFQ7TTC0LF8R:0001) = 724.00');
    // D365: 150 x 60 + 240 x 75 = 9,000 + 18,000 = 27,000.00, over its 25,000.00 cap
    expect(lines).toContain('  D365                 25000.00  150 x 60 (CFQ7TTC0LH18:0001) + 240 x 75 (CFQ7TTC0LHSL:0001) = 27000.00; capped at 25000.00');
    // Azure: 20% of 3,582.00 revenue = 716.40; EMS did not qualify: no arithmetic
    expect(lines).toContain('  Azure                  716.40  20% of 3582 = 716.40');
    expect(lines).toContain('  EMS                      0.00');
  });

  it('--all writes the partners with nothing to say too (every line of the run: 10 partners)', async () => {
    const all = join(tempDir(), 'all');
    expect((await runCli(['payout', 'statement', '1', '--out-dir', all, '--all', '--ledger', ledger])).code).toBe(0);
    expect(readdirSync(all).filter((f) => f.endsWith('.html') && f !== 'index.html')).toHaveLength(10);
  });

  it("--detail adds how it was earned, from the run's inputs given again", async () => {
    const r = await runCli(['payout', 'statement', '1', '--partner', '1000006', '--detail', ...POWER_UP, '--ledger', ledger]);
    expect(r.code).toBe(0);
    // Litware's EMS: three customers of 6 seats each at 35: 3 x 6 x 35 = 630.00 USD
    // --data names the partner from its partners.csv, as --partners would.
    expect(r.stdout.split('\n')[0]).toBe('Statement for 1000006 Litware Ltd: run 1, period 2017-09, as of 2017-09-30');
    expect(r.stdout).toContain("Detail: how it was earned, from the run's inputs");
    expect(r.stdout).toContain('T6001 2017-04-03 C601: 6 x 35 = 210 USD; paid 210');
    expect(r.stdout).toContain('EMS: qualified; 3 qualifying customers of 3 needed; earned 630.00, cap 25000.00, amount 630.00');
  });

  it("--detail refuses inputs that are not the run's (sha256 checked)", async () => {
    const data = join(tempDir(), 'data');
    cpSync('fixtures/demo', data, { recursive: true });
    writeFileSync(join(data, 'fx.csv'), readFileSync(join(data, 'fx.csv'), 'utf8') + '\n');
    const r = await runCli([
      'payout',
      'statement',
      '1',
      '--partner',
      '1000006',
      '--detail',
      '--rules',
      'rules/csp-power-up-2017.yaml',
      '--data',
      data,
      '--ledger',
      ledger,
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/INPUTS_CHANGED.*not run 1's: changed fx .*fx\.csv: sha256/);
  });

  it('one of --partner and --out-dir, not both, not neither (exit 2)', async () => {
    expect((await runCli(['payout', 'statement', '1', '--ledger', ledger])).code).toBe(2);
    expect((await runCli(['payout', 'statement', '1', '--partner', '1000001', '--out-dir', dir, '--ledger', ledger])).code).toBe(2);
  });

  it.skipIf(!chromium)('a statement renders in headless Chromium and its numbers read back', async () => {
    await runCli(['payout', 'statement', '1', '--out-dir', dir, '--ledger', ledger]);
    const dom = execFileSync(chromium!, ['--headless', '--no-sandbox', '--disable-gpu', '--dump-dom', `file://${join(dir, '1000007.html')}`], {
      encoding: 'utf8',
      timeout: 60_000,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    expect(dom).toContain('<tr><th>Total this run</th><td class="num">50000.00 USD</td></tr>');
  });
});
