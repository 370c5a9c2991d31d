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
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
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
  static EXACT_LIMIT = 100_000;
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
    this.dir ??= mkdtempSync(join(tmpdir(), 'incent-ids-'));
    let fd = this.fds[p];
    if (fd === null || fd === undefined) fd = this.fds[p] = openSync(join(this.dir, String(p)), 'a');
    writeSync(fd, new Uint8Array(buf.buffer, 0, n * WORDS * 4));
    this.spilled[p]! += n;
  }

  /**
   * Groups of places whose ids share a fingerprint (each group in file, line order),
   * read one partition at a time. Ids seen in the exact phase only were already
   * answered by `add`.
   */
  candidates(): IdPlace[][] {
    const groups: IdPlace[][] = [];
    if (this.exact !== null) return groups;
    for (let p = 0; p < PARTITIONS; p++) {
      const entries = this.entries(p);
      const n = entries.length / WORDS;
      if (n < 2) continue;
      const first = new Map<number, number>();
      const next = new Int32Array(n).fill(-1);
      let matched: Set<number> | null = null;
      for (let i = 0; i < n; i++) {
        const h1 = entries[i * WORDS]!;
        const head = first.get(h1);
        if (head === undefined) {
          first.set(h1, i);
          continue;
        }
        // Chain entries with the same high word; equal low words make a fingerprint match.
        next[i] = next[head]!;
        next[head] = i;
        (matched ??= new Set()).add(head);
      }
      for (const head of matched ?? []) {
        const byLow = new Map<number, IdPlace[]>();
        for (let i = head; i >= 0; i = next[i]!) {
          const low = entries[i * WORDS + 1]!;
          let g = byLow.get(low);
          if (!g) byLow.set(low, (g = []));
          g.push({ file: entries[i * WORDS + 2]!, line: entries[i * WORDS + 3]! });
        }
        for (const g of byLow.values()) if (g.length > 1) groups.push(g.sort((a, b) => a.file - b.file || a.line - b.line));
      }
    }
    return groups;
  }

  /** A partition's entries: its file, then its buffer. */
  private entries(p: number): Uint32Array {
    const buffered = this.counts[p]!;
    const spilled = this.spilled[p]!;
    const out = new Uint32Array((spilled + buffered) * WORDS);
    if (spilled > 0) {
      const fd = this.fds[p];
      if (fd !== null && fd !== undefined) closeSync(fd);
      this.fds[p] = null;
      const bytes = readFileSync(join(this.dir!, String(p)));
      new Uint8Array(out.buffer).set(bytes.subarray(0, spilled * WORDS * 4));
    }
    if (buffered > 0) out.set(this.buffers[p]!.subarray(0, buffered * WORDS), spilled * WORDS);
    return out;
  }

  /** Removes the temporary files (always call when done). */
  dispose(): void {
    for (let p = 0; p < PARTITIONS; p++) {
      const fd = this.fds[p];
      if (fd !== null && fd !== undefined) closeSync(fd);
      this.fds[p] = null;
    }
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
    this.dir = null;
  }
}
