/**
 * Microsoft's earnings export (Partner Center's earnings / transaction-history
 * download), CSV or TSV: read exactly or refused with file:line:column. Column names
 * are matched case-insensitively; where the export has two spellings, either is read.
 * Growth reports repeat one earning on every transaction that contributed to it: the
 * lines are kept, the earning (its id) is counted once.
 */
import type { Diagnostic } from '../diagnostics.js';
import { InvalidInputError } from '../diagnostics.js';
import { Decimal, DECIMAL_RE, isCurrency } from '../money/index.js';
import { isIsoDate } from '../dates.js';
import { readCsv, type CsvSettings } from './csv.js';
import { SlashDates, type DateFormat } from './presets/us-date.js';
import { rewrittenId, show } from './row-errors.js';

/** Each field of an earnings line and the column names that carry it (lower case). */
const COLUMNS = {
  earningId: ['earningid'],
  earningAmount: ['earningamount'],
  earningAmountUSD: ['earningamountusd'],
  earningAmountInLastPaymentCurrency: ['earningamountinlastpaymentcurrency'],
  earningRate: ['earningrate'],
  earningExchangeRate: ['earningexchangerate'],
  exchangeRateDate: ['exchangeratedate'],
  earningType: ['earningtype'],
  programName: ['programname'],
  lever: ['lever'],
  engagementName: ['engagementname'],
  earningDate: ['earningdate'],
  transactionDate: ['transactiondate'],
  calculationDate: ['calculationdate'],
  transactionId: ['transactionid'],
  lineItemId: ['lineitemid'],
  invoiceNumber: ['invoicenumber'],
  orderId: ['orderid'],
  subscriptionId: ['subscriptionid'],
  customerId: ['customerid', 'customertenantid'],
  productId: ['productid'],
  skuId: ['skuid'],
  partNumber: ['partnumber'],
  quantity: ['quantity'],
  transactionAmount: ['transactionamount'],
  transactionCurrency: ['transactioncurrency'],
  transactionAmountUSD: ['transactionamountusd'],
  transactionType: ['transactiontype'],
  partnerId: ['participantid', 'partnerid'],
  participantName: ['participantname'],
  resellerId: ['resellerid'],
  resellerName: ['resellername'],
  paymentId: ['paymentid'],
  paymentStatus: ['paymentstatus'],
  paymentStatusDescription: ['paymentstatusdescription'],
  lastPaymentCurrency: ['lastpaymentcurrency'],
  reasonCode: ['reasoncode'],
} as const;

type Field = keyof typeof COLUMNS;
const DECIMALS = [
  'earningAmount',
  'earningAmountUSD',
  'earningAmountInLastPaymentCurrency',
  'earningRate',
  'earningExchangeRate',
  'quantity',
  'transactionAmount',
  'transactionAmountUSD',
] as const;
const DATES = ['earningDate', 'transactionDate', 'calculationDate', 'exchangeRateDate'] as const;
const CURRENCIES = ['transactionCurrency', 'lastPaymentCurrency'] as const;
type DecimalField = (typeof DECIMALS)[number];
type DateField = (typeof DATES)[number];

/** One line of the export, its text trimmed; numbers as exact decimals, dates as YYYY-MM-DD. */
export type EarningLine = { file: string; line: number } & { [K in Exclude<Field, DecimalField | DateField>]: string } & {
  [K in DecimalField]: Decimal | null;
} & { [K in DateField]: string | null };

export interface EarningsRead {
  lines: EarningLine[];
  /** Per file: lines read. */
  files: { file: string; lines: number }[];
}

/**
 * Reads every file; problems of all files are reported together. A date is ISO or
 * M/D/YYYY (or --date-format); a file whose slash dates are day-first or ambiguous is
 * refused, as everywhere in incent.
 */
