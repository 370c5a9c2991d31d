/**
 * Net-new evidence, by service and customer (interned index), from every row whoever
 * it is credited to: whether the customer already had the service before the period
 * (paid seats or billing), and any explicit net_new value (false wins). One byte per
 * customer and service; the evidence row itself (earliest by date, then id) is kept
 * only when explanations are wanted.
 */
import type { ServiceDef } from '../campaign/model.js';
import type { TxRow } from './types.js';

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

/** A text per index ('' when none), growing as indices come: no Map entry per customer. */
class Texts {
  private a: string[] = new Array<string>(1024).fill('');

  get(i: number): string {
    return i < this.a.length ? this.a[i]! : '';
  }

  set(i: number, v: string): void {
    if (i >= this.a.length) {
      const n = Math.max(i + 1, this.a.length * 2);
      const b = new Array<string>(n).fill('');
      for (let k = 0; k < this.a.length; k++) b[k] = this.a[k]!;
      this.a = b;
    }
    this.a[i] = v;
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
  private readonly evidence: Map<ServiceDef, { dates: Texts; ids: Texts }> | null;

  constructor(
    services: readonly ServiceDef[],
    private readonly periodStart: string,
    keepEvidence: boolean,
  ) {
    for (const s of services) {
      this.had.set(s, new Bytes());
      this.explicit.set(s, new Bytes());
    }
    this.evidence = keepEvidence ? new Map(services.map((s) => [s, { dates: new Texts(), ids: new Texts() }])) : null;
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
    const { dates, ids } = this.evidence.get(def)!;
    const date = dates.get(customer);
    if (date === '' || r.date < date || (r.date === date && r.id < ids.get(customer))) {
      dates.set(customer, r.date);
      ids.set(customer, r.id);
    }
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
    const e = this.evidence?.get(def);
    const date = e?.dates.get(customer);
    return date ? `${date}\u0000${e!.ids.get(customer)}` : undefined;
  }
}
