/** calc --explain FILE is written whole or not at all, and its spool leaves nothing behind. */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from './helpers.js';

async function run(dir: string, trace: string) {
  // A TMPDIR of its own, to see what the run leaves there.
  const tmp = join(dir, 'tmp');
  mkdirSync(tmp);
  const r = await runCli(['calc', '--rules', 'rules', '--data', join(dir, 'data'), '--format', 'json', '--out', join(dir, 'out.json'), '--explain', trace], {
    env: { TMPDIR: tmp },
  });
  return { ...r, tmpLeft: readdirSync(tmp), outDirLeft: readdirSync(dir).filter((f) => f.endsWith('.tmp')) };
}

describe('calc --explain FILE', () => {
  it('writes the trace and removes its spool', async () => {
    const dir = tempDir();
    cpSync('fixtures/demo', join(dir, 'data'), { recursive: true });
    const trace = join(dir, 'trace.csv');
    const r = await run(dir, trace);
    expect(r.code).toBe(0);
    // 69 transactions rows: every one appears, for each campaign that reads transactions.csv
    const lines = readFileSync(trace, 'utf8').trim().split('\n');
    const ids = new Set(
      lines
        .slice(1)
        .map((l) => l.split(',')[7])
        .filter((id) => id),
    );
    expect(ids.size).toBe(69);
    expect(r.tmpLeft).toEqual([]);
    expect(r.outDirLeft).toEqual([]);
  });

  it("tells the rows their customer's verdict excludes after all, in its words (usage and transactions), and the rows it does not", async () => {
    const dir = tempDir();
    cpSync('fixtures/demo', join(dir, 'data'), { recursive: true });
    const trace = join(dir, 'trace.csv');
    expect((await run(dir, trace)).code).toBe(0);
    const usage = (line: number) =>
      readFileSync(trace, 'utf8')
        .split('\n')
        .find((l) => l.includes(`usage.csv,${line},`))!
        .split(',');
    // OS02 (claimed by 4000001) has 120 paid seats (transactions TU02); the campaign's claims need 300: 120 < 300, so its ExO user is excluded
    expect(usage(6).slice(1, 7)).toEqual(['4000001', 'row', 'excluded', 'CUSTOMER_BELOW_MINIMUM', 'O365', 'OS02']);
    expect(usage(6).at(-1)).toBe('customer OS02 has 120 net paid seats on 2018-06-30; a claimed customer needs at least 300');
    // OS01's user u1 in ExO on 2018-06-12 counts (claimed from 2018-06-10)
    expect(usage(3).slice(1, 7)).toEqual(['4000001', 'row', 'counted', '', 'O365', 'OS01']);
    // A transactions row: C106 had 5 paid O365 seats on 2017-01-20 (T1008), before Power Up's period starts 2017-02-01, so T1009 is not net new
    const t1009 = readFileSync(trace, 'utf8')
      .split('\n')
      .find((l) => l.startsWith('csp-power-up-2017,') && l.includes(',T1009,'))!;
    expect(t1009).toContain(',excluded,CUSTOMER_NOT_NET_NEW,O365,C106,T1009,');
    expect(t1009).toMatch(/,"customer C106 already had O365: row T1008 on 2017-01-20, before the period starts 2017-02-01"$/);
  });

  it('leaves no trace, no temporary file and no spool when the input is invalid', async () => {
    const dir = tempDir();
    cpSync('fixtures/demo', join(dir, 'data'), { recursive: true });
    const tx = join(dir, 'data', 'transactions.csv');
    // the last row has an impossible date: the run fails after most rows were traced
    writeFileSync(tx, readFileSync(tx, 'utf8').trimEnd() + '\nT9999,2017-02-30,1000001,,C1,US,CFQ7TTC0LF8Q:0001,O365,CSP,S1,paid,5,,,\n');
    const trace = join(dir, 'trace.csv');
    const r = await run(dir, trace);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('not a calendar date');
    expect(existsSync(trace)).toBe(false);
    expect(r.tmpLeft).toEqual([]);
    expect(r.outDirLeft).toEqual([]);
  });
});
