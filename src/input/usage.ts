/**
 * usage.csv: activity rows in one of two shapes, streamed. Events (`user_id`): a user
 * acted in a workload on a day. Counts (`metric`, `value`): a number reported for a
 * customer, workload and SKU on a day. A file may mix them; each row is one or the other.
 */
import { isIsoDate } from '../dates.js';
import type { UsageRow } from '../engine/types.js';
import type { IdCase } from './id-case.js';
import { checkId, countryCell, RowProblems, requireColumns, show } from './row-errors.js';

const SUBSCRIPTION_TYPES = new Set(['paid', 'trial', 'beta']);
const FLAGS = new Set(['dedicated', 'public_sector', 'partner_owned', 'microsoft_owned']);
const COUNT_RE = /^\d+$/;

/** Workloads and metrics incent knows without a campaign naming them (seed 002). */
export const KNOWN_WORKLOADS = ['ExO', 'SpO', 'SfB', 'ProPlus', 'Teams', 'OneDrive', 'Yammer', 'Intune', 'AADP', 'PowerPlatform', 'PowerBI'] as const;
export const KNOWN_METRICS = ['active_users', 'deployed_licenses', 'third_party_app_users', 'sspr_registered', 'mfa_enabled'] as const;

const COLUMNS = [
  'date',
  'customer_id',
  'workload',
  'user_id',
  'sku',
  'subscription_id',
  'metric',
  'value',
  'customer_country',
  'customer_flags',
  'subscription_type',
  'license_program',
] as const;
type Col = (typeof COLUMNS)[number];

function cell(rec: string[], i: number): string {
  if (i < 0) return '';
  const v = rec[i];
  if (v === undefined || v === '') return '';
  return v.charCodeAt(0) <= 32 || v.charCodeAt(v.length - 1) <= 32 ? v.trim() : v;
}

export class UsageReader {
  private readonly at: Record<Col, number>;
  readonly ok: boolean;

  constructor(
    readonly file: string,
    index: ReadonlyMap<string, number>,
    private readonly problems: RowProblems,
    private readonly workloads: ReadonlySet<string>,
    private readonly metrics: ReadonlySet<string>,
    /** The run's GUID-shaped ids: customer and subscription ids compare with transactions.csv's and claims.csv's in any case. */
    private readonly idCase?: IdCase,
  ) {
    const at = {} as Record<Col, number>;
    for (const c of COLUMNS) at[c] = index.get(c) ?? -1;
    this.at = at;
    const missing = (['date', 'customer_id', 'workload'] as const).filter((c) => at[c] < 0);
    const events = at.user_id >= 0;
    const counts = at.metric >= 0 && at.value >= 0;
    // Names that nearly are usage.csv's (`User ID`, `metrc`) are errors of their own.
    const named = requireColumns(file, index, [], problems, COLUMNS);
    if (missing.length || (!events && !counts)) {
      problems.addDiagnostic({
        code: 'MISSING_COLUMN',
        severity: 'error',
        file,
        line: 1,
        field: [...missing, ...(!events && !counts ? ['user_id or metric,value'] : [])].join(', '),
        message: 'usage.csv needs date, customer_id, workload, and user_id (events) or metric and value (counts)',
        expected: 'date,customer_id,user_id,workload[,sku,subscription_id]  or  date,customer_id,workload,sku,metric,value',
        found: [...index.keys()].join(', ') || '(no columns)',
      });
      this.ok = false;
    } else this.ok = named;
  }

  /** The row, or undefined when it has problems (already reported). */
  toRow(rec: string[], line: number): UsageRow | undefined {
    const at = this.at;
    const file = this.file;
    const p = this.problems;
    const before = p.count;
    const date = cell(rec, at.date);
    const customerId = this.idCase ? this.idCase.canon(cell(rec, at.customer_id)) : cell(rec, at.customer_id);
    const workload = cell(rec, at.workload);
    const userId = cell(rec, at.user_id);
    const metric = cell(rec, at.metric);
    const valueText = cell(rec, at.value);
    if (!isIsoDate(date)) p.add(file, line, 'date', date ? 'not a calendar date' : 'date is required', 'a date YYYY-MM-DD that exists', show(date));
    if (!customerId) p.add(file, line, 'customer_id', 'customer_id is required', 'a customer id', '(empty)');
    if (!this.workloads.has(workload)) {
      p.add(
        file,
        line,
        'workload',
        workload ? `unknown workload ${workload}` : 'workload is required',
        `one of ${[...this.workloads].join(', ')}`,
        show(workload),
      );
    }
    let value: number | null = null;
    if (userId && metric)
      p.add(file, line, 'metric', 'a row is an event (user_id) or a count (metric, value), not both', 'user_id, or metric and value', show(metric));
    else if (!userId && !metric)
      p.add(
        file,
        line,
        at.user_id >= 0 ? 'user_id' : 'metric',
        'the row has neither a user_id (event) nor a metric (count)',
        'user_id, or metric and value',
        '(empty)',
      );
    else if (metric) {
      if (!this.metrics.has(metric)) p.add(file, line, 'metric', `unknown metric ${metric}`, `one of ${[...this.metrics].join(', ')}`, show(metric));
      if (!COUNT_RE.test(valueText)) {
        const negative = /^-\d+$/.test(valueText);
        p.add(file, line, 'value', negative ? 'a count must be 0 or more' : 'value is not a whole number', 'a count >= 0 such as 120', show(valueText));
      } else {
        value = Number(valueText);
        if (!Number.isSafeInteger(value)) p.add(file, line, 'value', 'value is too large', 'a whole number below 2^53', show(valueText));
      }
    }
    const country = countryCell(p, file, line, 'customer_country', cell(rec, at.customer_country));
    checkId(p, file, line, 'customer_id', customerId);
    const subscriptionType = cell(rec, at.subscription_type);
    if (subscriptionType && !SUBSCRIPTION_TYPES.has(subscriptionType))
      p.add(file, line, 'subscription_type', 'unknown subscription type', 'paid, trial or beta', show(subscriptionType));
    const flagsText = cell(rec, at.customer_flags);
    let flags: string[] | null = null;
    if (flagsText) {
      flags = flagsText
        .split(';')
        .map((f) => f.trim())
        .filter((f) => f !== '');
      for (const f of flags) if (!FLAGS.has(f)) p.add(file, line, 'customer_flags', `unknown customer flag ${f}`, [...FLAGS].join(', '), show(f));
    }
    if (p.count !== before) return undefined;
    // One row object refilled for every record when streaming: the engine keeps values, never the row.
    const o = this.reuse && this.scratchRow ? this.scratchRow : ({} as UsageRow);
    o.line = line;
    o.date = date;
    o.customerId = customerId;
    o.workload = workload;
    o.sku = cell(rec, at.sku);
    o.subscriptionId = this.idCase ? this.idCase.canon(cell(rec, at.subscription_id)) : cell(rec, at.subscription_id);
    o.userId = userId;
    o.metric = metric;
    o.value = value;
    o.country = country;
    o.flags = flags;
    o.subscriptionType = subscriptionType;
    o.licenseProgram = cell(rec, at.license_program);
    if (this.reuse) this.scratchRow = o;
    return o;
  }

  /** Hand out one reused row object (streaming into the engine); off by default. */
  reuse = false;
  private scratchRow: UsageRow | undefined;
}
