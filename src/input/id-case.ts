/**
 * GUID-shaped ids (tenants, customers, subscriptions, legacy offer ids) are written
 * upper-case in some Partner Center exports and lower-case in others, and claims.csv or
 * usage.csv may write them another way again: the same id. One IdCase per run reads
 * every file's customer and subscription ids, so they compare case-insensitively
 * across files, and every later spelling becomes the one the run saw first: reports
 * show an id as the files first wrote it.
 */
const GUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class IdCase {
  private readonly first = new Map<string, string>();

  /** `v` as first written, when it is GUID-shaped; otherwise `v` itself. */
  canon(v: string): string {
    if (v.length !== 36 || !GUID_RE.test(v)) return v;
    const k = v.toLowerCase();
    const seen = this.first.get(k);
    if (seen !== undefined) return seen;
    this.first.set(k, v);
    return v;
  }
}
