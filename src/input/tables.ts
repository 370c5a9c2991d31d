/** partners.csv, registrations.csv, fx.csv, claims.csv, eligibility.csv: small tables read whole and validated. */
import { Decimal, DECIMAL_RE, isCurrency, type FxQuote } from '../money/index.js';
import { isIsoDate } from '../dates.js';
import type { Claim, EligibilitySpan, PartnerInfo, Registration } from '../engine/types.js';
import { overlappingClaims } from '../engine/claims.js';
import { editDistance } from '../campaign/suggest.js';
import { registrationKey } from '../engine/partner-gates.js';
import { readSmallCsv, type CsvSettings } from './csv.js';
import type { IdCase } from './id-case.js';
import { checkId, countryCell, RowProblems, requireColumns, show } from './row-errors.js';

const ROLES = new Set(['direct', 'indirect_provider', 'indirect_reseller']);
const STATUSES = new Set(['approved', 'pending', 'rejected']);

function cell(rec: string[], i: number | undefined): string {
  return i === undefined ? '' : (rec[i] ?? '').trim();
}

export async function readPartners(file: string, problems: RowProblems, settings: CsvSettings = {}): Promise<Map<string, PartnerInfo>> {
  const { header, rows } = await readSmallCsv(file, settings);
  const out = new Map<string, PartnerInfo>();
  if (!requireColumns(file, header.index, ['partner_id', 'role'], problems, ['partner_id', 'name', 'country', 'role', 'payout_currency'])) return out;
  const ix = (n: string) => header.index.get(n);
  for (const { record, line } of rows) {
    const partnerId = cell(record, ix('partner_id'));
    const role = cell(record, ix('role'));
    const payoutCurrency = cell(record, ix('payout_currency'));
    if (!partnerId) problems.add(file, line, 'partner_id', 'partner_id is required', 'a partner id', '(empty)');
    checkId(problems, file, line, 'partner_id', partnerId);
    if (!ROLES.has(role)) problems.add(file, line, 'role', 'unknown partner role', 'direct, indirect_provider or indirect_reseller', show(role));
    if (payoutCurrency && !isCurrency(payoutCurrency))
      problems.add(file, line, 'payout_currency', 'unknown currency code', 'an ISO 4217 code', show(payoutCurrency));
    const country = countryCell(problems, file, line, 'country', cell(record, ix('country')));
    const prior = out.get(partnerId);
    if (prior)
      problems.add(file, line, 'partner_id', `partner ${partnerId} is listed twice (first on line ${prior.line})`, 'each partner once', show(partnerId));
    out.set(partnerId, { partnerId, name: cell(record, ix('name')), country, role, payoutCurrency, line });
  }
  return out;
}

/**
 * Every registration row, by campaign and partner, in file order. A partner may be
 * registered more than once (a rejected registration, then an approved one); which
 * one counts depends on the campaign's accepted statuses, so the campaign chooses
 * (engine/partner-gates.ts), not the reader.
 */
export async function readRegistrations(file: string, problems: RowProblems, settings: CsvSettings = {}): Promise<Map<string, Registration[]>> {
  const { header, rows } = await readSmallCsv(file, settings);
  const out = new Map<string, Registration[]>();
  if (!requireColumns(file, header.index, ['partner_id', 'campaign_id', 'registered_on'], problems, ['partner_id', 'campaign_id', 'registered_on', 'status']))
    return out;
  const ix = (n: string) => header.index.get(n);
  for (const { record, line } of rows) {
    const partnerId = cell(record, ix('partner_id'));
    const campaignId = cell(record, ix('campaign_id'));
    const registeredOn = cell(record, ix('registered_on'));
    const status = cell(record, ix('status')) || 'approved';
    if (!partnerId) problems.add(file, line, 'partner_id', 'partner_id is required', 'a partner id', '(empty)');
    checkId(problems, file, line, 'partner_id', partnerId);
    if (!campaignId) problems.add(file, line, 'campaign_id', 'campaign_id is required', 'a campaign id', '(empty)');
    if (!isIsoDate(registeredOn)) problems.add(file, line, 'registered_on', 'not a calendar date', 'a date YYYY-MM-DD', show(registeredOn));
    if (!STATUSES.has(status)) problems.add(file, line, 'status', 'unknown registration status', 'approved, pending or rejected', show(status));
    const key = registrationKey(campaignId, partnerId);
    const mine = out.get(key);
    const reg = { partnerId, campaignId, registeredOn, status, line };
    if (mine) mine.push(reg);
    else out.set(key, [reg]);
  }
  return out;
}

