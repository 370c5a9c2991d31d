/**
 * calc --explain: the spooled earning rows' amounts summed per campaign, partner, service
 * and day as they are spooled. A capped partner's allocator (engine/allocate-buckets.ts)
 * plans from these sums when none of the partner's spooled rows was excluded after all,
 * so its rows are read back once, to be written, instead of once to be summed and once
 * to be written. Memory follows partners, services and days, and is bounded: past
 * BUCKETS sums (16,384: every day of a year for 44 services), a new pair's rows are
 * not summed here, and it is summed from the spool as before.
 */
import { ScaledSum } from '../money/index.js';
import type { RowAmount } from '../engine/allocate-buckets.js';

/** The most sums kept (a sum is about 100 bytes with its map entry). */
export const BUCKETS = 1 << 14;

/** A bucket key: the day's number, or NEGATIVE for the service's negative rows (a cap never trims them). */
const NEGATIVE = -1;

/** One campaign's partner: per service (in the order of its first earning row), its sums by day. */
type PairSums = Map<number, Map<number, ScaledSum>>;

/** Where an allocator takes the sums: `add(service, date, amount)`. */
export interface Summing {
  add(service: string, date: string, amount: RowAmount): void;
}

export class DaySums {
  /** By campaign, then partner number: their sums, or null when they outgrew the bound. */
  private readonly pairs: (PairSums | null)[][] = [];
  private count = 0;
  /** The last row's pair, service and day, and its sum (rows of a partner and day come in runs). */
  private lastCampaign = -1;
  private lastPartner = -1;
  private lastService = -1;
  private lastBucket = 0;
  private lastSum: ScaledSum | null = null;
  private lastPair: PairSums | null = null;

  constructor(private readonly limit = BUCKETS) {}

  /**
   * A spooled row: campaign, partner, service and date by the spool's numbers, its
   * amount in micro-units (NaN when they cannot hold it) and as text. Every row makes
   * its pair known; a row paying exactly "0" (one that only counts) is not summed.
   */
  add(campaign: number, partner: number, service: number, date: number, micros: number, text: string): void {
    if (campaign !== this.lastCampaign || partner !== this.lastPartner) {
      const byPartner = (this.pairs[campaign] ??= []);
      let pair = byPartner[partner];
      if (pair === undefined) byPartner[partner] = pair = new Map();
      this.lastPair = pair;
      this.lastCampaign = campaign;
      this.lastPartner = partner;
      this.lastSum = null;
    }
    // As the allocator is given no row paying exactly 0 (the row is written as it stands).
    if (text === '0') return;
    const bucket = text.charCodeAt(0) === 45 ? NEGATIVE : date;
    let sum = this.lastSum;
    if (sum === null || service !== this.lastService || bucket !== this.lastBucket) {
      this.lastService = service;
      this.lastBucket = bucket;
      sum = this.lastSum = this.sumOf(campaign, partner, service, bucket);
      if (sum === null) return;
    }
    if (Number.isNaN(micros)) sum.addString(text);
    else sum.addMicros(micros);
  }

  /** The pair's sum for a service and bucket, made if new; null when the pair outgrew the bound. */
  private sumOf(campaign: number, partner: number, service: number, bucket: number): ScaledSum | null {
    const pair = this.lastPair;
    if (pair === null) return null;
    let byBucket = pair.get(service);
    if (!byBucket) pair.set(service, (byBucket = new Map()));
    let sum = byBucket.get(bucket);
    if (sum) return sum;
    // Over the bound: this pair is summed from the spool instead.
    if (this.count >= this.limit) return this.letGo(campaign, partner);
    this.count++;
    byBucket.set(bucket, (sum = new ScaledSum()));
    return sum;
  }

  /** The pair is summed from the spool instead: its sums are let go. */
  private letGo(campaign: number, partner: number): null {
    const pair = this.pairs[campaign]![partner];
    if (pair) for (const m of pair.values()) this.count -= m.size;
    this.pairs[campaign]![partner] = null;
    this.lastPair = null;
    this.lastSum = null;
    return null;
  }

  /** Whether every pair with spooled rows is one `known` says is fed from here. */
  coversAll(known: (campaign: number, partner: number) => boolean): boolean {
    for (let c = 0; c < this.pairs.length; c++) {
      const byPartner = this.pairs[c] ?? [];
      for (let p = 0; p < byPartner.length; p++) if (byPartner[p] !== undefined && !known(c, p)) return false;
    }
    return true;
  }

  /**
   * Gives an allocator a pair's sums, as `add` would have been called with its rows:
   * services in the order of their first rows, then days in the order of theirs.
   * False (nothing given) when the pair outgrew the bound.
   */
  feed(campaign: number, partner: number, to: Summing, services: readonly string[], dates: readonly string[]): boolean {
    const pair = this.pairs[campaign]?.[partner];
    if (pair === null) return false;
    if (pair === undefined) return true;
    for (const [service, byBucket] of pair) {
      for (const [bucket, sum] of byBucket) {
        const negative = bucket === NEGATIVE;
        to.add(services[service]!, negative ? '' : dates[bucket]!, { negative, addTo: (s) => s.add(sum) });
      }
    }
    return true;
  }
}
