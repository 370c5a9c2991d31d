/** incent test --format github|junit: failed cases as CI annotations and JUnit XML. */
import { describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCases } from '../src/commands/test-cases.js';

/** The Canada dollar-per-SKU campaign with its case, and a second case that expects a wrong total. */
function campaignWithAFailingCase(): string {
  const dir = mkdtempSync(join(tmpdir(), 'incent-cases-'));
  cpSync('rules/ca-dollar-per-sku.yaml', join(dir, 'ca-dollar-per-sku.yaml'));
  cpSync('rules/ca-dollar-per-sku.cases', join(dir, 'ca-dollar-per-sku.cases'), { recursive: true });
  const wrong = join(dir, 'ca-dollar-per-sku.cases', 'wrong-total');
  cpSync(join(dir, 'ca-dollar-per-sku.cases', 'min-max-units'), wrong, { recursive: true });
  // The true total is 0 + 5 x 12 + 250 x 8 + 250 x 8 = 4060.00; this case says 4000.00.
  writeFileSync(join(wrong, 'expected.yaml'), readFileSync(join(wrong, 'expected.yaml'), 'utf8').replace('total: "4060.00"', 'total: "4000.00"'));
  return dir;
}

describe('incent test formats', () => {
  it('github: an error annotation on the failed case, the summary in plain text', async () => {
    const dir = campaignWithAFailingCase();
    const r = await runCases([dir], 'github');
    expect(r.exitCode).toBe(1);
    const lines = r.output.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe(
      `::error file=${join(dir, 'ca-dollar-per-sku.cases', 'wrong-total', 'expected.yaml').replace(/:/g, '%3A')},line=1,title=CASE_FAILED::ca-dollar-per-sku.yaml › wrong-total: partner 3000001 total: expected 4000.00, got 4060.00`,
    );
    expect(lines[1]).toBe('1 passed, 1 failed');
  });

  it('junit: a suite per campaign, a test case per case, the failure with its differences', async () => {
    const dir = campaignWithAFailingCase();
    const r = await runCases([dir], 'junit');
    expect(r.exitCode).toBe(1);
    expect(r.output).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites name="incent test" tests="2" failures="1">/);
    expect(r.output).toContain('<testsuite name="' + join(dir, 'ca-dollar-per-sku.yaml') + '" tests="2" failures="1">');
    expect(r.output).toContain('name="min-max-units"');
    expect(r.output).toContain('<failure message="partner 3000001 total: expected 4000.00, got 4060.00">');
  });

  it('all passing: exit 0, no annotation', async () => {
    const r = await runCases(['rules/ca-dollar-per-sku.yaml'], 'github');
    expect([r.exitCode, r.output]).toEqual([0, '1 passed, 0 failed\n']);
  });
});
