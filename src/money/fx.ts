import { Decimal } from './decimal.js';

export interface FxQuote {
  date: string;
  from: string;
  to: string;
  rate: Decimal;
  /** Where the quote came from, for traces: file and line. */
  source?: { file: string; line: number };
}

export interface FxRate {
  /** 1 unit of `from` = `rate` units of `to`. */
  rate: Decimal;
  /** How the rate was found: identity, a campaign's fixed rate, or an fx.csv row (maybe inverted). */
  source: 'identity' | 'fixed' | 'table' | 'table-inverse';
  /** Date of the fx.csv row used. */
  quoteDate?: string;
  quoteLine?: number;
}

export class FxMissingError extends Error {
  constructor(
    readonly from: string,
    readonly to: string,
    readonly day: string,
    reason: string,
  ) {
    super(`no exchange rate ${from}->${to} for ${day}: ${reason}`);
  }
}

/**
 * Exchange rates from fx.csv. The rate for a day is the latest quote on or before
 * that day; when only the opposite direction is quoted, its inverse is used. When both
 * directions are quoted, the more recent quote wins (the direct one on a tie).
 */
export class FxTable {
  private readonly series = new Map<string, FxQuote[]>();
  private readonly cache = new Map<string, FxRate | FxMissingError>();

  constructor(quotes: Iterable<FxQuote>) {
    for (const q of quotes) {
      const key = `${q.from}>${q.to}`;
      let list = this.series.get(key);
      if (!list) this.series.set(key, (list = []));
      list.push(q);
    }
    for (const list of this.series.values()) list.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  }

  get size(): number {
    let n = 0;
    for (const l of this.series.values()) n += l.length;
    return n;
  }

  /** The rate converting `from` into `to` on `day`; throws FxMissingError when none applies. */
  rate(from: string, to: string, day: string): FxRate {
    if (from === to) return { rate: new Decimal(1), source: 'identity' };
    const key = `${from}>${to}@${day}`;
    let hit = this.cache.get(key);
    if (hit === undefined) {
      hit = this.lookup(from, to, day);
      this.cache.set(key, hit);
    }
    if (hit instanceof FxMissingError) throw hit;
    return hit;
  }

  private lookup(from: string, to: string, day: string): FxRate | FxMissingError {
    const direct = latestOnOrBefore(this.series.get(`${from}>${to}`), day);
    const inverse = latestOnOrBefore(this.series.get(`${to}>${from}`), day);
    if (direct && (!inverse || direct.date >= inverse.date)) {
      return { rate: direct.rate, source: 'table', quoteDate: direct.date, quoteLine: direct.source?.line };
    }
    if (inverse) {
      if (inverse.rate.isZero()) return new FxMissingError(from, to, day, `the ${to}->${from} rate of ${inverse.date} is 0`);
      return {
        rate: new Decimal(1).div(inverse.rate),
        source: 'table-inverse',
        quoteDate: inverse.date,
        quoteLine: inverse.source?.line,
      };
    }
    const any = this.series.has(`${from}>${to}`) || this.series.has(`${to}>${from}`);
    return new FxMissingError(from, to, day, any ? 'fx.csv has no quote for the pair on or before that day' : 'fx.csv has no quote for the pair at all');
  }
}

function latestOnOrBefore(list: FxQuote[] | undefined, day: string): FxQuote | undefined {
  if (!list || list.length === 0) return undefined;
  let lo = 0;
  let hi = list.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]!.date <= day) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found >= 0 ? list[found] : undefined;
}
