/**
 * Microsoft's earnings, as reconcile compares them: the export's lines split by the
 * campaign whose program they are, then grouped into earnings (an earningId counted
 * once), each with its service and its amount in the campaign currency by Microsoft's
 * own figures. Anything that cannot be compared exactly is an error naming file and line.
 */
import { InvalidInputError, type Diagnostic } from '../diagnostics.js';
import { ZERO, type Decimal } from '../money/index.js';
import type { Campaign, ReconcileSpec } from '../campaign/model.js';
import type { EarningLine } from '../input/earnings.js';

/** One of Microsoft's earnings: its lines (a growth earning has one per contributing transaction), counted once. */
export interface Earning {
  earningId: string;
  partnerId: string;
  service: string;
  lines: EarningLine[];
  /** In the campaign currency (Microsoft's own exchange rate where currencies differ); 0 when the payment was reversed. */
  amount: Decimal;
  /** As the export states it. */
  own: { amount: Decimal; currency: string };
  reversed: boolean;
  adjustment: boolean;
  earningDate: string | null;
}

/** Lines of the export whose program no campaign reconciles: counted, not compared. */
export interface OtherPrograms {
  lines: number;
  programs: Record<string, number>;
}

export const low = (s: string | undefined) => (s ?? '').toLowerCase();
export const monthOf = (d: string | null | undefined) => (d ? d.slice(0, 7) : '');

function problem(l: EarningLine, field: string, message: string, expected: string, found: string): Diagnostic {
  return { code: 'INVALID_EARNING', severity: 'error', file: l.file, line: l.line, field, message, expected, found };
}

/** Splits the export's lines by the campaign whose program they are; the rest are counted. */
export function linesByCampaign(
  inputs: readonly { campaign: Campaign; spec: ReconcileSpec }[],
  lines: readonly EarningLine[],
): { byCampaign: Map<string, EarningLine[]>; other: OtherPrograms } {
  const byProgram = new Map<string, string>();
  const clash: Diagnostic[] = [];
  for (const { campaign, spec } of inputs) {
    const had = byProgram.get(low(spec.program));
    if (had)
      clash.push({
        code: 'PROGRAM_TWICE',
        severity: 'error',
        file: campaign.file,
        field: 'reconcile.program',
        message: `campaigns ${had} and ${campaign.id} both reconcile program "${spec.program}"`,
        expected: 'one campaign per program',
        found: spec.program,
      });
    byProgram.set(low(spec.program), campaign.id);
  }
  if (clash.length) throw new InvalidInputError(clash);
  const byCampaign = new Map<string, EarningLine[]>(inputs.map((i) => [i.campaign.id, []]));
  const other: OtherPrograms = { lines: 0, programs: {} };
  for (const l of lines) {
    const id = byProgram.get(low(l.programName));
    if (id) byCampaign.get(id)!.push(l);
    else {
      other.lines++;
      other.programs[l.programName] = (other.programs[l.programName] ?? 0) + 1;
    }
  }
  return { byCampaign, other };
}

/** The earning's amount in the campaign currency, by Microsoft's own figures, or why it cannot be had. */
function inCampaignCurrency(l: EarningLine, currency: string): Decimal | string {
  const txCur = l.transactionCurrency;
  if (l.earningAmount !== null && txCur === currency) return l.earningAmount;
  if (currency === 'USD' && l.earningAmountUSD !== null) return l.earningAmountUSD;
  if (currency === 'USD' && l.earningAmount !== null && txCur && l.earningExchangeRate !== null) return l.earningAmount.times(l.earningExchangeRate);
  if (l.earningAmountInLastPaymentCurrency !== null && l.lastPaymentCurrency === currency) return l.earningAmountInLastPaymentCurrency;
  if (l.earningAmount !== null && !txCur) return 'earningAmount has no currency (transactionCurrency is empty)';
  return `no amount in ${currency}: the line states ${[l.earningAmount !== null ? `${l.earningAmount.toString()} ${txCur}` : '', l.earningAmountUSD !== null ? `${l.earningAmountUSD.toString()} USD` : ''].filter(Boolean).join(', ') || 'no convertible amount'}`;
}

const REVERSING_TYPES = new Set(['refund', 'cancellation', 'cancel', 'chargeback', 'reversal']);

/** Groups one campaign's lines into earnings (an earningId counted once), with service and amount. */
export function earningsOf(campaign: Campaign, spec: ReconcileSpec, lines: readonly EarningLine[]): Earning[] {
  const problems: Diagnostic[] = [];
  const byId = new Map<string, Earning>();
  for (const l of lines) {
    const service = spec.levers.get(l.lever) ?? spec.levers.get(l.engagementName);
    if (service === undefined) {
      problems.push(
        problem(
          l,
          'lever',
          `lever ${JSON.stringify(l.lever || l.engagementName)} of "${l.programName}" pays no service of ${campaign.id}`,
          `one of ${[...spec.levers.keys()].map((k) => JSON.stringify(k)).join(', ')} (reconcile.levers in ${campaign.file})`,
          l.lever || l.engagementName || '(empty)',
        ),
      );
      continue;
    }
    const amount = inCampaignCurrency(l, campaign.currency);
    if (typeof amount === 'string') {
      problems.push(
        problem(
          l,
          'earningAmount',
          `cannot compare in ${campaign.currency}: ${amount}`,
          `earningAmount in ${campaign.currency}${campaign.currency === 'USD' ? ', earningAmountUSD, or earningAmount with earningExchangeRate' : ''}`,
          amount,
        ),
      );
      continue;
    }
    const reversed = low(l.paymentStatus) === 'reversed' || REVERSING_TYPES.has(low(l.transactionType));
    const had = byId.get(l.earningId);
    if (had) {
      const first = had.lines[0]!;
      // A growth earning repeats on each contributing transaction with the same figures; different figures cannot both stand.
      const same = first.partnerId === l.partnerId && had.service === service && inCampaignCurrency(first, campaign.currency).toString() === amount.toString();
      if (!same) {
        problems.push(
          problem(
            l,
            'earningId',
            `earning ${l.earningId} is written differently on line ${first.line} and here`,
            'the same partner, lever and amount on every line of one earningId',
            `${l.partnerId} ${l.lever || l.engagementName} ${amount.toString()} here, ${first.partnerId} ${first.lever || first.engagementName} ${inCampaignCurrency(first, campaign.currency).toString()} on line ${first.line}`,
          ),
        );
      }
      had.lines.push(l);
      had.reversed ||= reversed;
      continue;
    }
    const ownCurrency = l.earningAmount !== null ? l.transactionCurrency || campaign.currency : l.earningAmountUSD !== null ? 'USD' : l.lastPaymentCurrency;
    const own = l.earningAmount ?? l.earningAmountUSD ?? l.earningAmountInLastPaymentCurrency!;
    byId.set(l.earningId, {
      earningId: l.earningId,
      partnerId: l.partnerId,
      service,
      lines: [l],
      amount,
      own: { amount: own, currency: ownCurrency },
      reversed,
      adjustment: l.reasonCode !== '',
      earningDate: l.earningDate,
    });
  }
  if (problems.length) throw new InvalidInputError(problems.slice(0, 200));
  for (const e of byId.values()) {
    // A reversed payment pays nothing; a refund or cancellation is the negative earning it states.
    if (e.lines.some((l) => low(l.paymentStatus) === 'reversed')) e.amount = ZERO;
    e.earningDate = e.lines.reduce<string | null>((a, l) => (l.earningDate && (!a || l.earningDate < a) ? l.earningDate : a), null);
  }
  return [...byId.values()];
}
