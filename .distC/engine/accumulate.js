/**
 * Per (partner, service, customer) accumulators, kept in columns: memory follows the
 * customers and partners, not the rows. Customer and partner ids are interned once
 * per run; a service keeps one slot per (partner, customer) in typed arrays, and
 * only what few slots need (a SKU outside the service's column set, a foreign
 * currency, usage users and counts, a sum past 2^53 micro-units) goes in an object.
 */
import { Decimal, ScaledSum, ZERO, microsToDecimal } from '../money/index.js';
const NO_UNITS = new Map();
/** A service with at most this many named SKUs keeps units by SKU in columns. */
const SKU_COLUMNS = 16;
/** Strings interned once: the index of each, and each by its index. */
export class Interner {
    map = new Map();
    names = [];
    /** The last answer: campaigns and steps asking about the same row ask once. */
    lastName = '';
    lastIndex = -1;
    of(name) {
        if (name === this.lastName && this.lastIndex >= 0)
            return this.lastIndex;
        let i = this.map.get(name);
        if (i === undefined) {
            i = this.names.push(name) - 1;
            this.map.set(name, i);
        }
        this.lastName = name;
        this.lastIndex = i;
        return i;
    }
    find(name) {
        return this.map.get(name);
    }
}
/** What few slots need, made on first use. */
class SlotExtra {
    /** Units of SKUs outside the service's columns. */
    bySku = null;
    /** Campaign-currency revenue the exact column cannot hold (past 2^53 micro-units, or more than 6 decimals). */
    home = null;
    /** Other revenue by `currency` (fixed-rate currency) or `currency|date` (fx.csv rate of that day). */
    foreign = null;
    /** Usage, events shape: distinct users by usageKey(sku, workload). */
    users = null;
    /** Usage, counts shape: the latest report per usageKey and metric. */
    counts = null;
}
function grownInt(a, size) {
    const b = new Int32Array(Math.max(size, a.length * 2));
    b.set(a);
    return b;
}
/** Columns grow a page (8,192 slots) at a time: no doubling, no copy, little slack. */
const PAGE_BITS = 13;
const PAGE = 1 << PAGE_BITS;
const IN_PAGE = PAGE - 1;
const INT32_MAX = 2 ** 31 - 1;
const INT32_MIN = -(2 ** 31);
class IntColumn {
    width;
    pages = [];
    constructor(width = 1) {
        this.width = width;
    }
    ensure(s) {
        while (this.pages.length <= s >>> PAGE_BITS)
            this.pages.push(new Int32Array(PAGE * this.width));
    }
    get(s, k = 0) {
        return this.pages[s >>> PAGE_BITS][(s & IN_PAGE) * this.width + k];
    }
    set(s, v, k = 0) {
        this.pages[s >>> PAGE_BITS][(s & IN_PAGE) * this.width + k] = v;
    }
}
class FloatColumn {
    pages = [];
    ensure(s) {
        while (this.pages.length <= s >>> PAGE_BITS)
            this.pages.push(new Float64Array(PAGE));
    }
    get(s) {
        return this.pages[s >>> PAGE_BITS][s & IN_PAGE];
    }
    set(s, v) {
        this.pages[s >>> PAGE_BITS][s & IN_PAGE] = v;
    }
}
/**
 * One service's accumulators: a slot per (partner, customer), in columns. A
 * customer's slots are chained (usually one: the partner it buys through).
 */
