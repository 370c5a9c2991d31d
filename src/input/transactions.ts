/**
 * transactions.csv: header binding and row validation. Turns a CSV record into a
 * TxRow or reports every problem of the row (file, line, column, expected, found).
 */
import { isCurrency, parseMicros } from '../money/index.js';
import { isIsoDate } from '../dates.js';
import type { TxRow } from '../engine/types.js';
import type { IdCase } from './id-case.js';
import { checkId, countryCell, RowProblems, requireColumns, show } from './row-errors.js';
import { IdFilter, type IdPlace } from './id-filter.js';

export const TX_REQUIRED = ['transaction_id', 'date', 'partner_id', 'customer_id', 'sku', 'license_program'] as const;
export const TX_OPTIONAL = [
  'reseller_id',
  'customer_country',
  'service',
  'subscription_id',
  'subscription_type',
  'quantity',
  'amount',
  'currency',
  'net_new',
  'customer_flags',
] as const;

type Col = (typeof TX_REQUIRED)[number] | (typeof TX_OPTIONAL)[number];
const SUBSCRIPTION_TYPES = new Set(['paid', 'trial', 'beta']);
const FLAGS = new Set(['dedicated', 'public_sector', 'partner_owned', 'microsoft_owned']);
const INT_RE = /^[+-]?\d+$/;

/** A cell, trimmed only when it has surrounding white space (the common case has none). */
export function cell(rec: string[], i: number): string {
  if (i < 0) return '';
  const v = rec[i];
  if (v === undefined || v === '') return '';
  return v.charCodeAt(0) <= 32 || v.charCodeAt(v.length - 1) <= 32 ? v.trim() : v;
}

/** `line N` in the same file, `file:N` in another. */
export function placeName(ids: IdFilter, at: IdPlace, file: string): string {
  const where = ids.files[at.file]!;
  return where === file ? `line ${at.line}` : `${where}:${at.line}`;
}

export const TX_COLUMNS: readonly Col[] = [...TX_REQUIRED, ...TX_OPTIONAL];
/** The index of a record built in TX_COLUMNS order (preset rows). */
export const CANONICAL_INDEX: ReadonlyMap<string, number> = new Map(TX_COLUMNS.map((c, i) => [c, i]));

/** Binds a header once; `toRow` then validates records by column position. */
export class TransactionReader {
  private readonly at: Record<Col, number>;
  readonly ok: boolean;
  private readonly problems: RowProblems;
  private readonly fileNo: number;

  constructor(
    readonly file: string,
    index: ReadonlyMap<string, number>,
    problems: RowProblems,
    /** Shared across files, so an id repeated in two files is found too. */
    readonly ids: IdFilter = new IdFilter(),
    /** Source column names for messages, when a preset maps another layout. */
    labels?: Partial<Record<Col, string>>,
    /** The campaigns' SKUs by lower-case spelling: a SKU that differs only in case takes the card's spelling. */
    private readonly skuSpelling?: ReadonlyMap<string, string>,
  ) {
    this.fileNo = ids.fileIndex(file);
    this.problems = labels ? problems.relabel((c) => (labels[c as Col] ? `${labels[c as Col]} (${c})` : c)) : problems;
    // A canonical file's header is checked for names that nearly are incent's (a preset's columns are its own).
    this.ok = requireColumns(file, index, TX_REQUIRED, problems, labels ? undefined : TX_COLUMNS);
    const at = {} as Record<Col, number>;
    for (const c of TX_COLUMNS) at[c] = index.get(c) ?? -1;
    this.at = at;
  }

  /** Preset rows are named file:line, unique by construction: no need to check them. */
  noIdCheck = false;

  /** The run's GUID-shaped ids: a canonical file's customer and subscription ids compare with other files' in any case (a preset's are already). */
  idCase: IdCase | undefined;

  /** Where the transaction_id is in a record. */
  get idColumn(): number {
    return this.at.transaction_id;
  }

