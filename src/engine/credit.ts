/** Step 1: credit each row to a partner, by the campaign's `credit` rule. */
import type { Campaign } from '../campaign/model.js';
import type { TxRow } from './types.js';

/** Reseller ids that mean "no reseller" in exports. */
const NO_RESELLER = new Set(['', '-1', '0']);

/** The partner credited with a row, or null when nobody is (NOT_CREDITED). */
export function creditRow(c: Campaign, r: TxRow): string | null {
  switch (c.credit) {
    case 'transacting_partner':
      return r.partnerId || null;
    case 'reseller':
      // A direct sale with the partner's own id in the reseller column has no reseller.
      return NO_RESELLER.has(r.resellerId) || r.resellerId === r.partnerId ? null : r.resellerId;
    default:
      throw new Error(`credit rule ${c.credit} needs claims.csv, which this version does not read`);
  }
}
