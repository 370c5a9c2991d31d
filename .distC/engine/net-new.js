/** A byte per index, growing as indices come. */
class Bytes {
    a = new Uint8Array(1024);
    get(i) {
        return i < this.a.length ? this.a[i] : 0;
    }
    set(i, v) {
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
    a = new Array(1024).fill('');
    get(i) {
        return i < this.a.length ? this.a[i] : '';
    }
    set(i, v) {
        if (i >= this.a.length) {
            const n = Math.max(i + 1, this.a.length * 2);
            const b = new Array(n).fill('');
            for (let k = 0; k < this.a.length; k++)
                b[k] = this.a[k];
            this.a = b;
        }
        this.a[i] = v;
    }
}
const EXPLICIT_TRUE = 1;
const EXPLICIT_FALSE = 2;
function isPositiveAmount(r) {
    if (r.amountMicros !== undefined)
        return r.amountMicros > 0;
    return r.amount !== null && !r.amount.startsWith('-') && /[1-9]/.test(r.amount);
}
/** Paid seats or billing: a positive quantity or amount. */
function isPositive(r) {
    return (r.quantity !== null && r.quantity > 0) || (r.amount !== null && isPositiveAmount(r));
}
export class NetNewBook {
    periodStart;
    had = new Map();
    explicit = new Map();
    /** The earliest evidence row's date and id, by customer, when explanations are wanted. */
    evidence;
    constructor(services, periodStart, keepEvidence) {
        this.periodStart = periodStart;
        for (const s of services) {
            this.had.set(s, new Bytes());
            this.explicit.set(s, new Bytes());
        }
        this.evidence = keepEvidence ? new Map(services.map((s) => [s, { dates: new Texts(), ids: new Texts() }])) : null;
    }
    /** Whether a row can be evidence at all (cheap; no customer lookup for rows in the period). */
    wants(r) {
        return r.netNew !== null || (r.date < this.periodStart && r.subscriptionType === 'paid' && isPositive(r));
    }
    /**
     * A customer with paid seats (or billing) of the service before the period is not
     * net new, with any partner. The earliest such row is kept as evidence (by date,
     * then id, so row order never matters).
     */
    note(def, customer, r) {
        if (r.netNew !== null) {
            const explicit = this.explicit.get(def);
            if (explicit.get(customer) !== EXPLICIT_FALSE)
                explicit.set(customer, r.netNew ? EXPLICIT_TRUE : EXPLICIT_FALSE);
        }
        if (r.date >= this.periodStart || r.subscriptionType !== 'paid' || !isPositive(r))
            return;
        this.had.get(def).set(customer, 1);
        if (!this.evidence)
            return;
        const { dates, ids } = this.evidence.get(def);
        const date = dates.get(customer);
        if (date === '' || r.date < date || (r.date === date && r.id < ids.get(customer))) {
            dates.set(customer, r.date);
            ids.set(customer, r.id);
        }
    }
    /** An explicit net_new value wins; otherwise net new when no earlier row shows the service. */
    isNetNew(def, customer) {
        const explicit = this.explicit.get(def).get(customer);
        if (explicit !== 0)
            return explicit === EXPLICIT_TRUE;
        return this.had.get(def).get(customer) === 0;
    }
    explicitValue(def, customer) {
        const explicit = this.explicit.get(def).get(customer);
        return explicit === 0 ? undefined : explicit === EXPLICIT_TRUE;
    }
    /** The earliest evidence row (`date\u0000id`), when kept. */
    earliest(def, customer) {
        const e = this.evidence?.get(def);
        const date = e?.dates.get(customer);
        return date ? `${date}\u0000${e.ids.get(customer)}` : undefined;
    }
}
