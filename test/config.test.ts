/** Defaults from incent.yaml and INCENT_* variables: the command line wins, then the environment, then the file. */
import { describe, expect, it } from 'vitest';
import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir } from './helpers.js';

/** A folder with the shipped campaigns and the demo data, as a user's working folder. */
function workdir(config?: string): string {
  const dir = tempDir();
  cpSync('rules', join(dir, 'rules'), { recursive: true });
  cpSync('fixtures/demo', join(dir, 'demo'), { recursive: true });
  if (config !== undefined) writeFileSync(join(dir, 'incent.yaml'), config);
  return dir;
}

const campaigns = (stdout: string) => (JSON.parse(stdout) as { campaigns: { id: string }[] }).campaigns.map((c) => c.id);

describe('incent.yaml and INCENT_*', () => {
  it('incent.yaml gives --rules and --data; a flag replaces them (a list flag does not add to them)', async () => {
    const dir = workdir('rules: rules/csp-power-up-2017.yaml\ndata: demo\n');
    const r = await runCli(['calc', '--format', 'json'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(campaigns(r.stdout)).toEqual(['csp-power-up-2017']);
    // Contoso's Power Up payout on the demo: 1162.00 + 25000.00 + 716.40 = 26878.40
    expect(r.stdout).toContain('"payout": "26878.40"');
    expect(campaigns((await runCli(['calc', '--format', 'json', '--rules', 'rules/ca-frequency.yaml'], { cwd: dir })).stdout)).toEqual(['ca-frequency-2018q2']);
  });

  it('the environment wins over the file, the command line over both', async () => {
    const dir = workdir('rules: rules/csp-power-up-2017.yaml\ndata: nowhere\n');
    expect((await runCli(['calc'], { cwd: dir })).stderr).toContain('not found in nowhere');
    expect((await runCli(['calc', '--format', 'json'], { cwd: dir, env: { INCENT_DATA: 'demo' } })).code).toBe(0);
    expect((await runCli(['calc', '--data', 'elsewhere'], { cwd: dir, env: { INCENT_DATA: 'demo' } })).stderr).toContain('not found in elsewhere');
  });

  it('--config names another file; a key it cannot set is refused with its line', async () => {
    const dir = workdir();
    writeFileSync(join(dir, 'monthly.yaml'), 'rules: rules/csp-power-up-2017.yaml\ndata: demo\nout: payouts.csv\n');
    const r = await runCli(['calc', '--config', 'monthly.yaml'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('monthly.yaml:3');
    expect(r.stderr).toContain('"out" is not an option a config file can set');
    writeFileSync(join(dir, 'monthly.yaml'), 'rules: rules/csp-power-up-2017.yaml\ndata: demo\nas-of: 2017-13-45\n');
    const bad = await runCli(['calc', '--config', 'monthly.yaml'], { cwd: dir });
    expect([bad.code, bad.stderr.includes('monthly.yaml:3')]).toEqual([1, true]);
  });
});
