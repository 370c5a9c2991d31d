/** Bad input: every problem listed as file:line: column: message, exit 1, nothing written. */
import { cpSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from './helpers.js';

const HEADER = 'transaction_id,date,partner_id,customer_id,sku,service,license_program,quantity,amount,currency';

function dataWith(transactions: string): string {
  const dir = tempDir();
  cpSync('fixtures/demo', dir, { recursive: true });
  writeFileSync(join(dir, 'transactions.csv'), transactions);
  return dir;
}

async function calc(dir: string) {
  const out = join(dir, 'out.json');
  const r = await runCli(['calc', '--rules', 'rules/csp-power-up-2017.yaml', '--data', dir, '--format', 'json', '--out', out]);
  return { ...r, wrote: existsSync(out) };
}

describe('invalid transaction rows', () => {
  const cases: [string, string, string][] = [
    ['impossible date', 'T1,2017-02-30,1000001,C1,CFQ7TTC0LF8Q:0001,O365,CSP,5,,', ':2: date: '],
    ['non-integer quantity', 'T1,2017-02-03,1000001,C1,CFQ7TTC0LF8Q:0001,O365,CSP,2.5,,', ':2: quantity: '],
    ['non-numeric amount', 'T1,2017-02-03,1000001,C1,DZH318Z0BPS6:0001,Azure,CSP,,12abc,USD', ':2: amount: '],
    ['unknown currency', 'T1,2017-02-03,1000001,C1,DZH318Z0BPS6:0001,Azure,CSP,,12.00,XYZ', ':2: currency: '],
    ['empty required value', 'T1,2017-02-03,,C1,CFQ7TTC0LF8Q:0001,O365,CSP,5,,', ':2: partner_id: '],
  ];
  it.each(cases)('%s stops the run with file:line: column', async (_name, row, where) => {
    const dir = dataWith(`${HEADER}\n${row}\n`);
    const r = await calc(dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(join(dir, 'transactions.csv') + where);
    expect(r.stderr).toMatch(/expected .*found/);
    expect(r.wrote).toBe(false);
  });

  it('lists every problem, with the found value', async () => {
    const dir = dataWith(
      `${HEADER}\nT1,2017-02-30,1000001,C1,CFQ7TTC0LF8Q:0001,O365,CSP,5,,\nT2,2017-02-03,1000001,C1,CFQ7TTC0LF8Q:0001,O365,CSP,x,,\nT1,2017-02-04,1000001,C1,CFQ7TTC0LF8Q:0001,O365,CSP,5,,\n`,
    );
    const r = await calc(dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(':2: date: error INVALID_ROW: not a calendar date (expected a date YYYY-MM-DD that exists, found "2017-02-30")');
    expect(r.stderr).toContain(':3: quantity:');
    expect(r.stderr).toContain(':4: transaction_id: error INVALID_ROW: transaction_id T1 is repeated');
  });

  it('a header missing a required column names it', async () => {
    const dir = dataWith('transaction_id,date,partner_id,sku,license_program\nT1,2017-02-03,1000001,X,CSP\n');
    const r = await calc(dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('lacks the required column customer_id');
  });

  it('a campaign that needs a file that was not given names it', async () => {
    const r = await runCli(['calc', '--rules', 'rules/csp-power-up-2017.yaml', '--transactions', 'fixtures/demo/transactions.csv']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('partners.csv is needed by csp-power-up-2017');
    expect(r.stderr).toContain('registrations.csv is needed by csp-power-up-2017');
  });

  it('a missing FX rate names the pair and the day', async () => {
    const dir = dataWith(
      `${HEADER}\nT1,2017-01-15,1000001,C1,DZH318Z0BPS6:0001,Azure,CSP,,100.00,EUR\nT2,2017-02-15,1000001,C1,DZH318Z0BPS6:0001,Azure,CSP,,100.00,CHF\n`,
    );
    const r = await calc(dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('no exchange rate CHF->USD for 2017-02-15');
    expect(r.wrote).toBe(false);
  });

  it('a wrong command line exits 2', async () => {
    expect((await runCli(['calc', '--rules', 'rules', '--format', 'xml'])).code).toBe(2);
    expect((await runCli(['frobnicate'])).code).toBe(2);
    expect((await runCli(['calc', '--rules', 'rules', '--data', 'fixtures/demo', '--as-of', '2017-13-01'])).code).toBe(2); // a bad --as-of value is a wrong command line
  });
});

describe('repeated ids in a large file', () => {
  it('are confirmed exactly and reported with the first line', async () => {
    const rows = [HEADER];
    for (let i = 0; i < 120_000; i++) rows.push(`T${i},2017-03-01,1000001,C${i % 50},CFQ7TTC0LF8Q:0001,O365,CSP,1,,`);
    rows.push('T100,2017-03-02,1000001,C1,CFQ7TTC0LF8Q:0001,O365,CSP,1,,');
    const r = await calc(dataWith(rows.join('\n') + '\n'));
    expect(r.code).toBe(1);
    // T100 is on line 102 (header is line 1); the repeat is the last line, 120,002
    expect(r.stderr).toContain(':120002: transaction_id: error INVALID_ROW: transaction_id T100 is repeated (first on line 102)');
  });
});
