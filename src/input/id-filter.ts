/**
 * Repeated transaction ids in fixed memory. A Bloom filter (32 MiB, 4 probes) answers
 * "certainly new" or "maybe seen"; ids that may have been seen are kept as suspects and
 * confirmed exactly by a second look at the file (confirmRepeats). False alarms are
 * rare (about 1 in 2 x 10^7 lookups at 1M rows, some hundred at 5M: then the second
 * look runs) and never reported. Four probes cost fewer cache misses than six.
 */
const BITS_LOG2 = 28;
const MASK = (1 << BITS_LOG2) - 1;
const PROBES = 4;

export class IdFilter {
  private bits: Uint32Array | null = null;
  private readonly exact = new Set<string>();
  /** Below this many ids an exact Set is cheaper than the filter. */
  private static readonly EXACT_LIMIT = 100_000;
  readonly suspects = new Set<string>();

  /** Records the id; returns true when it was certainly seen before (exact mode only). */
  add(id: string): boolean {
    if (this.bits === null) {
      if (this.exact.has(id)) return true;
      this.exact.add(id);
      if (this.exact.size > IdFilter.EXACT_LIMIT) {
        this.bits = new Uint32Array(1 << (BITS_LOG2 - 5));
        for (const seen of this.exact) this.insert(seen);
        this.exact.clear();
      }
      return false;
    }
    if (this.insert(id)) this.suspects.add(id);
    return false;
  }

  /** Sets the id's bits; true when all were already set (maybe seen). */
  private insert(id: string): boolean {
    let h1 = 0x811c9dc5;
    let h2 = 0x9747b28c;
    for (let i = 0; i < id.length; i++) {
      const c = id.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995);
      h2 ^= h2 >>> 15;
    }
    h2 |= 1;
    const bits = this.bits!;
    let all = true;
    for (let k = 0; k < PROBES; k++) {
      const b = (h1 + Math.imul(k, h2)) & MASK;
      const w = b >>> 5;
      const m = 1 << (b & 31);
      if ((bits[w]! & m) === 0) {
        all = false;
        bits[w] = bits[w]! | m;
      }
    }
    return all;
  }
}
