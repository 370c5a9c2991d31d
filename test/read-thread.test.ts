/**
 * Files of 16 MB and more are parsed on a second thread (src/input/csv-thread.ts).
 * The results, line numbers and errors must be the same as on one thread. The built binary
 * runs here (the thread is its compiled script), with INCENT_READ_THREAD=1 so that a 4 MB file,
 * four of the reader's 1 MiB chunks and many batches, takes the thread path too.
 */
import { cpSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBinary, tempDir } from './helpers.js';

const HEADER = 'transaction_id,date,partner_id,customer_id,sku,service,license_program,quantity,amount,currency';
const ROWS = 45_000;

function bigData(lastRow: string): { dir: string; lines: number } {
  const dir = tempDir();
  cpSync('fixtures/demo', dir, { recursive: true });
  const out = [HEADER];
  for (let i = 0; i < ROWS; i++) {
    const id = `TRANSACTION-${String(i).padStart(12, '0')}`;
    // Row 1000 has a quoted SKU cell holding a line break: one record, two lines.
    const sku = i === 1000 ? '"CFQ7TTC0LF8Q:0001\nsecond line"' : 'CFQ7TTC0LF8Q:0001';
    out.push(`${id},2017-03-01,1000001,CUSTOMER-${String(i % 700).padStart(12, '0')},${sku},O365,CSP,${(i % 5) + 1},,`);
  }
  out.push(lastRow);
  writeFileSync(join(dir, 'transactions.csv'), out.join('\n') + '\n');
  // header + ROWS records, one of them on two lines, + the last row
  return { dir, lines: 1 + ROWS + 1 + 1 };
}

async function calc(dir: string, oneThread: boolean) {
  const out = join(dir, oneThread ? 'one.json' : 'two.json');
  const r = runBinary(['calc', '--rules', 'rules/csp-power-up-2017.yaml', '--data', dir, '--format', 'json', '--out', out], {
    env: { INCENT_READ_THREAD: oneThread ? '0' : '1' },
  });
  return { ...r, json: r.code === 0 ? readFileSync(out, 'utf8') : '' };
}

describe('reading a large file on a second thread', () => {
  it('gives the same payouts as one thread', async () => {
    const { dir } = bigData('LAST,2017-03-02,1000001,CUSTOMER-1,CFQ7TTC0LF8Q:0001,O365,CSP,1,,');
    expect(statSync(join(dir, 'transactions.csv')).size).toBeGreaterThan(4 * 1024 * 1024);
    const one = await calc(dir, true);
    const two = await calc(dir, false);
    expect(one.code).toBe(0);
    expect(two.code).toBe(0);
    expect(two.json).toBe(one.json);
    // every record read: 45,001 rows
    expect(JSON.parse(two.json).campaigns[0].rows.read).toBe(ROWS + 1);
  });

  it('reports a bad last row and a repeated id on the same lines as one thread', async () => {
    // The last record repeats the id of record 5 (line 7: the header is line 1), and has an impossible date.
    const { dir, lines } = bigData('TRANSACTION-000000000005,2017-02-30,1000001,CUSTOMER-1,CFQ7TTC0LF8Q:0001,O365,CSP,1,,');
    const one = await calc(dir, true);
    const two = await calc(dir, false);
    expect(two.code).toBe(1);
    expect(two.stderr).toBe(one.stderr);
    const file = join(dir, 'transactions.csv');
    expect(two.stderr).toContain(`${file}:${lines}: date: error INVALID_ROW: not a calendar date`);
    expect(two.stderr).toContain(`${file}:${lines}: transaction_id: error INVALID_ROW: transaction_id TRANSACTION-000000000005 is repeated (first on line 7)`);
  });
});
