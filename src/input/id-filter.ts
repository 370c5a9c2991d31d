/**
 * Repeated transaction ids, exactly, in memory that does not grow with rows.
 *
 * Up to 100,000 ids an exact Map (id -> where first seen) answers at once. Past that,
 * each id becomes a 64-bit fingerprint written with its file and line into one of 64
 * partitions; a partition's buffer (4,096 entries) is appended to a temporary file
 * when full. `candidates()` then reads one partition at a time and returns the
 * places whose fingerprints are equal: with 64 bits, these are the true repeats
 * (a chance collision is about 1 in 10^6 at 5M ids). `confirm` in transactions.ts
 * reads those lines' ids and reports only ids that are truly equal, so nothing is
 * ever reported that is not a repeat, and nothing is re-read when nothing repeats.
 */
import { trackTemp, untrackTemp } from '../temp-files.js';
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PARTITION_BITS = 6;
const PARTITIONS = 1 << PARTITION_BITS;
/** Entries held in memory per partition before it is appended to its file. */
const BUFFERED = 4096;
/** Four 32-bit words an entry: fingerprint high, fingerprint low, file index, line. */
const WORDS = 4;

/** Where an id was seen: a file (by index into `files`) and a line. */
export interface IdPlace {
  file: number;
  line: number;
}

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export class IdFilter {
  /** Files by index, as places name them. */
  readonly files: string[] = [];
  private exact: Map<string, number> | null = new Map();
  /** Below this many ids the exact Map is cheaper than fingerprints. */
  static readonly EXACT_LIMIT = 100_000;
  private readonly buffers: Uint32Array[] = [];
  private readonly counts = new Int32Array(PARTITIONS);
  private readonly spilled = new Int32Array(PARTITIONS);
  private dir: string | null = null;
  private readonly fds: (number | null)[] = new Array<number | null>(PARTITIONS).fill(null);

  /** The index of `file` for `add`. */
  fileIndex(file: string): number {
    let i = this.files.indexOf(file);
    if (i < 0) i = this.files.push(file) - 1;
    return i;
  }

  /**
   * Records the id seen at (file, line). Returns where it was first seen when that is
   * certain now (the exact phase); otherwise null, and `candidates()` finds it later.
   */
  add(id: string, file: number, line: number): IdPlace | null {
    const exact = this.exact;
    if (exact !== null) {
      const seen = exact.get(id);
      if (seen !== undefined) return { file: Math.floor(seen / 2 ** 32), line: seen % 2 ** 32 };
      exact.set(id, file * 2 ** 32 + line);
      if (exact.size > IdFilter.EXACT_LIMIT) {
        this.exact = null;
        for (const [seenId, at] of exact) this.record(seenId, Math.floor(at / 2 ** 32), at % 2 ** 32);
      }
      return null;
    }
    this.record(id, file, line);
    return null;
  }

  private record(id: string, file: number, line: number): void {
    let h1 = 0x811c9dc5;
    let h2 = 0x9747b28c;
    for (let i = 0; i < id.length; i++) {
      const c = id.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995);
      h2 ^= h2 >>> 15;
    }
    h1 = fmix(h1 ^ id.length);
    h2 = fmix(h2);
    const p = h1 >>> (32 - PARTITION_BITS);
    let buf = this.buffers[p];
    if (buf === undefined) buf = this.buffers[p] = new Uint32Array(BUFFERED * WORDS);
    let n = this.counts[p]!;
    if (n === BUFFERED) {
      this.spill(p, buf, n);
      n = 0;
    }
    const o = n * WORDS;
    buf[o] = h1;
    buf[o + 1] = h2;
    buf[o + 2] = file;
    buf[o + 3] = line;
    this.counts[p] = n + 1;
  }

  private spill(p: number, buf: Uint32Array, n: number): void {
    this.dir ??= trackTemp(mkdtempSync(join(tmpdir(), 'incent-ids-')));
    let fd = this.fds[p];
    if (fd === null || fd === undefined) fd = this.fds[p] = openSync(join(this.dir, String(p)), 'a');
    writeSync(fd, new Uint8Array(buf.buffer, 0, n * WORDS * 4));
    this.spilled[p]! += n;
  }

  /**
   * Groups of places whose ids share a fingerprint (each group in file, line order),
   * read one partition at a time into buffers reused from one partition to the next
   * (an open-addressing table of entry numbers), so the check makes no garbage. Ids
   * seen in the exact phase only were already answered by `add`.
   */
  candidates(): IdPlace[][] {
    const groups: IdPlace[][] = [];
    if (this.exact !== null) return groups;
    let most = 0;
    for (let p = 0; p < PARTITIONS; p++) most = Math.max(most, this.spilled[p]! + this.counts[p]!);
    const entries = new Uint32Array(most * WORDS);
    let size = 2;
    while (size < most * 2) size *= 2;
    const table = new Int32Array(size);
    for (let p = 0; p < PARTITIONS; p++) {
      const n = this.load(p, entries);
      if (n < 2) continue;
      let mask = 2;
      while (mask < n * 2) mask *= 2;
      mask -= 1;
      table.fill(0, 0, mask + 1);
      let matches: Map<number, IdPlace[]> | null = null;
      for (let i = 0; i < n; i++) {
        const h1 = entries[i * WORDS]!;
        const h2 = entries[i * WORDS + 1]!;
        for (let at = h2 & mask; ; at = (at + 1) & mask) {
          const k = table[at]!;
          if (k === 0) {
            table[at] = i + 1;
            break;
          }
          const j = k - 1;
          if (entries[j * WORDS] === h1 && entries[j * WORDS + 1] === h2) {
            matches ??= new Map();
            let g = matches.get(j);
            if (!g) matches.set(j, (g = [{ file: entries[j * WORDS + 2]!, line: entries[j * WORDS + 3]! }]));
            g.push({ file: entries[i * WORDS + 2]!, line: entries[i * WORDS + 3]! });
            break;
          }
        }
      }
      for (const g of matches?.values() ?? []) groups.push(g.sort((a, b) => a.file - b.file || a.line - b.line));
    }
    return groups;
  }

  /** Reads a partition's entries (its file, then its buffer) into `into`; returns how many. */
  private load(p: number, into: Uint32Array): number {
    const buffered = this.counts[p]!;
    const spilled = this.spilled[p]!;
    if (spilled > 0) {
      const open = this.fds[p];
      if (open !== null && open !== undefined) closeSync(open);
      this.fds[p] = null;
      const fd = openSync(join(this.dir!, String(p)), 'r');
      try {
        const bytes = new Uint8Array(into.buffer, 0, spilled * WORDS * 4);
        for (let done = 0; done < bytes.length;) {
          const n = readSync(fd, bytes, done, bytes.length - done, done);
          if (n === 0) throw new Error(`internal: id spill file ${p} is short`);
          done += n;
        }
      } finally {
        closeSync(fd);
      }
    }
    if (buffered > 0) into.set(this.buffers[p]!.subarray(0, buffered * WORDS), spilled * WORDS);
    return spilled + buffered;
  }

  /** Removes the temporary files (always call when done). */
  dispose(): void {
    for (let p = 0; p < PARTITIONS; p++) {
      const fd = this.fds[p];
      if (fd !== null && fd !== undefined) closeSync(fd);
      this.fds[p] = null;
    }
    if (this.dir) {
      rmSync(this.dir, { recursive: true, force: true });
      untrackTemp(this.dir);
    }
    this.dir = null;
  }
}
