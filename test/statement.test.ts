/** Statement rendering from ledger lines: what is left out, and totals per payout currency. */
import { describe, expect, it } from 'vitest';
import { isEmptyLine, statementText, type StatementLine } from '../src/report/statement.js';

const line = (p: Partial<StatementLine>): StatementLine => ({
  campaign_id: 'c',
  currency: 'USD',
  action: 'pay',
  reason: null,
  earned_to_date: '0.00',
  paid_before: '0.00',
  amount: '0.00',
  carried_forward: '0.00',
  payout_amount: '0.00',
  payout_currency: 'USD',
  services: '{}',
  ...p,
});
const header = { partner: 'P1', date: '2018-04-02', run: 3, period: '2018-03', asOf: '2018-03-31', reference: 'R' };

describe('statements', () => {
  it('a campaign with nothing earned, paid or carried has nothing to say', () => {
    expect(isEmptyLine(line({ action: 'nothing' }))).toBe(true);
    expect(isEmptyLine(line({ action: 'nothing', earned_to_date: '10.00', paid_before: '10.00' }))).toBe(false);
  });

  it('totals per payout currency: 100.00 + 250.50 USD, 80.00 GBP', () => {
    const text = statementText(header, [
      line({ campaign_id: 'a', amount: '100.00', earned_to_date: '100.00', payout_amount: '100.00' }),
      line({ campaign_id: 'b', amount: '250.50', earned_to_date: '250.50', payout_amount: '250.50' }),
      line({ campaign_id: 'c', amount: '99.20', earned_to_date: '99.20', payout_amount: '80.00', payout_currency: 'GBP' }),
    ]);
    expect(text).toContain('Total this run: 350.50 USD\nTotal this run: 80.00 GBP\n');
    expect(text).toContain('c (USD): this run pays 99.20 USD; payout 80.00 GBP');
  });

  it('says so when nothing is left to list', () => {
    expect(statementText(header, [])).toContain('Nothing is paid, clawed back or carried forward in this run');
  });
});
