/**
 * Ctrl-C and kill: an interrupted run removes every temporary file it made (the hidden
 * `.NAME.PID.tmp` beside an output, the trace spool and the repeated-id spill files
 * under TMPDIR), then exits 130 (SIGINT) or 143 (SIGTERM).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from './helpers.js';

const HEADER = 'transaction_id,date,partner_id,customer_id,sku,license_program,quantity\n';
const CAMPAIGN = `id: big
currency: USD
period: { start: 2017-01-01, end: 2017-12-31 }
as_of: 2017-12-31
services:
  O365: { per_unit: { rates: { E3: 10 } } }
`;

function bigWorld(rows: number) {
  const dir = tempDir();
  const parts: string[] = [HEADER];
  for (let i = 0; i < rows; i++) parts.push(`T${i},2017-03-01,P${i % 97},C${i % 5000},E3,CSP,1\n`);
  writeFileSync(join(dir, 'transactions.csv'), parts.join(''));
  writeFileSync(join(dir, 'big.yaml'), CAMPAIGN);
  mkdirSync(join(dir, 'tmp'));
  return dir;
}

async function interrupt(signal: 'SIGINT' | 'SIGTERM', dir: string) {
  const tmp = join(dir, 'tmp');
  const child = spawn(
    process.execPath,
    [
      join(process.cwd(), 'dist/cli.js'),
      'calc',
      '--rules',
      join(dir, 'big.yaml'),
      '--transactions',
      join(dir, 'transactions.csv'),
      '--explain',
      join(dir, 'trace.csv'),
      '--out',
      join(dir, 'out.json'),
      '-q',
    ],
    {
      env: { ...process.env, TMPDIR: tmp },
    },
  );
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, sig) => resolve({ code, signal: sig })),
  );
  // Wait until the run has made its temporary files: the trace spool and the id spill files (past 100,000 ids).
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const made = readdirSync(tmp);
    if (
      made.some((n) => n.startsWith('incent-ids-')) &&
      made.some((n) => n.startsWith('incent-trace-')) &&
      readdirSync(dir).some((n) => n.startsWith('.trace.csv.'))
    )
      break;
    await new Promise((r) => setTimeout(r, 20));
  }
  expect(readdirSync(tmp).length).toBeGreaterThan(0);
  child.kill(signal);
  return done;
}

describe('interrupted runs leave nothing', () => {
  const dir = bigWorld(400_000);
  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)(
    '%s: exit %i, no temporary file, no output',
    async (signal, code) => {
      const r = await interrupt(signal, dir);
      expect(r.code).toBe(code);
      expect(readdirSync(join(dir, 'tmp'))).toEqual([]);
      expect(readdirSync(dir).filter((n) => n.startsWith('.'))).toEqual([]);
      expect(existsSync(join(dir, 'trace.csv'))).toBe(false);
      expect(existsSync(join(dir, 'out.json'))).toBe(false);
    },
    60_000,
  );
});
