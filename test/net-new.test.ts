/**
 * Net-new evidence: the earliest paid row before the period, by date then id, kept per
 * service and customer when explanations are wanted, whatever order the rows come in.
 */
import { describe, expect, it } from 'vitest';
import type { ServiceDef } from '../src/campaign/model.js';
import type { TxRow } from '../src/engine/types.js';
import { NetNewBook } from '../src/engine/net-new.js';

const O365 = { name: 'O365' } as ServiceDef;
const EMS = { name: 'EMS' } as ServiceDef;

const row = (date: string, id: string, quantity = 5): TxRow => ({ id, date, quantity, subscriptionType: 'paid', netNew: null, amount: null }) as TxRow;

describe('net-new evidence', () => {
  it('keeps the earliest row by date, then id, in any order; rows in the period, trials and returns are no evidence', () => {
    const orders = [
      ['a', 'b', 'c', 'd', 'e', 'f'],
      ['f', 'e', 'd', 'c', 'b', 'a'],
      ['c', 'f', 'a', 'e', 'b', 'd'],
    ];
    const rows: Record<string, TxRow> = {
      a: row('2016-11-05', 'T9'),
      b: row('2016-11-05', 'T10'), // same day: 'T10' < 'T9' as text, so T10 is the earliest
      c: row('2016-12-01', 'T1'),
      d: row('2017-02-01', 'T0'), // in the period (from 2017-02-01): no evidence
      e: { ...row('2016-01-01', 'T00'), subscriptionType: 'trial' }, // a trial: no evidence
      f: row('2015-06-30', 'T5', -2), // a return: no evidence
    };
    for (const order of orders) {
      const book = new NetNewBook([O365, EMS], '2017-02-01', true);
      for (const k of order) book.note(O365, 7, rows[k]!);
      expect(book.earliest(O365, 7)).toBe('2016-11-05\u0000T10');
      expect(book.isNetNew(O365, 7)).toBe(false);
      // another service and another customer have none
      expect(book.earliest(EMS, 7)).toBeUndefined();
      expect(book.earliest(O365, 6)).toBeUndefined();
      expect(book.isNetNew(O365, 6)).toBe(true);
    }
  });

  it('keeps ids in any script, dates from year 1, and many customers', () => {
    const book = new NetNewBook([O365], '2017-02-01', true);
    book.note(O365, 0, row('0001-01-01', 'Ü-1'));
    book.note(O365, 0, row('0001-01-02', 'A-0'));
    expect(book.earliest(O365, 0)).toBe('0001-01-01\u0000Ü-1');
    // 50,000 customers, each offered a later row then an earlier one with a long id (the store grows past its first sizes)
    for (let c = 1; c <= 50_000; c++) {
      book.note(O365, c, row('2016-12-31', `late-${c}`));
      book.note(O365, c, row('2016-03-09', `early-${'x'.repeat(20)}-${c}`));
    }
    for (const c of [1, 1023, 1024, 25_000, 50_000]) expect(book.earliest(O365, c)).toBe(`2016-03-09\u0000early-${'x'.repeat(20)}-${c}`);
    expect(book.earliest(O365, 50_001)).toBeUndefined();
  });

  it('keeps no evidence when explanations are not wanted', () => {
    const book = new NetNewBook([O365], '2017-02-01', false);
    book.note(O365, 3, row('2016-11-05', 'T9'));
    expect(book.isNetNew(O365, 3)).toBe(false);
    expect(book.earliest(O365, 3)).toBeUndefined();
  });
});
