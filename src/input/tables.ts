/** partners.csv, registrations.csv, fx.csv: small tables read whole and validated. */
import { Decimal, DECIMAL_RE, isCurrency, type FxQuote } from '../money/index.js';
import { isIsoDate } from '../dates.js';
import type { PartnerInfo, Registration } from '../engine/types.js';
import { registrationKey } from '../engine/partner-gates.js';
import { readSmallCsv } from './csv.js';
import { RowProblems, requireColumns, show } from './row-errors.js';

const ROLES = new Set(['direct', 'indirect_provider', 'indirect_reseller']);
const STATUSES = new Set(['approved', 'pending', 'rejected']);

function cell(rec: string[], i: number | undefined): string {
  return i === undefined ? '' : (rec[i] ?? '').trim();
}

export async function readPartners(file: string, problems: RowProblems): Promise<Map<string, PartnerInfo>> {
  const { header, rows } = await readSmallCsv(file);
  const out = new Map<string, PartnerInfo>();
  if (!requireColumns(file, header.index, ['partner_id', 'role'], problems)) return out;
  const ix = (n: string) => header.index.get(n);
  for (const { record, line } of rows) {
    const partnerId = cell(record, ix('partner_id'));
    const role = cell(record, ix('role'));
    const payoutCurrency = cell(record, ix('payout_currency'));
    if (!partnerId) problems.add(file, line, 'partner_id', 'partner_id is required', 'a partner id', '(empty)');
    if (!ROLES.has(role)) problems.add(file, line, 'role', 'unknown partner role', 'direct, indirect_provider or indirect_reseller', show(role));
    if (payoutCurrency && !isCurrency(payoutCurrency)) problems.add(file, line, 'payout_currency', 'unknown currency code', 'an ISO 4217 code', show(payoutCurrency));
    const prior = out.get(partnerId);
    if (prior) problems.add(file, line, 'partner_id', `partner ${partnerId} is listed twice (first on line ${prior.line})`, 'each partner once', show(partnerId));
    out.set(partnerId, { partnerId, name: cell(record, ix('name')), country: cell(record, ix('country')), role, payoutCurrency, line });
  }
  return out;
}

export async function readRegistrations(file: string, problems: RowProblems): Promise<Map<string, Registration>> {
  const { header, rows } = await readSmallCsv(file);
  const out = new Map<string, Registration>();
  if (!requireColumns(file, header.index, ['partner_id', 'campaign_id', 'registered_on'], problems)) return out;
  const ix = (n: string) => header.index.get(n);
  for (const { record, line } of rows) {
    const partnerId = cell(record, ix('partner_id'));
    const campaignId = cell(record, ix('campaign_id'));
    const registeredOn = cell(record, ix('registered_on'));
    const status = cell(record, ix('status')) || 'approved';
    if (!partnerId) problems.add(file, line, 'partner_id', 'partner_id is required', 'a partner id', '(empty)');
    if (!campaignId) problems.add(file, line, 'campaign_id', 'campaign_id is required', 'a campaign id', '(empty)');
    if (!isIsoDate(registeredOn)) problems.add(file, line, 'registered_on', 'not a calendar date', 'a date YYYY-MM-DD', show(registeredOn));
    if (!STATUSES.has(status)) problems.add(file, line, 'status', 'unknown registration status', 'approved, pending or rejected', show(status));
    const key = registrationKey(campaignId, partnerId);
    const prior = out.get(key);
    // A partner registered twice: the earliest approved registration stands.
    if (prior && !(prior.status !== 'approved' && status === 'approved') && !(prior.status === status && registeredOn < prior.registeredOn)) continue;
    out.set(key, { partnerId, campaignId, registeredOn, status, line });
  }
  return out;
}

export async function readFx(file: string, problems: RowProblems): Promise<FxQuote[]> {
  const { header, rows } = await readSmallCsv(file);
  const out: FxQuote[] = [];
  if (!requireColumns(file, header.index, ['date', 'from', 'to', 'rate'], problems)) return out;
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
    if (!DECIMAL_RE.test(rate) || new Decimal(rate).lte(0)) problems.add(file, line, 'rate', 'the rate is not a positive number', 'a decimal rate > 0 such as 1.0842', show(rate));
    const key = `${date}|${from}|${to}`;
    if (seen.has(key)) problems.add(file, line, 'date', `a second ${from}->${to} rate for ${date} (first on line ${seen.get(key)})`, 'one rate per pair and day', show(date));
    seen.set(key, line);
    if (problems.count === before) out.push({ date, from, to, rate: new Decimal(rate), source: { file, line } });
  }
  return out;
}
