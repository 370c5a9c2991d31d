/**
 * percent_of_revenue's row earning: revenue x FX x percent, exact, with its arithmetic
 * in words. Amounts worked by hand in the comments.
 */
import { describe, expect, it } from 'vitest';
import { percentOfRevenue } from '../src/earn/percent-of-revenue.js';
import type { RowContext, RowFacts } from '../src/earn/index.js';
import { Decimal } from '../src/money/index.js';

const row = (amount: string, currency: string): RowFacts => ({ sku: 'AZ', quantity: null, units: 0, amount, currency, date: '2017-03-01' });
const ctx: RowContext = {
  currency: 'USD',
  fx: (cur) => (cur === 'USD' ? { rate: new Decimal(1), source: 'same currency' } : { rate: new Decimal('1.085'), source: 'fx.csv 2017-03-01 (line 4)' }),
};

describe('percent_of_revenue row earning', () => {
  const cfg = percentOfRevenue.resolve({ percent: new Decimal('12.5') }, undefined);

  it('in the campaign currency: the amount as billed x percent', () => {
    // 100.50 x 12.5% = 100.5 x 0.125 = 12.5625 (unrounded: rounding happens on the payout)
    const g = percentOfRevenue.rowEarning!(cfg, row('100.50', 'USD'), ctx)!;
    expect(g.amountText).toBe('12.5625');
    expect(g.detail).toBe('100.50 USD = 100.5 USD x 12.5% = 12.5625');
    expect(g.fx).toBeUndefined();
  });

  it('in another currency: converted first, the rate and its source named', () => {
    // 2000.00 EUR x 1.085 = 2170; 2170 x 12.5% = 271.25
    const g = percentOfRevenue.rowEarning!(cfg, row('2000.00', 'EUR'), ctx)!;
    expect(g.amountText).toBe('271.25');
    expect(g.detail).toBe('2000.00 EUR x 1.085 (fx.csv 2017-03-01 (line 4)) = 2170 USD x 12.5% = 271.25');
  });

  it('stays exact for a long amount and a credit note', () => {
    // 12345678901234.56789 x 0.125 = 1543209862654.32098625 (20 significant digits, no rounding)
    expect(percentOfRevenue.rowEarning!(cfg, row('12345678901234.56789', 'USD'), ctx)!.amountText).toBe('1543209862654.32098625');
    // -80 x 12.5% = -10
    expect(percentOfRevenue.rowEarning!(cfg, row('-80', 'USD'), ctx)!.amountText).toBe('-10');
  });
});
