/**
 * What the writers of rows excluded at once (trace-excluded-csv.ts, trace-excluded-json.ts)
 * share: the parts of a line incent writes itself, each encoded once and copied.
 */
import { bytesOf } from '../bytes.js';

/** Cells incent writes itself (campaigns, services, files: a run has few of each), quoted by `quote` and encoded once each. */
export class Cells {
  private readonly bytes = new Map<string, Uint8Array>();
  private last: string | undefined;
  private lastBytes: Uint8Array = new Uint8Array(0);

  constructor(private readonly quote: (v: string) => string) {}

  of(v: string): Uint8Array {
    if (v === this.last) return this.lastBytes;
    let b = this.bytes.get(v);
    if (b === undefined) this.bytes.set(v, (b = bytesOf(this.quote(v))));
    this.last = v;
    return (this.lastBytes = b);
  }
}

/** A line's last bytes by phrase number (Phrases), each made once; a row's own words (phrase -1) are made each time. */
export class PhraseTails {
  private readonly tails: Uint8Array[] = [];

  constructor(private readonly make: (detail: string) => string) {}

  of(phrase: number, detail: string): Uint8Array {
    let tail = phrase >= 0 ? this.tails[phrase] : undefined;
    if (tail === undefined) {
      tail = bytesOf(this.make(detail));
      if (phrase >= 0) this.tails[phrase] = tail;
    }
    return tail;
  }
}