  /** The row, or undefined when it has problems (already reported). */
  toRow(rec: string[], line: number, plain = false): TxRow | undefined {
    const at = this.at;
    const file = this.file;
    const before = this.problems.count;
    const get = (i: number): string => cell(rec, i);
    const id = get(at.transaction_id);
    const date = get(at.date);
    const partnerId = get(at.partner_id);
    const customerId = this.idCase ? this.idCase.canon(get(at.customer_id)) : get(at.customer_id);
    const sku = this.skuSpelling ? this.respell(get(at.sku)) : get(at.sku);
    const licenseProgram = get(at.license_program);
    if (id === '' || date === '' || partnerId === '' || customerId === '' || sku === '' || licenseProgram === '') {
      for (const c of TX_REQUIRED) if (get(at[c]) === '') this.problems.add(file, line, c, `${c} is required`, `a value for ${c}`, '(empty)');
    }
    if (date !== '' && !isIsoDate(date)) {
      this.problems.add(file, line, 'date', 'not a calendar date', 'a date YYYY-MM-DD that exists', show(date));
    }
    const resellerId = get(at.reseller_id);
    const subscriptionId = this.idCase ? this.idCase.canon(get(at.subscription_id)) : get(at.subscription_id);
    checkId(this.problems, file, line, 'transaction_id', id);
    checkId(this.problems, file, line, 'partner_id', partnerId);
    checkId(this.problems, file, line, 'reseller_id', resellerId);
    checkId(this.problems, file, line, 'customer_id', customerId);
    checkId(this.problems, file, line, 'subscription_id', subscriptionId);
    const qText = get(at.quantity);
    let quantity: number | null = null;
    if (qText !== '') {
      if (!INT_RE.test(qText))
        this.problems.add(file, line, 'quantity', 'quantity is not a whole number of seats', 'a signed whole number such as 5 or -2', show(qText));
      else {
        quantity = Number(qText);
        if (!Number.isSafeInteger(quantity)) this.problems.add(file, line, 'quantity', 'quantity is too large', 'a whole number below 2^53', show(qText));
      }
    }
    const aText = get(at.amount);
    let amountMicros: number | undefined | null = null;
    if (aText !== '') {
      amountMicros = parseMicros(aText);
      if (amountMicros === null) {
        const comma = /^[+-]?[\d.]*\d,\d+$/.test(aText);
        this.problems.add(
          file,
          line,
          'amount',
          'amount is not a number',
          comma ? 'a decimal amount such as 1234.50 (for amounts written 1234,50, pass --decimal-comma)' : 'a decimal amount such as 1234.50 or -20',
          show(aText),
        );
      }
    }
    const currency = get(at.currency);
    if (aText !== '' && currency === '') this.problems.add(file, line, 'currency', 'an amount needs its currency', 'an ISO 4217 code such as USD', '(empty)');
    else if (currency !== '' && !isCurrency(currency)) {
      this.problems.add(file, line, 'currency', 'unknown currency code', 'an ISO 4217 code such as USD, EUR, GBP', show(currency));
    }
    const subType = get(at.subscription_type) || 'paid';
    if (!SUBSCRIPTION_TYPES.has(subType)) {
      this.problems.add(file, line, 'subscription_type', 'unknown subscription type', 'paid, trial or beta', show(subType));
    }
    const nn = get(at.net_new).toLowerCase();
    let netNew: boolean | null = null;
    if (nn === 'true') netNew = true;
    else if (nn === 'false') netNew = false;
    else if (nn !== '') this.problems.add(file, line, 'net_new', 'net_new is not a boolean', 'true, false or empty', show(nn));
    const flagsText = get(at.customer_flags);
    let flags: string[] | null = null;
    if (flagsText !== '') {
      flags = flagsText
        .split(';')
        .map((f) => f.trim())
        .filter((f) => f !== '');
      for (const f of flags) if (!FLAGS.has(f)) this.problems.add(file, line, 'customer_flags', `unknown customer flag ${f}`, [...FLAGS].join(', '), show(f));
    }
    const country = countryCell(this.problems, file, line, 'customer_country', get(at.customer_country));
    if (id !== '' && !this.noIdCheck) {
      const first = this.ids.add(id, this.fileNo, line);
      if (first)
        this.problems.add(
          file,
          line,
          'transaction_id',
          `transaction_id ${id} is repeated (first on ${placeName(this.ids, first, file)})`,
          'a transaction_id used once',
          show(id),
        );
    }
    if (this.problems.count !== before) return undefined;
    // One row object refilled for every record when streaming: the engine keeps values, never the row.
    const o = this.reuse && this.scratchRow ? this.scratchRow : ({} as TxRow);
    o.id = id;
    o.plain = plain;
    o.line = line;
    o.date = date;
    o.partnerId = partnerId;
    o.resellerId = resellerId;
    o.customerId = customerId;
    o.country = country;
    o.sku = sku;
    o.service = get(at.service);
    o.licenseProgram = licenseProgram;
    o.subscriptionId = subscriptionId;
    o.subscriptionType = subType;
    o.quantity = quantity;
    o.amount = aText === '' ? null : aText;
    o.amountMicros = amountMicros ?? undefined;
    o.currency = currency;
    o.netNew = netNew;
    o.flags = flags;
    if (this.reuse) this.scratchRow = o;
    return o;
  }

  private readonly spelled = new Map<string, string>();

  /** A SKU as the campaigns spell it (`cfq7ttc0lf8q:0001` is `CFQ7TTC0LF8Q:0001`); one lookup per row once seen. */
  private respell(sku: string): string {
    let s = this.spelled.get(sku);
    if (s !== undefined) return s;
    s = this.skuSpelling!.get(sku.toLowerCase()) ?? sku;
    if (this.spelled.size < 100_000) this.spelled.set(sku, s);
    return s;
  }

  /** Hand out one reused row object (streaming into the engine); off by default. */
  reuse = false;
  private scratchRow: TxRow | undefined;
}
