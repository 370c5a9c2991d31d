/**
 * incent test: example cases stored beside a campaign pin its meaning in CI.
 *
 *   rules/csp-power-up-2017.yaml
 *   rules/csp-power-up-2017.cases/<case>/transactions.csv   (+ partners.csv, registrations.csv, fx.csv)
 *   rules/csp-power-up-2017.cases/<case>/expected.yaml
 *
 * expected.yaml:
 *   description: what the case shows
 *   as_of: 2017-09-15          # optional, like --as-of
 *   partners:
 *     "1000001": { status: payable, payout: "1095.00", services: { O365: "1095.00" } }
 *   rows: { read: 3, used: 3, excluded: {} }   # optional
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { InvalidInputError } from '../diagnostics.js';
import { campaignFiles } from '../campaign/load.js';
import { formatMoney } from '../money/index.js';
import { formatDiagnosticsGithub, formatDiagnosticsText } from '../report/diagnostics.js';
import { computeResult } from './inputs.js';

const amount = z.union([z.string(), z.number()]).transform(String);
const expectedSchema = z.strictObject({
  description: z.string().optional(),
  as_of: z.string().optional(),
  payout_date: z.string().optional(),
  partners: z.record(
    z.string(),
    z.strictObject({
      status: z.enum(['payable', 'below_minimum', 'not_qualified', 'ineligible']).optional(),
      total: amount.optional(),
      payout: amount.optional(),
      services: z.record(z.string(), amount).optional(),
    }),
  ),
  absent_partners: z.array(z.string()).optional(),
  rows: z.strictObject({ read: z.number().optional(), used: z.number().optional(), excluded: z.record(z.string(), z.number()).optional() }).optional(),
});

export interface CaseOutcome {
  campaign: string;
  name: string;
  dir: string;
  passed: boolean;
  description?: string;
  differences: string[];
}

export function findCases(paths: readonly string[]): { campaignFile: string; caseDir: string }[] {
  const out: { campaignFile: string; caseDir: string }[] = [];
  for (const p of paths) {
    for (const file of campaignFiles(p)) {
      const casesDir = join(dirname(file), basename(file).replace(/\.ya?ml$/i, '') + '.cases');
      if (!existsSync(casesDir)) continue;
      for (const name of readdirSync(casesDir).sort()) {
        const dir = join(casesDir, name);
        if (statSync(dir).isDirectory() && existsSync(join(dir, 'expected.yaml'))) out.push({ campaignFile: file, caseDir: dir });
      }
    }
  }
  return out;
}

export async function runCase(campaignFile: string, caseDir: string): Promise<CaseOutcome> {
  const name = basename(caseDir);
  const outcome: CaseOutcome = { campaign: campaignFile, name, dir: caseDir, passed: false, differences: [] };
  const parsed = expectedSchema.safeParse(parseYaml(readFileSync(join(caseDir, 'expected.yaml'), 'utf8')));
  if (!parsed.success) {
    outcome.differences.push(`expected.yaml is invalid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    return outcome;
  }
  const exp = parsed.data;
  outcome.description = exp.description;
  let result;
  try {
    result = await computeResult({ rules: [campaignFile], data: caseDir, asOf: exp.as_of, payoutDate: exp.payout_date }, { warn: () => {} });
  } catch (e) {
    if (e instanceof InvalidInputError) {
      outcome.differences.push(`the case's inputs are invalid:\n${formatDiagnosticsText(e.diagnostics)}`);
      return outcome;
    }
    throw e;
  }
  const c = result.campaigns[0]!;
  const diff = (what: string, want: string | number, got: string | number) => {
    if (String(want) !== String(got)) outcome.differences.push(`${what}: expected ${want}, got ${got}`);
  };
  for (const [pid, want] of Object.entries(exp.partners)) {
    const p = c.partners.find((x) => x.partnerId === pid);
    if (!p) {
      outcome.differences.push(`partner ${pid}: expected in the result, absent`);
      continue;
    }
    if (want.status) diff(`partner ${pid} status`, want.status, p.status);
    if (want.total !== undefined) diff(`partner ${pid} total`, want.total, formatMoney(p.total, c.currency));
    if (want.payout !== undefined) diff(`partner ${pid} payout`, want.payout, formatMoney(p.payout, p.payoutCurrency));
    for (const [svc, amt] of Object.entries(want.services ?? {})) {
      const s = p.services.find((x) => x.service === svc);
      diff(`partner ${pid} ${svc}`, amt, s ? formatMoney(s.amount, c.currency) : '(no such service)');
    }
  }
  for (const pid of exp.absent_partners ?? [])
    if (c.partners.some((p) => p.partnerId === pid)) outcome.differences.push(`partner ${pid}: expected absent, present`);
  if (exp.rows) {
    if (exp.rows.read !== undefined) diff('rows read', exp.rows.read, c.rows.read);
    if (exp.rows.used !== undefined) diff('rows used', exp.rows.used, c.rows.used);
    if (exp.rows.excluded) {
      const codes = new Set([...Object.keys(exp.rows.excluded), ...Object.keys(c.rows.excluded)]);
      for (const code of [...codes].sort()) diff(`rows ${code}`, exp.rows.excluded[code] ?? 0, c.rows.excluded[code as keyof typeof c.rows.excluded] ?? 0);
    }
  }
  outcome.passed = outcome.differences.length === 0;
  return outcome;
}

export type CasesFormat = 'text' | 'github' | 'junit';

export async function runCases(paths: readonly string[], format: CasesFormat = 'text'): Promise<{ output: string; exitCode: 0 | 1 }> {
  const cases = findCases(paths);
  const outcomes: CaseOutcome[] = [];
  for (const { campaignFile, caseDir } of cases) outcomes.push(await runCase(campaignFile, caseDir));
  const failed = outcomes.filter((o) => !o.passed).length;
  const exitCode = failed > 0 || cases.length === 0 ? 1 : 0;
  const summary = `${cases.length - failed} passed, ${failed} failed`;
  if (format === 'junit') return { output: junitXml(outcomes), exitCode };
  if (format === 'github') {
    // A failed case is an error annotation on its expected.yaml; the summary stays plain text in the log.
    const annotations = formatDiagnosticsGithub(
      outcomes
        .filter((o) => !o.passed)
        .map((o) => ({
          code: 'CASE_FAILED',
          severity: 'error' as const,
          file: join(o.dir, 'expected.yaml'),
          line: 1,
          message: `${basename(o.campaign)} › ${o.name}: ${o.differences.join('; ')}`,
        })),
    );
    return { output: annotations + (cases.length ? '' : `::error title=NO_CASES::no campaign cases found\n`) + summary + '\n', exitCode };
  }
  const lines: string[] = [];
  for (const o of outcomes) {
    lines.push(`${o.passed ? 'PASS' : 'FAIL'}  ${basename(o.campaign)} › ${o.name}${o.description ? ` — ${o.description}` : ''}`);
    for (const d of o.differences) lines.push(`      ${d.replace(/\n/g, '\n      ')}`);
  }
  if (cases.length === 0) lines.push('no campaign cases found (expected <campaign>.cases/<case>/expected.yaml beside a campaign)');
  lines.push(summary);
  return { output: lines.join('\n') + '\n', exitCode };
}

const xml = (s: string) =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

/** JUnit XML, as CI systems display it: a suite per campaign file, a test case per case folder. */
function junitXml(outcomes: readonly CaseOutcome[]): string {
  const byCampaign = new Map<string, CaseOutcome[]>();
  for (const o of outcomes) byCampaign.set(o.campaign, [...(byCampaign.get(o.campaign) ?? []), o]);
  const failures = outcomes.filter((o) => !o.passed).length;
  const suites = [...byCampaign].map(([campaign, list]) => {
    const cases = list.map((o) => {
      const attrs = `classname="${xml(basename(campaign).replace(/\.ya?ml$/i, ''))}" name="${xml(o.name)}" file="${xml(join(o.dir, 'expected.yaml'))}"`;
      if (o.passed) return `    <testcase ${attrs}/>`;
      return `    <testcase ${attrs}>\n      <failure message="${xml(o.differences[0] ?? 'failed')}">${xml(o.differences.join('\n'))}</failure>\n    </testcase>`;
    });
    return `  <testsuite name="${xml(campaign)}" tests="${list.length}" failures="${list.filter((o) => !o.passed).length}">\n${cases.join('\n')}\n  </testsuite>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="incent test" tests="${outcomes.length}" failures="${failures}">\n${suites.join('\n')}${suites.length ? '\n' : ''}</testsuites>\n`;
}
