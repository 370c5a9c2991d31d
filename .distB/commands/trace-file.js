/**
 * calc --explain FILE: the trace of every row of every partner, written to FILE as CSV
 * or JSON Lines (by extension), whole or not at all. The input is read once: a row a
 * campaign excludes before it accumulates (credit, filters, gates) is written as it is
 * read; the other rows are spooled compactly to a temporary file and written after the
 * run, when their customers' and services' verdicts are known. For a partner whose pay
 * a cap trimmed (caps trim by date, then transaction id, latest first), the trims are
 * worked out from per-month sums, then per-day sums inside the months a cap cuts
 * partway, over the spooled rows; only the rows of a day a cap cuts partway wait in
 * memory, to be ordered by id. Memory follows partners, services and months, not rows.
 */
import { closeSync, createReadStream, linkSync, mkdtempSync, openSync, renameSync, rmSync, unlink, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { Decimal, exactText, ZERO } from '../money/index.js';
import { allocate, excludedTo, order, trimLatest } from '../engine/trace.js';
import { csvLine } from '../report/csv.js';
import { csvParts, TRACE_CSV_HEADER, traceCsvExcluded, traceCsvFromParts, traceCsvLine, traceJson } from '../report/trace.js';
class Out {
    fd;
    buf = [];
    size = 0;
    constructor(fd) {
        this.fd = fd;
    }
    write(s) {
        this.buf.push(s);
        this.size += s.length;
        if (this.size > 1 << 14)
            this.flush();
    }
    flush() {
        if (this.buf.length)
            writeSync(this.fd, this.buf.join(''));
        this.buf = [];
        this.size = 0;
    }
}
/** Total over services of a bucket's campaign trim, and of what the service caps leave of it. */
function across(buckets, b) {
    let campaignTrim = ZERO;
    let remaining = ZERO;
    for (const m of buckets.values()) {
        const c = m.get(b);
        if (!c)
            continue;
        campaignTrim = campaignTrim.plus(c.campaignTrim);
        remaining = remaining.plus(c.positive.minus(c.serviceTrim));
    }
    return { campaignTrim, remaining };
}
/** untouched, gone (every item loses all), or partial (items must be looked at one by one). */
function fate(buckets, service, b) {
    const c = buckets.get(service)?.get(b);
    if (!c)
        return 'untouched';
    const all = across(buckets, b);
    if (c.serviceTrim.isZero() && all.campaignTrim.isZero())
        return 'untouched';
    if (c.serviceTrim.eq(c.positive) && all.campaignTrim.isZero())
        return 'gone';
    if (!all.campaignTrim.isZero() && all.campaignTrim.eq(all.remaining))
        return 'gone';
    return 'partial';
}
/** Spreads a month's trims over its days, latest day first: the service cap's, then the campaign cap's. */
function spreadToDays(plan, month) {
    for (const [service, days] of plan.days) {
        const cut = plan.months.get(service)?.get(month);
        let left = cut?.serviceTrim ?? ZERO;
        for (const day of [...days.keys()].filter((d) => d.startsWith(month)).sort().reverse()) {
            const c = days.get(day);
            const take = c.positive.lt(left) ? c.positive : left;
            c.serviceTrim = take;
            left = left.minus(take);
        }
    }
    let left = across(plan.months, month).campaignTrim;
    const allDays = new Set();
    for (const days of plan.days.values())
        for (const d of days.keys())
            if (d.startsWith(month))
                allDays.add(d);
    for (const day of [...allDays].sort().reverse()) {
        // Within a day the campaign cap takes from the services by id later; here only its total matters.
        let dayLeft = ZERO;
        for (const days of plan.days.values()) {
            const c = days.get(day);
            if (c)
                dayLeft = dayLeft.plus(c.positive.minus(c.serviceTrim));
        }
        let take = dayLeft.lt(left) ? dayLeft : left;
        left = left.minus(take);
        for (const days of plan.days.values()) {
            const c = days.get(day);
            if (!c)
                continue;
            const room = c.positive.minus(c.serviceTrim);
            const t = room.lt(take) ? room : take;
            c.campaignTrim = t;
            take = take.minus(t);
        }
    }
}
const key = (c, p) => `${c}\u0000${p}`;
/**
 * Rows whose stories wait for the whole file: each as the event it tells if its
 * customer and service qualify, one JSON line per event in a temporary file. For a CSV
 * trace the line is spooled already cut into quoted cells (csvParts), so the end of the
 * run only looks up verdicts and joins text.
 */
class Spool {
    csv;
    dir = mkdtempSync(join(tmpdir(), 'incent-trace-'));
    path = join(this.dir, 'rows.jsonl');
    fd = openSync(this.path, 'w');
    out = new Out(this.fd);
    /** Campaign ids and file names, written once and referred to by index. */
    names = [];
    closed = false;
    constructor(csv) {
        this.csv = csv;
    }
    index(name) {
        let i = this.names.indexOf(name);
        if (i < 0)
            i = this.names.push(name) - 1;
        return i;
    }
    add(e) {
        let fields;
        if (this.csv) {
            const p = csvParts(e);
            fields = [this.index(e.campaign), e.partner, e.service, e.customer, e.date, e.transactionId, e.status, exactText(e.amount), p.head, p.mid, p.tail, p.detail];
        }
        else {
            fields = [this.index(e.campaign), e.partner, e.service, e.customer, e.transactionId, this.index(e.file ?? ''), e.line, e.date, e.sku, e.status];
            fields.push(e.units ?? null, e.rate?.toString() ?? null, e.fx?.rate.toString() ?? null, e.fx?.source ?? null, e.amount.toString(), e.detail);
        }
        this.out.write(JSON.stringify(fields) + '\n');
    }
    /** Each spooled event, in the order it was told; `only` skips others before they are rebuilt. */
    async replay(f, only) {
        if (!this.closed) {
            this.out.flush();
            closeSync(this.fd);
            this.closed = true;
        }
        const names = this.names;
        const decimal = (text) => (text === '0' ? ZERO : new Decimal(text));
        const line = (text) => {
            const v = JSON.parse(text);
            const campaign = names[v[0]];
            if (only && !only(campaign, v[1]))
                return;
            if (this.csv) {
                const c = v;
                const amount = decimal(c[7]);
                return f({
                    kind: 'row',
                    campaign,
                    partner: c[1],
                    amount,
                    trimmed: ZERO,
                    paid: amount,
                    transactionId: c[5],
                    date: c[4],
                    customer: c[3],
                    service: c[2],
                    status: c[6],
                    reason: undefined,
                    detail: '',
                    parts: { head: c[8], mid: c[9], tail: c[10], detail: c[11] },
                    amountText: c[7],
                });
            }
            const j = v;
            const amount = decimal(j[14]);
            f({
                kind: 'row',
                campaign,
                partner: j[1],
                amount,
                trimmed: ZERO,
                paid: amount,
                transactionId: j[4],
                file: names[j[5]] || undefined,
                line: j[6],
                date: j[7],
                customer: j[3],
                sku: j[8],
                service: j[2],
                status: j[9],
                reason: undefined,
                detail: j[15],
                units: j[10] ?? undefined,
                rate: j[11] === null ? undefined : decimal(j[11]),
                fx: j[12] === null ? undefined : { rate: decimal(j[12]), source: j[13] },
            });
        };
        let rest = '';
        for await (const chunk of createReadStream(this.path, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
            const parts = (rest + chunk).split('\n');
            rest = parts.pop();
            for (const p of parts)
                line(p);
        }
        if (rest)
            line(rest);
    }
    dispose() {
        if (!this.closed)
            closeSync(this.fd);
        this.closed = true;
        rmSync(this.dir, { recursive: true, force: true });
    }
}
/**
 * Puts `tmp` in place of `file` at once. Replacing a large file frees its blocks inside
 * the rename (~0.1 s per 200 MB here), so a second link keeps the old file while the
 * new one takes its name, and the old one is let go in the background.
 */
function replace(tmp, file) {
    const old = `${tmp}.old`;
    let linked = false;
    try {
        linkSync(file, old);
        linked = true;
    }
    catch {
        // nothing to replace, or links not allowed here: a plain rename
    }
    try {
        renameSync(tmp, file);
    }
    finally {
        if (linked)
            unlink(old, () => undefined);
    }
}
/**
 * calc --explain FILE. Open it before the run and hand `onRow` to computeRun; then
 * `finish(run)` writes the rest and puts FILE in place, or `abort()` leaves nothing.
 */
export class TraceFile {
    file;
    json;
    tmp;
    fd;
    out;
    spool;
    written = 0;
    constructor(file) {
        this.file = file;
        this.json = /\.jsonl?$/i.test(file);
        this.spool = new Spool(!this.json);
        this.tmp = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
        this.fd = openSync(this.tmp, 'w');
        this.out = new Out(this.fd);
        if (!this.json)
            this.out.write(csvLine(TRACE_CSV_HEADER));
        this.tell = {
            excluded: this.json
                ? excludedTo(this.emit)
                : (campaign, partner, service, reason, detail, phrase, r, file) => {
                    this.written++;
                    this.out.write(traceCsvExcluded(campaign, partner, service, reason, detail, phrase, r, file, this.quoted));
                },
            pending: (e) => this.spool.add(e),
        };
    }
    /** Phrases (shared words of rows excluded at once) quoted for CSV, by number. */
    quoted = [];
    /** Rows excluded at once; CSV lines are written straight from their fields. */
    tell;
    emit = (e) => {
        this.written++;
        if (this.json)
            this.out.write(JSON.stringify(traceJson(e)) + '\n');
        else if (e.parts)
            this.out.write(traceCsvFromParts(e.parts, e, e.trimmed.isZero() ? e.amountText : undefined));
        else
            this.out.write(traceCsvLine(e));
    };
    /** For computeRun: adds each transactions row as it is read, telling what it can at once. */
    onRow = (row, file, ev) => ev.addTelling(row, file, this.tell);
    async finish(run) {
        try {
            await writeRest(run, this.spool, this.emit);
            this.out.flush();
            closeSync(this.fd);
            replace(this.tmp, this.file);
            return this.written;
        }
        catch (e) {
            this.abort();
            throw e;
        }
        finally {
            this.spool.dispose();
        }
    }
    abort() {
        try {
            closeSync(this.fd);
        }
        catch {
            // already closed
        }
        rmSync(this.tmp, { force: true });
        this.spool.dispose();
    }
}
/** After the run: the spooled rows, usage rows, and every partner's summary lines. */
async function writeRest(run, spool, emit) {
    const runs = new Map(run.ev.campaignRuns.map((cr) => [cr.c.id, cr]));
    const capped = new Set();
    for (const cr of runs.values()) {
        for (const [partner, v] of cr.verdicts) {
            if (v.result.total.lt(v.result.subtotal) || v.result.services.some((s) => s.amount.lt(s.earned)))
                capped.add(key(cr.c.id, partner));
        }
    }
    const sums = new Map();
    const monthSums = new Map();
    const events = async (f, only) => {
        await spool.replay((e) => f(runs.get(e.campaign).settle(e)), only);
        await run.replayUsage((row, src) => run.ev.explainUsage(row, src, only).forEach(f));
    };
    const cappedOnly = (c, p) => capped.has(key(c, p));
    const add = (store, k, service, bucket, amount) => {
        let byService = store.get(k);
        if (!byService)
            store.set(k, (byService = new Map()));
        let m = byService.get(service);
        if (!m)
            byService.set(service, (m = new Map()));
        m.set(bucket, (m.get(bucket) ?? ZERO).plus(amount));
    };
    // Pass 1 over the spooled rows: write every row of uncapped partners; sum capped partners' rows per month.
    await events((e) => {
        if (e.amount.isZero() || e.partner === '')
            return emit(e);
        const k = key(e.campaign, e.partner);
        if (!capped.has(k)) {
            let m = sums.get(k);
            if (!m)
                sums.set(k, (m = new Map()));
            m.set(e.service, (m.get(e.service) ?? ZERO).plus(e.paid));
            return emit(e);
        }
        // Negative items are never trimmed: they sum on one undated key.
        add(monthSums, k, e.service, e.amount.isNegative() ? '' : e.date.slice(0, 7), e.amount);
    });
    // Uncapped partners: their summary items and lines, after what was written.
    for (const cr of runs.values()) {
        for (const [partner, v] of cr.verdicts) {
            const k = key(cr.c.id, partner);
            if (capped.has(k))
                continue;
            const items = cr.summaryItems(partner).filter((e) => !e.amount.isZero());
            for (const e of [...items, ...allocate(cr.c.id, cr.c.currency, v.result, items, sums.get(k) ?? new Map())])
                emit(e);
        }
    }
    if (capped.size === 0)
        return;
    // Capped partners: explain's allocation, on one item per service and month.
    const plans = new Map();
    for (const k of capped) {
        const [campaign, partner] = k.split('\u0000');
        const cr = runs.get(campaign);
        const v = cr.verdicts.get(partner);
        const synthetic = [];
        for (const [service, byMonth] of monthSums.get(k) ?? []) {
            for (const [month, amount] of byMonth) {
                synthetic.push({ kind: 'row', campaign, partner, service, date: month || undefined, transactionId: month ? '' : undefined, status: 'earned', detail: '', amount, trimmed: ZERO, paid: amount });
            }
        }
        const summary = cr.summaryItems(partner).filter((e) => !e.amount.isZero());
        const lines = allocate(campaign, cr.c.currency, v.result, [...synthetic, ...summary]);
        const months = new Map();
        for (const m of synthetic) {
            if (!m.date)
                continue;
            let byMonth = months.get(m.service);
            if (!byMonth)
                months.set(m.service, (byMonth = new Map()));
            const serviceTrim = (m.serviceTrimmed ?? ZERO).negated();
            byMonth.set(m.date, { positive: m.amount, serviceTrim, campaignTrim: m.trimmed.negated().minus(serviceTrim) });
        }
        plans.set(k, { months, days: new Map(), tail: [...summary, ...lines], held: [] });
    }
    // Pass 2: day sums, only inside the months a cap cuts partway.
    await events((e) => {
        if (e.amount.isZero() || e.partner === '' || e.amount.isNegative())
            return;
        const plan = plans.get(key(e.campaign, e.partner));
        if (!plan || fate(plan.months, e.service, e.date.slice(0, 7)) !== 'partial')
            return;
        let byDay = plan.days.get(e.service);
        if (!byDay)
            plan.days.set(e.service, (byDay = new Map()));
        const c = byDay.get(e.date) ?? { positive: ZERO, serviceTrim: ZERO, campaignTrim: ZERO };
        c.positive = c.positive.plus(e.amount);
        byDay.set(e.date, c);
    }, cappedOnly);
    for (const plan of plans.values()) {
        const partial = new Set();
        for (const [service, byMonth] of plan.months)
            for (const m of byMonth.keys())
                if (fate(plan.months, service, m) === 'partial')
                    partial.add(m);
        for (const m of partial)
            spreadToDays(plan, m);
    }
    // Pass 3: capped partners' rows; whole months and days at once, a day cut partway waits.
    await events((e) => {
        if (e.amount.isZero() || e.partner === '')
            return;
        const plan = plans.get(key(e.campaign, e.partner));
        if (!plan)
            return;
        if (e.amount.isNegative())
            return emit(e);
        let f = fate(plan.months, e.service, e.date.slice(0, 7));
        if (f === 'partial')
            f = fate(plan.days, e.service, e.date);
        if (f === 'untouched')
            return emit(e);
        if (f === 'gone')
            return emit({ ...e, trimmed: e.amount.negated(), paid: ZERO });
        plan.held.push(e);
    }, cappedOnly);
    for (const plan of plans.values()) {
        // Within a day, the latest id gives first: the service cap, then the campaign cap.
        const byDay = new Map();
        for (const e of plan.held)
            byDay.set(e.date, [...(byDay.get(e.date) ?? []), e]);
        for (const [day, list] of byDay) {
            list.sort(order);
            for (const e of list) {
                e.trimmed = ZERO;
                e.paid = e.amount;
            }
            for (const [service, days] of plan.days) {
                const t = days.get(day)?.serviceTrim;
                if (t && !t.isZero())
                    trimLatest(list.filter((e) => e.service === service), t);
            }
            const c = across(plan.days, day).campaignTrim;
            if (!c.isZero())
                trimLatest(list, c);
            list.forEach(emit);
        }
        plan.tail.forEach(emit);
    }
}
