/**
 * Net-new evidence, by service and customer (interned index), from every row whoever
 * it is credited to: whether the customer already had the service before the period
 * (paid seats or billing), and any explicit net_new value (false wins). One byte per
 * customer and service; the evidence row itself (earliest by date, then id) is kept
 * only when explanations are wanted.
 */
import type { ServiceDef } from '../campaign/model.js';
import type { TxRow } from './types.js';
import { putText } from '../bytes.js';

/** A byte per index, growing as indices come. */
class Bytes {
  private a = new Uint8Array(1024);

  get(i: number): number {
    return i < this.a.length ? this.a[i]! : 0;
  }

  set(i: number, v: number): void {
    if (i >= this.a.length) {
      const b = new Uint8Array(Math.max(i + 1, this.a.length * 2));
      b.set(this.a);
      this.a = b;
    }
    this.a[i] = v;
  }
}

/** A calendar date YYYY-MM-DD (validated) as the number YYYYMMDD: the same order. */
function dayNumber(d: string): number {
  let n = 0;
  for (let i = 0; i < 10; i++) if (i !== 4 && i !== 7) n = n * 10 + d.charCodeAt(i) - 48;
  return n;
}

const dayText = (n: number) =>
  `${String(Math.floor(n / 10000)).padStart(4, '0')}-${String(Math.floor(n / 100) % 100).padStart(2, '0')}-${String(n % 100).padStart(2, '0')}`;

/**
 * Per customer index, the earliest evidence row's date and id, in typed arrays and one
 * byte arena: no string is kept per customer (a year's file has hundreds of thousands
 * of customers with history, and strings kept per customer cost the collector on
 * every row after).
 */
class EarliestRows {
  /** YYYYMMDD, 0 when the customer has no evidence. */
  private days = new Int32Array(1024);
  private starts = new Int32Array(1024);
  private ends = new Int32Array(1024);
  /** The ids' UTF-8 bytes, appended as evidence comes (a customer's earlier evidence replaced is left behind). */
  private arena = Buffer.alloc(1 << 16);
  private used = 0;

  private grow(i: number): void {
    const n = Math.max(i + 1, this.days.length * 2);
    const grown = (a: Int32Array) => {
      const b = new Int32Array(n);
      b.set(a);
      return b;
    };
    this.days = grown(this.days);
    this.starts = grown(this.starts);
    this.ends = grown(this.ends);
  }

  private id(i: number): string {
    return this.arena.toString('utf8', this.starts[i], this.ends[i]);
  }

  /** Keeps (date, id) for customer `i` when it is earlier, by date then id, than what is kept. */
  offer(i: number, date: string, id: string): void {
    if (i >= this.days.length) this.grow(i);
    const day = dayNumber(date);
    const kept = this.days[i]!;
    if (kept !== 0 && (day > kept || (day === kept && id >= this.id(i)))) return;
    if (this.used + id.length * 3 > this.arena.length) {
      const b = Buffer.alloc(Math.max(this.arena.length * 2, this.used + id.length * 3));
      this.arena.copy(b, 0, 0, this.used);
      this.arena = b;
    }
    this.days[i] = day;
    this.starts[i] = this.used;
    this.used = putText(this.arena, this.used, id);
    this.ends[i] = this.used;
  }

  /** `date\u0000id`, or undefined when the customer has no evidence. */
  get(i: number): string | undefined {
    const day = i < this.days.length ? this.days[i]! : 0;
    return day === 0 ? undefined : `${dayText(day)}\u0000${this.id(i)}`;
  }
}

const EXPLICIT_TRUE = 1;
const EXPLICIT_FALSE = 2;

function isPositiveAmount(r: TxRow): boolean {
  if (r.amountMicros !== undefined) return r.amountMicros > 0;
  return r.amount !== null && !r.amount.startsWith('-') && /[1-9]/.test(r.amount);
}

/** Paid seats or billing: a positive quantity or amount. */
function isPositive(r: TxRow): boolean {
  return (r.quantity !== null && r.quantity > 0) || (r.amount !== null && isPositiveAmount(r));
}

export class NetNewBook {
  private readonly had = new Map<ServiceDef, Bytes>();
  private readonly explicit = new Map<ServiceDef, Bytes>();
  /** The earliest evidence row's date and id, by customer, when explanations are wanted. */
  private readonly evidence: Map<ServiceDef, EarliestRows> | null;

  constructor(
    services: readonly ServiceDef[],
    private readonly periodStart: string,
    keepEvidence: boolean,
  ) {
    for (const s of services) {
      this.had.set(s, new Bytes());
      this.explicit.set(s, new Bytes());
    }
    this.evidence = keepEvidence ? new Map(services.map((s) => [s, new EarliestRows()])) : null;
  }

  /** Whether a row can be evidence at all (cheap; no customer lookup for rows in the period). */
  wants(r: TxRow): boolean {
    return r.netNew !== null || (r.date < this.periodStart && r.subscriptionType === 'paid' && isPositive(r));
  }

  /**
   * A customer with paid seats (or billing) of the service before the period is not
   * net new, with any partner. The earliest such row is kept as evidence (by date,
   * then id, so row order never matters).
   */
  note(def: ServiceDef, customer: number, r: TxRow): void {
    if (r.netNew !== null) {
      const explicit = this.explicit.get(def)!;
      if (explicit.get(customer) !== EXPLICIT_FALSE) explicit.set(customer, r.netNew ? EXPLICIT_TRUE : EXPLICIT_FALSE);
    }
    if (r.date >= this.periodStart || r.subscriptionType !== 'paid' || !isPositive(r)) return;
    this.had.get(def)!.set(customer, 1);
    if (!this.evidence) return;
    this.evidence.get(def)!.offer(customer, r.date, r.id);
  }

  /** An explicit net_new value wins; otherwise net new when no earlier row shows the service. */
  isNetNew(def: ServiceDef, customer: number): boolean {
    const explicit = this.explicit.get(def)!.get(customer);
    if (explicit !== 0) return explicit === EXPLICIT_TRUE;
    return this.had.get(def)!.get(customer) === 0;
  }

  explicitValue(def: ServiceDef, customer: number): boolean | undefined {
    const explicit = this.explicit.get(def)!.get(customer);
    return explicit === 0 ? undefined : explicit === EXPLICIT_TRUE;
  }

  /** The earliest evidence row (`date\u0000id`), when kept. */
  earliest(def: ServiceDef, customer: number): string | undefined {
    return this.evidence?.get(def)?.get(customer);
  }
}
