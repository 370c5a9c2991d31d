/**
 * The ledger pays each amount exactly once, whatever order or place runs happen in.
 * Campaign: $10 per E3 seat, no minimum. Amounts by hand in comments.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { runCli, startCli, tempDir } from './helpers.js';

const CAMPAIGN = `id: seats
currency: USD
period: { start: 2018-01-01, end: 2018-12-31 }
as_of: 2018-12-31
requires:
  eligibility: [bank_tax_profile]
  eligibility_period: day
services:
  O365: { per_unit: { rates: { E3: 10 } } }
`;
const HEADER = 'transaction_id,date,partner_id,customer_id,sku,license_program,quantity\n';
const ROWS = {
  jan: 'T1,2018-01-10,P1,C1,E3,CSP,15\nT2,2018-01-11,P2,C9,E3,CSP,3\n', // P1 15 x 10 = 150; P2 3 x 10 = 30
  feb: 'T3,2018-02-05,P1,C2,E3,CSP,10\n', // P1 +10 x 10 = +100
  mar: 'T4,2018-03-03,P1,C3,E3,CSP,5\n', // P1 +5 x 10 = +50
};
const ELIGIBLE = 'partner_id,requirement,from,to\nP1,bank_tax_profile,2018-01-01,\nP2,bank_tax_profile,2018-01-01,\n';

function world() {
  const dir = tempDir();
  writeFileSync(join(dir, 'seats.yaml'), CAMPAIGN);
  const month = (name: string, rows: string, eligibility = ELIGIBLE) => {
    mkdirSync(join(dir, name));
    writeFileSync(join(dir, name, 'transactions.csv'), HEADER + rows);
    writeFileSync(join(dir, name, 'eligibility.csv'), eligibility);
    return join(dir, name);
  };
  const data = {
    jan: month('jan', ROWS.jan),
    feb: month('feb', ROWS.jan + ROWS.feb),
    mar: month('mar', ROWS.jan + ROWS.feb + ROWS.mar),
  };
  const ledger = join(dir, 'ledger.db');
  const args = (period: string, d: string, extra: string[] = []) => [
    'payout',
    'run',
    '--period',
    period,
    '--rules',
    join(dir, 'seats.yaml'),
    '--data',
    d,
    '--ledger',
    ledger,
    ...extra,
  ];
  const runs = async () =>
    (
      JSON.parse((await runCli(['payout', 'list', '--ledger', ledger, '--format', 'json'])).stdout) as {
        runs: { id: number; period: string; status: string }[];
      }
    ).runs;
  type Line = { partnerId: string; status: string; action: string; reason: string | null; amount: string; earnedToDate: string; paidBefore: string };
  const show = async (id: number) =>
    (JSON.parse((await runCli(['payout', 'show', String(id), '--ledger', ledger, '--format', 'json'])).stdout) as { lines: Line[] }).lines;
  return { dir, data, ledger, args, runs, show, month };
}

const start = startCli;

describe('the ledger lifecycle', () => {
  it('init makes a ledger; init again changes nothing; other commands need one', async () => {
    const w = world();
    expect((await runCli(['payout', 'run', ...w.args('2018-01', w.data.jan).slice(2)])).code).toBe(1);
    expect(existsSync(w.ledger)).toBe(false);
    const init = await runCli(['payout', 'init', '--ledger', w.ledger]);
    expect(init.code).toBe(0);
    expect(init.stdout).toContain('created the ledger');
    const db = new Database(w.ledger, { readonly: true });
    expect(db.pragma('application_id', { simple: true })).toBe(0x494e4354);
    db.close();
    const again = await runCli(['payout', 'init', '--ledger', w.ledger]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('already an incent ledger');
    expect((await runCli(w.args('2018-01', w.data.jan))).code).toBe(0);
  });

  it('a period before a recorded one is refused, naming it; nothing is paid twice', async () => {
    const w = world();
    await runCli(['payout', 'init', '--ledger', w.ledger]);
    expect((await runCli(w.args('2018-02', w.data.feb))).code).toBe(0);
    expect((await runCli(w.args('2018-03', w.data.mar))).code).toBe(0);
    // P1 paid 250 (Feb: 15 + 10 seats) then 50 (Mar): a January run now would pay 150 again
    const jan = await runCli(w.args('2018-01', w.data.jan));
    expect(jan.code).toBe(1);
    expect(jan.stderr).toContain('period 2018-01 is not after the recorded periods 2018-02, 2018-03');
    expect((await w.runs()).map((r) => r.period)).toEqual(['2018-02', '2018-03']);
    // the next month pays only what is new: P1 (15 + 10 + 5) x 10 = 300 earned, 250 + 50 paid: nothing
    expect((await runCli(w.args('2018-04', w.data.mar))).code).toBe(0);
    expect((await w.show(3)).find((l) => l.partnerId === 'P1')).toMatchObject({
      earnedToDate: '300.00',
      paidBefore: '300.00',
      amount: '0.00',
      action: 'nothing',
    });
  });

  it('two different periods at once: the earlier one, committing second, is refused', async () => {
    const w = world();
    await runCli(['payout', 'init', '--ledger', w.ledger]);
    const mar = start(w.args('2018-03', w.data.mar), { INCENT_TEST_PAUSE_IN_TX_MS: '2500' }, 'holding the ledger transaction');
    await mar.seen;
    const feb = start(w.args('2018-02', w.data.feb, ['--busy-timeout', '20000']));
    const [rm, rf] = await Promise.all([mar.done, feb.done]);
    expect(rm.code).toBe(0);
    expect(rf.code).toBe(1);
    expect(rf.stderr).toContain('period 2018-02 is not after the recorded period 2018-03');
    expect((await w.runs()).map((r) => r.period)).toEqual(['2018-03']);
  }, 60_000);

  it('the same inputs from another working directory, by absolute or relative paths, change nothing', async () => {
    const w = world();
    await runCli(['payout', 'init', '--ledger', w.ledger]);
    expect((await runCli(w.args('2018-01', w.data.jan))).code).toBe(0);
    // a cron job: other cwd, relative paths
    const rel = (p: string) => relative(w.data.jan, p);
    const again = await runCli(['payout', 'run', '--period', '2018-01', '--rules', rel(join(w.dir, 'seats.yaml')), '--data', '.', '--ledger', rel(w.ledger)], {
      cwd: w.data.jan,
    });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('already recorded by run 1 from identical inputs: nothing changed');
    // the same content copied elsewhere is the same input too
    const copy = w.month('copy', ROWS.jan);
    expect((await runCli(w.args('2018-01', copy))).stdout).toContain('nothing changed');
    expect(await w.runs()).toHaveLength(1);
  });

  it('a claw back keeps its reason: the partner became ineligible', async () => {
    const w = world();
    await runCli(['payout', 'init', '--ledger', w.ledger]);
    expect((await runCli(w.args('2018-01', w.data.jan))).code).toBe(0);
    // February: P2's bank and tax profile has lapsed since January 1st: its January row
    // (3 seats, $30 paid) is lost, so the $30 comes back
    const feb = w.month('feb2', ROWS.jan + ROWS.feb, 'partner_id,requirement,from,to\nP1,bank_tax_profile,2018-01-01,\nP2,bank_tax_profile,2018-02-01,\n');
    expect((await runCli(w.args('2018-02', feb))).code).toBe(0);
    expect((await w.show(2)).find((l) => l.partnerId === 'P2')).toMatchObject({
      status: 'ineligible',
      action: 'claw_back',
      reason: 'PARTNER_INELIGIBLE',
      earnedToDate: '0.00',
      paidBefore: '30.00',
      amount: '-30.00',
    });
    const csv = join(w.dir, 'pay.csv');
    expect((await runCli(['payout', 'export', '2', '--lines', '--ledger', w.ledger, '--out', csv])).code).toBe(0);
    expect(readFileSync(csv, 'utf8')).toContain('2,2018-02,seats,P2,ineligible,claw_back,PARTNER_INELIGIBLE,0.00,30.00,-30.00,');
  });

  it('--dry-run shows exactly what would be recorded, records nothing; --format json prints the run', async () => {
    const w = world();
    await runCli(['payout', 'init', '--ledger', w.ledger]);
    const before = readFileSync(w.ledger);
    const dry = await runCli(w.args('2018-01', w.data.jan, ['--dry-run', '--format', 'json']));
    expect(dry.code).toBe(0);
    const plan = JSON.parse(dry.stdout) as { runId: number | null; recorded: boolean; dryRun: boolean; lines: Record<string, unknown>[] };
    expect(plan).toMatchObject({ runId: null, recorded: false, dryRun: true, period: '2018-01' });
    // P1 15 x 10 = 150.00; P2 3 x 10 = 30.00
    expect(plan.lines).toEqual([
      expect.objectContaining({
        campaign: 'seats',
        partner: 'P1',
        earnedToDate: '150.00',
        paidBefore: '0.00',
        thisRun: '150.00',
        action: 'pay',
        reason: null,
        payout: '150.00',
        payoutCurrency: 'USD',
      }),
      expect.objectContaining({ campaign: 'seats', partner: 'P2', thisRun: '30.00', action: 'pay' }),
    ]);
    expect(readFileSync(w.ledger).equals(before)).toBe(true);
    expect(await w.runs()).toHaveLength(0);
    const real = JSON.parse((await runCli(w.args('2018-01', w.data.jan, ['--format', 'json']))).stdout) as {
      runId: number;
      recorded: boolean;
      lines: unknown[];
    };
    expect(real.runId).toBe(1);
    expect(real.recorded).toBe(true);
    expect(real.lines).toEqual(plan.lines);
  });
});

describe('ledger files that are not what they should be: refused, untouched, exit 1', () => {
  const cases: [string, (file: string) => void | Promise<void>, RegExp][] = [
    [
      "another application's SQLite file",
      (f) => {
        const db = new Database(f);
        db.exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes (body) VALUES ('mine')");
        db.close();
      },
      /is not an incent ledger/,
    ],
    ['random bytes', (f) => writeFileSync(f, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256))), /damaged or not a SQLite database/],
    [
      'a truncated ledger',
      async (f) => {
        await runCli(['payout', 'init', '--ledger', f]);
        writeFileSync(f, readFileSync(f).subarray(0, 1500));
      },
      /damaged or not a SQLite database|not an incent ledger/,
    ],
    [
      'a ledger from a newer incent',
      async (f) => {
        await runCli(['payout', 'init', '--ledger', f]);
        const db = new Database(f);
        db.pragma('user_version = 99');
        db.close();
      },
      /schema 99, from a newer incent/,
    ],
  ];
  it.each(cases)('%s', async (_name, make, message) => {
    const dir = tempDir();
    const f = join(dir, 'ledger.db');
    await make(f);
    const bytes = readFileSync(f);
    for (const args of [
      ['payout', 'list', '--ledger', f],
      ['payout', 'run', '--period', '2018-01', '--rules', 'rules/csp-power-up-2017.yaml', '--data', 'fixtures/demo', '--ledger', f],
    ]) {
      const r = await runCli(args);
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(readFileSync(f).equals(bytes)).toBe(true);
    }
  });

  it('read-only commands open the file read-only: a read-only file and folder work, and nothing changes', async () => {
    const w = world();
    await runCli(['payout', 'init', '--ledger', w.ledger]);
    expect((await runCli(w.args('2018-01', w.data.jan))).code).toBe(0);
    const dir = join(w.dir, 'ro');
    mkdirSync(dir);
    const ro = join(dir, 'ledger.db');
    writeFileSync(ro, readFileSync(w.ledger));
    chmodSync(ro, 0o444);
    chmodSync(dir, 0o555);
    const bytes = readFileSync(ro);
    const mtime = statSync(ro).mtimeMs;
    try {
      expect((await runCli(['payout', 'list', '--ledger', ro])).code).toBe(0);
      expect((await runCli(['payout', 'show', '1', '--ledger', ro])).code).toBe(0);
      expect((await runCli(['payout', 'export', '1', '--lines', '--ledger', ro])).stdout).toContain('1,2018-01,seats,P1,payable,pay,,150.00');
      expect((await runCli(['payout', 'statement', '1', '--partner', 'P1', '--ledger', ro])).code).toBe(0);
      expect((await runCli(['payout', 'verify', '1', '--rules', join(w.dir, 'seats.yaml'), '--data', w.data.jan, '--ledger', ro])).code).toBe(0);
      expect(readFileSync(ro).equals(bytes)).toBe(true);
      expect(statSync(ro).mtimeMs).toBe(mtime);
      const db = new Database(ro, { readonly: true });
      expect(db.pragma('journal_mode', { simple: true })).toBe('delete');
      db.close();
    } finally {
      chmodSync(dir, 0o755);
    }
  });
});

describe('a ledger from schema 2 (before payout FX rates and service detail were kept)', () => {
  const POWER_UP = ['--rules', 'rules/csp-power-up-2017.yaml', '--data', 'fixtures/demo'];
  /** A ledger with run 1 (2017-09), taken back to schema 2. */
  async function schema2(): Promise<string> {
    const ledger = join(tempDir(), 'old.db');
    expect((await runCli(['payout', 'init', '--ledger', ledger])).code).toBe(0);
    expect((await runCli(['payout', 'run', '--period', '2017-09', ...POWER_UP, '--ledger', ledger])).code).toBe(0);
    const db = new Database(ledger);
    db.exec('ALTER TABLE run_lines DROP COLUMN payout_fx_rate; ALTER TABLE run_lines DROP COLUMN service_detail');
    db.pragma('user_version = 2');
    db.close();
    return ledger;
  }

  it('is read without migrating: the rate is null, the file unchanged', async () => {
    const ledger = await schema2();
    const bytes = readFileSync(ledger);
    const show = JSON.parse((await runCli(['payout', 'show', '1', '--ledger', ledger, '--format', 'json'])).stdout) as {
      lines: { partnerId: string; payoutAmount: string; payoutFxRate: string | null }[];
    };
    expect(show.lines.find((l) => l.partnerId === '1000006')).toMatchObject({ payoutAmount: '466.67', payoutFxRate: null });
    expect(readFileSync(ledger).equals(bytes)).toBe(true);
  });

  it('is migrated to the current schema (4) by the next run, which records its rates', async () => {
    const ledger = await schema2();
    expect((await runCli(['payout', 'run', '--period', '2017-10', ...POWER_UP, '--ledger', ledger])).code).toBe(0);
    const db = new Database(ledger, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(4);
    db.close();
    // October pays Litware nothing more (630.00 earned to date, 630.00 paid before): no conversion, no rate.
    const show = JSON.parse((await runCli(['payout', 'show', '2', '--ledger', ledger, '--format', 'json'])).stdout) as {
      lines: { partnerId: string; amount: string; payoutFxRate: string | null }[];
    };
    expect(show.lines.find((l) => l.partnerId === '1000006')).toMatchObject({ amount: '0.00', payoutFxRate: null });
  });
});