export async function readFx(file: string, problems: RowProblems, settings: CsvSettings = {}): Promise<FxQuote[]> {
  const { header, rows } = await readSmallCsv(file, settings);
  const out: FxQuote[] = [];
  if (!requireColumns(file, header.index, ['date', 'from', 'to', 'rate'], problems, ['date', 'from', 'to', 'rate'])) return out;
  const ix = (n: string) => header.index.get(n);
  const seen = new Map<string, number>();
  for (const { record, line } of rows) {
    const date = cell(record, ix('date'));
    const from = cell(record, ix('from'));
    const to = cell(record, ix('to'));
    const rate = cell(record, ix('rate'));
    const before = problems.count;
    if (!isIsoDate(date)) problems.add(file, line, 'date', 'not a calendar date', 'a date YYYY-MM-DD', show(date));
    if (!isCurrency(from)) problems.add(file, line, 'from', 'unknown currency code', 'an ISO 4217 code', show(from));
    if (!isCurrency(to)) problems.add(file, line, 'to', 'unknown currency code', 'an ISO 4217 code', show(to));
    if (!DECIMAL_RE.test(rate) || new Decimal(rate).lte(0))
      problems.add(file, line, 'rate', 'the rate is not a positive number', 'a decimal rate > 0 such as 1.0842', show(rate));
    const key = `${date}|${from}|${to}`;
    if (seen.has(key))
      problems.add(file, line, 'date', `a second ${from}->${to} rate for ${date} (first on line ${seen.get(key)})`, 'one rate per pair and day', show(date));
    seen.set(key, line);
    if (problems.count === before) out.push({ date, from, to, rate: new Decimal(rate), source: { file, line } });
  }
  return out;
}

const CLAIM_TYPES = new Set(['CPOR', 'PAL', 'DPOR']);

/**
 * claims.csv: partner-of-record claims. Overlapping claims of one type on one target are
 * an error naming both rows. A workload must be one usage.csv may name (`workloads`), as
 * usage.csv writes it: a claim on `exo` would claim no usage of ExO.
 */
export async function readClaims(
  file: string,
  problems: RowProblems,
  settings: CsvSettings,
  workloads: ReadonlySet<string>,
  /** The run's GUID-shaped ids: a claim's customer and subscription compare with the other files' in any case. */
  idCase: IdCase,
): Promise<Claim[]> {
  const { header, rows } = await readSmallCsv(file, settings);
  const out: Claim[] = [];
  if (
    !requireColumns(file, header.index, ['partner_id', 'customer_id', 'type', 'from'], problems, [
      'partner_id',
      'customer_id',
      'subscription_id',
      'workload',
      'type',
      'from',
      'to',
    ])
  )
    return out;
  const ix = (n: string) => header.index.get(n);
  for (const { record, line } of rows) {
    const before = problems.count;
    const partnerId = cell(record, ix('partner_id'));
    const customerId = idCase.canon(cell(record, ix('customer_id')));
    const type = cell(record, ix('type'));
    const from = cell(record, ix('from'));
    const to = cell(record, ix('to'));
    if (!partnerId) problems.add(file, line, 'partner_id', 'partner_id is required', 'a partner id', '(empty)');
    if (!customerId) problems.add(file, line, 'customer_id', 'customer_id is required', 'a customer id', '(empty)');
    checkId(problems, file, line, 'partner_id', partnerId);
    checkId(problems, file, line, 'customer_id', customerId);
    if (!CLAIM_TYPES.has(type)) problems.add(file, line, 'type', 'unknown claim type', 'CPOR, PAL or DPOR', show(type));
    const workload = cell(record, ix('workload'));
    if (workload && !workloads.has(workload))
      problems.add(file, line, 'workload', `unknown workload ${workload}`, `one of ${[...workloads].join(', ')}`, show(workload));
    checkSpan(file, line, from, to, problems);
    if (problems.count !== before) continue;
    out.push({
      partnerId,
      customerId,
      subscriptionId: idCase.canon(cell(record, ix('subscription_id'))),
      workload,
      type,
      from,
      to: to || null,
      line,
    });
  }
  for (const [a, b] of overlappingClaims(out)) {
    const target = b.subscriptionId ? `subscription ${b.subscriptionId}` : b.workload ? `workload ${b.workload}` : 'the whole customer';
    problems.add(
      file,
      b.line,
      'from',
      `${b.type} claim by ${b.partnerId} on ${target} of customer ${b.customerId} overlaps the ${a.type} claim by ${a.partnerId} on line ${a.line} (${a.from}..${a.to ?? 'open'})`,
      `one ${b.type} claim at a time: start after ${a.to ?? 'the open claim is closed'}`,
      `${b.from}..${b.to ?? 'open'}`,
    );
  }
  return out;
}

