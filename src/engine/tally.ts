/** Row counts kept as an array per reason on the hot path; RowCounts at the end. */
import { REASONS, type Reason } from './reasons.js';
import type { RowCounts } from './types.js';

const REASON_INDEX = new Map<Reason, number>(REASONS.map((r, i) => [r, i]));

/** Row counts kept as an array per reason on the hot path; RowCounts at the end. */
export class Tally {
  read = 0;
  used = 0;
  readonly excluded = new Array<number>(REASONS.length).fill(0);
  /** Sub-reasons, e.g. CUSTOMER_EXCLUDED -> dedicated. */
  detail: Map<string, Map<string, number>> | null = null;

  note(reason: Reason, sub: string): void {
    this.detail ??= new Map();
    let m = this.detail.get(reason);
    if (!m) this.detail.set(reason, (m = new Map()));
    m.set(sub, (m.get(sub) ?? 0) + 1);
  }

  toCounts(): RowCounts {
    const excluded: RowCounts['excluded'] = {};
    REASONS.forEach((r, i) => {
      if (this.excluded[i]! > 0) excluded[r] = this.excluded[i];
    });
    const out: RowCounts = { read: this.read, used: this.used, excluded };
    if (this.detail) {
      out.excludedDetail = {};
      for (const [r, m] of [...this.detail].sort()) out.excludedDetail[r as Reason] = Object.fromEntries([...m].sort());
    }
    return out;
  }
}

export function bump(t: Tally, reason: Reason, n = 1): void {
  t.excluded[REASON_INDEX.get(reason)!]! += n;
}

export function newCounts(): Tally {
  return new Tally();
}