export async function readEarnings(files: readonly string[], settings: CsvSettings & { dateFormat?: DateFormat } = {}): Promise<EarningsRead> {
  const problems: Diagnostic[] = [];
  const lines: EarningLine[] = [];
  const counts: { file: string; lines: number }[] = [];
  for (const file of files) {
    let at: Map<Field, number> | undefined;
    const dates = new SlashDates(settings.dateFormat);
    let n = 0;
    await readCsv(
      file,
      (h) => {
        at = new Map();
        const lower = new Map<string, number>();
        h.names.forEach((name, i) => lower.set(name.trim().toLowerCase(), i));
        for (const [field, names] of Object.entries(COLUMNS) as [Field, readonly string[]][]) {
          for (const name of names) {
            const i = lower.get(name);
            if (i !== undefined && !at.has(field)) at.set(field, i);
          }
        }
        const missing: string[] = [];
        if (!at.has('earningId')) missing.push('earningId');
        if (!at.has('programName')) missing.push('programName');
        if (!at.has('partnerId')) missing.push('participantID (or partnerId)');
        if (!at.has('lever') && !at.has('engagementName')) missing.push('lever (or engagementName)');
        if (!at.has('earningAmount') && !at.has('earningAmountUSD') && !at.has('earningAmountInLastPaymentCurrency'))
          missing.push('earningAmount (or earningAmountUSD)');
        if (missing.length) {
          throw new InvalidInputError([
            {
              code: 'MISSING_COLUMN',
              severity: 'error',
              file,
              line: 1,
              field: missing.join(', '),
              message: `not an earnings export: the header lacks ${missing.join(', ')}`,
              expected: "Partner Center's earnings export columns (earningId, programName, lever, participantID, earningAmount, ...)",
              found: h.names.join(', ') || '(no columns)',
            },
          ]);
        }
      },
      (rec, line) => {
        n++;
        const cols = at!;
        const text = (f: Field) => {
          const i = cols.get(f);
          return i === undefined ? '' : (rec[i] ?? '').trim();
        };
        const bad = (f: Field, message: string, expected: string, found: string) =>
          problems.push({ code: 'INVALID_ROW', severity: 'error', file, line, column: cols.get(f)! + 1, field: COLUMNS[f][0], message, expected, found });
        const out: Record<string, unknown> = { file, line };
        for (const f of Object.keys(COLUMNS) as Field[]) out[f] = text(f);
        for (const f of DECIMALS) {
          const v = text(f);
          if (v === '') out[f] = null;
          else if (DECIMAL_RE.test(v)) out[f] = new Decimal(v);
          else {
            out[f] = null;
            bad(f, `${COLUMNS[f][0]} is not a number`, 'a decimal number such as 1250.00 or -96', show(v));
          }
        }
        for (const f of DATES) {
          const v = text(f);
          if (v === '') {
            out[f] = null;
            continue;
          }
          const iso = /^\d{4}-\d{2}-\d{2}([T ].*)?$/.test(v) ? v.slice(0, 10) : dates.read(v);
          out[f] = iso;
          if (!isIsoDate(iso)) bad(f, `${COLUMNS[f][0]} is not a calendar date`, 'YYYY-MM-DD or M/D/YYYY', show(v));
        }
        for (const f of CURRENCIES) {
          const v = text(f);
          if (v !== '' && !isCurrency(v.toUpperCase())) bad(f, 'unknown currency code', 'an ISO 4217 code such as USD', show(v));
          out[f] = v.toUpperCase();
        }
        // Ids a spreadsheet or a script rewrote as numbers would match no row of incent's: every earning unmatched.
        for (const f of ['earningId', 'transactionId', 'subscriptionId', 'customerId', 'partnerId', 'resellerId'] as const) {
          const why = rewrittenId(COLUMNS[f][0], text(f));
          if (why) bad(f, why.message, why.expected, show(text(f)));
        }
        if (!text('earningId')) bad('earningId', 'earningId is required', 'the id of the earning', '(empty)');
        if (!text('partnerId')) bad('partnerId', 'the partner is required', 'participantID: the partner who earned', '(empty)');
        if (out.earningAmount === null && out.earningAmountUSD === null && out.earningAmountInLastPaymentCurrency === null) {
          bad(
            cols.has('earningAmount') ? 'earningAmount' : cols.has('earningAmountUSD') ? 'earningAmountUSD' : 'earningAmountInLastPaymentCurrency',
            'the earning has no amount',
            'earningAmount or earningAmountUSD',
            '(empty)',
          );
        }
        lines.push(out as EarningLine);
      },
      undefined,
      settings,
    );
    const p = dates.problem();
    if (p) problems.push({ code: 'AMBIGUOUS_DATES', severity: 'error', file, ...p });
    counts.push({ file, lines: n });
  }
  if (problems.length) throw new InvalidInputError(problems.slice(0, 200));
  return { lines, files: counts };
}

/** The SKU as incent's rows write it: `productId:skuId` (the NCE billing files' form), else partNumber. */
export function earningSku(l: EarningLine): string {
  if (l.productId && l.skuId) return `${l.productId}:${l.skuId}`;
  return l.partNumber || l.skuId || l.productId;
}