/** A from/to span: from a date, to empty (open) or a date on or after from. */
function checkSpan(file: string, line: number, from: string, to: string, problems: RowProblems): void {
  if (!isIsoDate(from)) problems.add(file, line, 'from', 'not a calendar date', 'a date YYYY-MM-DD', show(from));
  if (to && !isIsoDate(to)) problems.add(file, line, 'to', 'not a calendar date', 'a date YYYY-MM-DD, or empty for open', show(to));
  else if (to && isIsoDate(from) && to < from)
    problems.add(file, line, 'to', `the span ends (${to}) before it starts (${from})`, `a date on or after ${from}, or empty`, to);
}

/** eligibility.csv: spans in which a partner met a requirement. */
/**
 * eligibility.csv: requirement spans. `known`: the requirement names this run's campaigns
 * read (the four of the programs, and their own); a name that is not one of them but
 * within two letters of one, or one in another case (partner_membrship,
 * Bank_Tax_Profile), is an error suggesting it, since the partner would
 * silently never meet the requirement. Other names are kept: they may be another
 * campaign's.
 */
export async function readEligibility(
  file: string,
  problems: RowProblems,
  settings: CsvSettings = {},
  known: readonly string[] = [],
): Promise<EligibilitySpan[]> {
  const { header, rows } = await readSmallCsv(file, settings);
  const out: EligibilitySpan[] = [];
  if (!requireColumns(file, header.index, ['partner_id', 'requirement', 'from'], problems, ['partner_id', 'requirement', 'from', 'to'])) return out;
  const ix = (n: string) => header.index.get(n);
  for (const { record, line } of rows) {
    const before = problems.count;
    const partnerId = cell(record, ix('partner_id'));
    const requirement = cell(record, ix('requirement'));
    const from = cell(record, ix('from'));
    const to = cell(record, ix('to'));
    if (!partnerId) problems.add(file, line, 'partner_id', 'partner_id is required', 'a partner id', '(empty)');
    checkId(problems, file, line, 'partner_id', partnerId);
    if (!requirement)
      problems.add(
        file,
        line,
        'requirement',
        'requirement is required',
        "partner_membership, distributor_agreement, incentive_tool_onboarding, bank_tax_profile or a campaign's own name",
        '(empty)',
      );
    const near = requirement && !known.includes(requirement) ? known.find((k) => editDistance(k.toLowerCase(), requirement.toLowerCase()) <= 2) : undefined;
    if (near !== undefined)
      problems.add(
        file,
        line,
        'requirement',
        `unknown requirement; did you mean ${near}?`,
        `a requirement this run reads: ${known.join(', ')}`,
        show(requirement),
      );
    checkSpan(file, line, from, to, problems);
    if (problems.count === before) out.push({ partnerId, requirement, from, to: to || null, line });
  }
  return out;
}
