/**
 * Strings interned once: the index of each, and each by its index. The engine's customer
 * and partner ids (its accumulators hold numbers, not strings); calc --explain's spool.
 */
export class Interner {
  private readonly map = new Map<string, number>();
  readonly names: string[] = [];
  /** The last answer: campaigns and steps asking about the same row ask once. */
  private lastName = '';
  private lastIndex = -1;

  of(name: string): number {
    if (name === this.lastName && this.lastIndex >= 0) return this.lastIndex;
    let i = this.map.get(name);
    if (i === undefined) {
      i = this.names.push(name) - 1;
      this.map.set(name, i);
    }
    this.lastName = name;
    this.lastIndex = i;
    return i;
  }

  find(name: string): number | undefined {
    return this.map.get(name);
  }
}
