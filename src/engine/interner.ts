/**
 * Strings interned once: the index of each, and each by its index. The engine's customer
 * and partner ids (its accumulators hold numbers, not strings); calc --explain's spool.
 *
 * An open-addressing table of indexes (Int32Array, linear probing, at most half full)
 * keyed by an FNV-1a hash of the string's UTF-16 code units; equal hashes are told apart
 * by comparing the strings. A Map does the same job but costs about three times as much
 * per new string at a million customers (its growth and the collector), and every
 * transactions row asks.
 */
export class Interner {
  readonly names: string[] = [];
  private hashes = new Int32Array(1024);
  /** Index + 1 per slot; 0 is empty. */
  private slots = new Int32Array(2048);
  /** The last answer: campaigns and steps asking about the same row ask once. */
  private lastName = '';
  private lastIndex = -1;

  of(name: string): number {
    if (name === this.lastName && this.lastIndex >= 0) return this.lastIndex;
    const h = hash(name);
    const at = this.slotOf(name, h);
    if (this.slots[at] !== 0) return this.remember(name, this.slots[at]! - 1);
    const i = this.names.push(name) - 1;
    if (i === this.hashes.length) {
      const more = new Int32Array(2 * this.hashes.length);
      more.set(this.hashes);
      this.hashes = more;
    }
    this.hashes[i] = h;
    this.slots[at] = i + 1;
    if (2 * this.names.length > this.slots.length) this.grow();
    return this.remember(name, i);
  }

  find(name: string): number | undefined {
    const k = this.slots[this.slotOf(name, hash(name))]!;
    return k === 0 ? undefined : k - 1;
  }

  /** Where `name` (of hash `h`) is in the table, or the empty slot where it would go. */
  private slotOf(name: string, h: number): number {
    const slots = this.slots;
    const mask = slots.length - 1;
    let at = h & mask;
    for (let k = slots[at]!; k !== 0; k = slots[at]!) {
      if (this.hashes[k - 1] === h && this.names[k - 1] === name) return at;
      at = (at + 1) & mask;
    }
    return at;
  }

  private remember(name: string, i: number): number {
    this.lastName = name;
    this.lastIndex = i;
    return i;
  }

  private grow(): void {
    const slots = new Int32Array(2 * this.slots.length);
    const mask = slots.length - 1;
    for (let i = 0; i < this.names.length; i++) {
      let at = this.hashes[i]! & mask;
      while (slots[at] !== 0) at = (at + 1) & mask;
      slots[at] = i + 1;
    }
    this.slots = slots;
  }
}

/** FNV-1a over UTF-16 code units, as a signed 32-bit number. */
function hash(s: string): number {
  let h = 0x811c9dc5 | 0;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h;
}
