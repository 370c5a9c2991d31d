/**
 * Partner requirements over time (eligibility.csv). A requirement is met on a day that
 * falls in one of its spans; earnings that fall in a period (day, month or semester)
 * with a day on which a requirement was not met are lost (PARTNER_INELIGIBLE).
 */
import { plusDays, unitName, unitSpan, type PeriodUnit } from '../dates.js';
import type { EligibilitySpan } from './types.js';

export interface EligibilityGap {
  requirement: string;
  /** The first day in the period on which the requirement was not met. */
  day: string;
  /** The period whose earnings are lost, for messages. */
  period: string;
}

export class EligibilityBook {
  private readonly spans = new Map<string, Map<string, EligibilitySpan[]>>();

  constructor(rows: readonly EligibilitySpan[]) {
    for (const r of rows) {
      let byReq = this.spans.get(r.partnerId);
      if (!byReq) this.spans.set(r.partnerId, (byReq = new Map()));
      let list = byReq.get(r.requirement);
      if (!list) byReq.set(r.requirement, (list = []));
      list.push(r);
    }
    for (const byReq of this.spans.values()) for (const list of byReq.values()) list.sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
  }

  /** The first day in [start, end] on which `requirement` was not met, or null. */
  firstUnmetDay(partnerId: string, requirement: string, start: string, end: string): string | null {
    const list = this.spans.get(partnerId)?.get(requirement) ?? [];
    let day = start;
    for (const s of list) {
      if (s.from > day) break;
      if (s.to === null || s.to >= end) return null;
      if (s.to >= day) day = plusDays(s.to, 1);
      if (day > end) return null;
    }
    return day <= end ? day : null;
  }

  /**
   * Whether a row dated `day` keeps its earnings: every requirement met on every day of
   * the period holding `day`, clipped to `bounds` (the campaign period up to as_of).
   */
  gap(partnerId: string, requirements: readonly string[], unit: PeriodUnit, day: string, bounds: { start: string; end: string }): EligibilityGap | null {
    const span = unitSpan(day, unit);
    const start = span.start < bounds.start ? bounds.start : span.start;
    const end = span.end > bounds.end ? bounds.end : span.end;
    for (const requirement of requirements) {
      const unmet = this.firstUnmetDay(partnerId, requirement, start, end);
      if (unmet !== null) return { requirement, day: unmet, period: unitName(span, unit) };
    }
    return null;
  }
}