export class ServiceTable {
    def;
    size = 0;
    /** By customer index: its first slot + 1 (0: none yet). */
    head = new Int32Array(1024);
    next = new IntColumn();
    partnerOf = new IntColumn();
    customerOf = new IntColumn();
    rowsOf = new IntColumn();
    /** Net units (exact: safe integers). */
    unitsOf = new FloatColumn();
    /** Campaign-currency revenue in exact micro-units (safe integers). */
    homeOf = new FloatColumn();
    /** Units by SKU column, one per SKU the service names; a sum past 32 bits moves to the slot's extra. */
    skuUnits;
    extra = new Map();
    skuColumn;
    skuNames;
    constructor(def) {
        this.def = def;
        const skus = def.skus && def.skus.size <= SKU_COLUMNS ? [...def.skus].sort() : [];
        this.skuNames = skus;
        this.skuColumn = skus.length ? new Map(skus.map((s, i) => [s, i])) : null;
        this.skuUnits = new IntColumn(Math.max(1, skus.length));
    }
    /** The slot of (partner, customer), made when new. */
    slot(partner, customer) {
        if (customer >= this.head.length)
            this.head = grownInt(this.head, customer + 1);
        for (let s = this.head[customer] - 1; s >= 0; s = this.next.get(s) - 1)
            if (this.partnerOf.get(s) === partner)
                return s;
        const s = this.size++;
        if ((s & IN_PAGE) === 0) {
            for (const c of [this.next, this.partnerOf, this.customerOf, this.rowsOf, this.skuUnits])
                c.ensure(s);
            this.unitsOf.ensure(s);
            this.homeOf.ensure(s);
        }
        this.partnerOf.set(s, partner);
        this.customerOf.set(s, customer);
        this.next.set(s, this.head[customer]);
        this.head[customer] = s + 1;
        return s;
    }
    extraOf(s) {
        let e = this.extra.get(s);
        if (e === undefined)
            this.extra.set(s, (e = new SlotExtra()));
        return e;
    }
    addRows(s, n) {
        this.rowsOf.set(s, this.rowsOf.get(s) + n);
    }
    addUnits(s, sku, units) {
        this.unitsOf.set(s, this.unitsOf.get(s) + units);
        const k = this.skuColumn?.get(sku);
        if (k !== undefined) {
            const t = this.skuUnits.get(s, k) + units;
            if (t <= INT32_MAX && t >= INT32_MIN)
                return this.skuUnits.set(s, t, k);
        }
        const e = this.extraOf(s);
        e.bySku ??= new Map();
        e.bySku.set(sku, (e.bySku.get(sku) ?? 0) + units);
    }
    addRevenue(s, c, r) {
        const cur = r.currency;
        if (cur === c.currency && r.amountMicros !== undefined) {
            const next = this.homeOf.get(s) + r.amountMicros;
            if (Number.isSafeInteger(next)) {
                this.homeOf.set(s, next);
                return;
            }
        }
        const e = this.extraOf(s);
        let sum;
        if (cur === c.currency)
            sum = e.home ??= new ScaledSum();
        else {
            const key = c.fixedFx.has(cur) ? cur : `${cur}|${r.date}`;
            e.foreign ??= new Map();
            sum = e.foreign.get(key);
            if (!sum)
                e.foreign.set(key, (sum = new ScaledSum()));
        }
        if (r.amountMicros !== undefined)
            sum.addMicros(r.amountMicros);
        else if (r.amount !== null)
            sum.addDecimal(new Decimal(r.amount));
    }
    addUser(s, key, userId) {
        const e = this.extraOf(s);
        e.users ??= new Map();
        let set = e.users.get(key);
        if (!set)
            e.users.set(key, (set = new Set()));
        set.add(userId);
    }
    /**
     * Keeps the latest report of a metric. Returns true when the new report replaces an
     * earlier one or is itself older (one row is superseded); two reports on one day
     * are an input error naming both lines.
     */
    addCount(s, customerId, key, metric, report) {
        const e = this.extraOf(s);
        e.counts ??= new Map();
        let byMetric = e.counts.get(key);
        if (!byMetric)
            e.counts.set(key, (byMetric = new Map()));
        const prior = byMetric.get(metric);
        if (!prior) {
            byMetric.set(metric, report);
            return false;
        }
        if (prior.date === report.date)
            throw new DuplicateCountError(customerId, key, metric, prior, report);
        if (report.date > prior.date)
            byMetric.set(metric, report);
        return true;
    }
    /** The slot of (partner, customer) if there is one. */
    find(partner, customer) {
        if (customer >= this.head.length)
            return undefined;
        for (let s = this.head[customer] - 1; s >= 0; s = this.next.get(s) - 1)
            if (this.partnerOf.get(s) === partner)
                return s;
        return undefined;
    }
    /** Each partner's slots, in the order they were made (the order rows first reached them). */
    slotsByPartner() {
        const out = new Map();
        for (let s = 0; s < this.size; s++) {
            const p = this.partnerOf.get(s);
            let list = out.get(p);
            if (!list)
                out.set(p, (list = []));
            list.push(s);
        }
        return out;
    }
    /** A read-only view of one slot, for finishing and explaining. */
    view(s, customers) {
        return new CustomerAcc(this, s, customers.names[this.customerOf.get(s)]);
    }
    /** The customer (interned index) of a slot. */
    customer(s) {
        return this.customerOf.get(s);
    }
    rows(s) {
        return this.rowsOf.get(s);
    }
    units(s) {
        return this.unitsOf.get(s);
    }
    unitsBySku(s) {
        const k = this.skuNames.length;
        const extra = this.extra.get(s)?.bySku;
        if (k === 0)
            return extra ?? NO_UNITS;
        const out = new Map();
        for (let i = 0; i < k; i++) {
            const u = this.skuUnits.get(s, i);
            if (u !== 0)
                out.set(this.skuNames[i], u);
        }
        for (const [sku, u] of extra ?? [])
            out.set(sku, (out.get(sku) ?? 0) + u);
        return out;
    }
    /** Revenue in the campaign currency, exact: each currency-day sum at its own rate. */
    revenueIn(s, c, fx) {
        const e = this.extra.get(s);
        const home = this.homeOf.get(s);
        let total = home === 0 ? ZERO : microsToDecimal(home);
        if (e?.home)
            total = total.plus(e.home.toDecimal());
        for (const [key, sum] of e?.foreign ?? []) {
            const [cur, date] = key.split('|');
            total = total.plus(sum.toDecimal().times(rateToCampaign(c, cur, date, fx)));
        }
        return total;
    }
    active(s, metrics) {
        const e = this.extra.get(s);
        const out = new Map();
        if (metrics === null)
            for (const [key, set] of e?.users ?? [])
                out.set(key, set.size);
        else {
            for (const [key, byMetric] of e?.counts ?? []) {
                let best = 0;
                for (const m of metrics)
                    best = Math.max(best, byMetric.get(m)?.value ?? 0);
                out.set(key, best);
            }
        }
        return out;
    }
    latest(s, key, metric) {
        return this.extra.get(s)?.counts?.get(key)?.get(metric);
    }
}
/** One customer of one partner and service, as finishing and explaining read it. */
export class CustomerAcc {
    table;
    slot;
    customerId;
    constructor(table, slot, customerId) {
        this.table = table;
        this.slot = slot;
        this.customerId = customerId;
    }
    get rows() {
        return this.table.rows(this.slot);
    }
    get units() {
        return this.table.units(this.slot);
    }
    get unitsBySku() {
        return this.table.unitsBySku(this.slot);
    }
    revenueIn(c, fx) {
        return this.table.revenueIn(this.slot, c, fx);
    }
    /** Active users (or the paying metric: the largest of `metrics`) by usageKey. */
    active(metrics) {
        return this.table.active(this.slot, metrics);
    }
    /** The report of a metric that stands (the latest in the window). */
    latest(key, metric) {
        return this.table.latest(this.slot, key, metric);
    }
}
export class DuplicateCountError extends Error {
    customerId;
    key;
    metric;
    first;
    second;
    constructor(customerId, key, metric, first, second) {
        const [sku, workload] = key.split('\u0000');
        super(`customer ${customerId} has two ${metric} counts for ${workload} (${sku}) on ${second.date}: lines ${first.line} and ${second.line}`);
        this.customerId = customerId;
        this.key = key;
        this.metric = metric;
        this.first = first;
        this.second = second;
    }
}
export class FxNeededError extends Error {
    currency;
    to;
    day;
    constructor(currency, to, day) {
        super(`an amount in ${currency} on ${day} needs an exchange rate ${currency}->${to}: give fx.csv, or a fixed rate in the campaign's fx.fixed`);
        this.currency = currency;
        this.to = to;
        this.day = day;
    }
}
export function rateToCampaign(c, cur, date, fx) {
    if (cur === c.currency)
        return new Decimal(1);
    const fixed = c.fixedFx.get(cur);
    if (fixed)
        return fixed;
    if (!date)
        throw new Error(`internal: no date for ${cur}`);
    if (!fx)
        throw new FxNeededError(cur, c.currency, date);
    return fx.rate(cur, c.currency, date).rate;
}
