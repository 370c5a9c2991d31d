/**
 * incent payout: monthly payout runs recorded in a SQLite ledger. A run computes what
 * each partner has earned to date, subtracts what recorded runs already paid, and
 * records the difference (pay, claw back, or carry forward below a minimum), with the
 * sha256 of every input and campaign file. Each period is paid exactly once: the same
 * inputs again change nothing; other inputs are refused unless --supersede.
 */
import { VERSION } from '../version.js';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { InvalidInputError } from '../diagnostics.js';
import { daysInMonth } from '../dates.js';
import { Decimal, formatMoney, roundMoney, ZERO } from '../money/index.js';
import { getRun, listRuns, openLedger, paidSoFar, recordedRun } from '../ledger/ledger.js';
import { csvLine } from '../report/csv.js';
import { renderTable } from '../report/text-table.js';
import { computeRun } from './inputs.js';
const PERIOD_RE = /^(\d{4})-(0[1-9]|1[0-2])$/;
function usage(code, flag, message, expected, found) {
    return new InvalidInputError([{ code, severity: 'error', file: flag, message, expected, found }]);
}
/** The last day of a YYYY-MM period: a run's default as_of. */
export function periodEnd(period) {
    const m = PERIOD_RE.exec(period);
    if (!m)
        throw usage('BAD_PERIOD', '--period', '--period is not a month', 'YYYY-MM, e.g. 2018-01', period);
    return `${period}-${String(daysInMonth(Number(m[1]), Number(m[2]))).padStart(2, '0')}`;
}
async function sha256(file) {
    const h = createHash('sha256');
    for await (const chunk of createReadStream(file))
        h.update(chunk);
    return h.digest('hex');
}
/** Every file the run depends on: inputs, campaign files, rate cards. */
export async function hashInputs(run) {
    const files = [...run.files];
    const cards = new Set();
    for (const c of run.campaigns) {
        files.push({ role: 'campaign', path: c.file });
        for (const s of c.services) {
            const rates = s.config.rates;
            for (const e of rates?.values() ?? [])
                if (e.file !== c.file)
                    cards.add(e.file);
        }
    }
    for (const f of cards)
        files.push({ role: 'rate-card', path: f });
    const out = [];
    for (const f of files)
        out.push({ ...f, sha256: await sha256(f.path) });
    return out.sort((a, b) => (a.role + a.path < b.role + b.path ? -1 : 1));
}
function inputsDigest(inputs) {
    return createHash('sha256')
        .update(inputs.map((i) => `${i.role}\t${i.path}\t${i.sha256}\n`).join(''))
        .digest('hex');
}
/** Earned to date minus paid so far, per (campaign, partner), with the minimum's carry-forward. */
export function computeLines(run, paid, payoutDate) {
    const lines = [];
    const before = new Map(paid.map((p) => [`${p.campaign_id}\u0000${p.partner_id}`, p]));
    const byId = new Map(run.campaigns.map((c) => [c.id, c]));
    const seen = new Set();
    const line = (c, partnerId, status, earned, payoutCurrency, services, rate) => {
        const k = `${c.id}\u0000${partnerId}`;
        seen.add(k);
        const paidBefore = (before.get(k)?.amounts ?? []).reduce((a, x) => a.plus(x), ZERO);
        const diff = earned.minus(paidBefore);
        const min = c.minimumPayout;
        let amount = diff;
        let carried = ZERO;
        let lineStatus = diff.gt(0) ? 'pay' : diff.lt(0) ? 'claw_back' : 'nothing';
        if (diff.gt(0) && min?.below === 'carry_forward' && diff.lt(min.amount)) {
            amount = ZERO;
            carried = diff;
            lineStatus = 'carried_forward';
        }
        let payoutAmount = amount;
        if (payoutCurrency !== c.currency && !amount.isZero()) {
            const r = rate ?? run.fx?.rate(c.currency, payoutCurrency, payoutDate(c)).rate;
            if (!r)
                throw usage('MISSING_INPUT', 'fx.csv', `paying ${partnerId} in ${payoutCurrency} needs a ${c.currency}->${payoutCurrency} rate`, 'fx.csv', 'no file');
            payoutAmount = roundMoney(amount.times(r), payoutCurrency, c.rounding);
        }
        return {
            campaign_id: c.id,
            partner_id: partnerId,
            currency: c.currency,
            status: `${status}:${lineStatus}`,
            earned_to_date: formatMoney(earned, c.currency),
            paid_before: formatMoney(paidBefore, c.currency),
            amount: formatMoney(amount, c.currency),
            carried_forward: formatMoney(carried, c.currency),
            payout_currency: payoutCurrency,
            payout_amount: formatMoney(payoutAmount, payoutCurrency),
            services: JSON.stringify(services),
        };
    };
    for (const cr of run.result.campaigns) {
        const c = byId.get(cr.id);
        for (const p of cr.partners) {
            // Carry-forward campaigns count every capped total; forfeit ones only what calc pays.
            const earned = c.minimumPayout?.below === 'carry_forward' || p.status === 'payable' ? p.total : ZERO;
            const services = Object.fromEntries(p.services.map((s) => [s.service, formatMoney(s.amount, c.currency)]));
            lines.push(line(c, p.partnerId, p.status, earned, p.payoutCurrency, services, p.payoutFx?.rate));
        }
    }
    // Paid before but credited with nothing now: the whole amount comes back.
    for (const [k, p] of before) {
        const c = byId.get(p.campaign_id);
        if (seen.has(k) || !c)
            continue;
        lines.push(line(c, p.partner_id, 'absent', ZERO, p.payout_currency, {}));
    }
    return lines.sort((a, b) => (a.campaign_id + a.partner_id < b.campaign_id + b.partner_id ? -1 : 1));
}
/** Test hook: hold the write transaction open this long (ms), to test kill -9 and races. */
function pauseForTests() {
    const ms = Number(process.env.INCENT_TEST_PAUSE_IN_TX_MS ?? 0);
    if (ms > 0) {
        process.stderr.write('incent: (test) holding the ledger transaction\n');
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
    }
}
export async function payoutRun(opts, warnings) {
    const asOf = opts.asOf ?? periodEnd(opts.period);
    periodEnd(opts.period);
    if (opts.supersede && !opts.reason)
        throw usage('BAD_FLAGS', '--supersede', '--supersede needs --reason TEXT', '--supersede --reason "..."', '(no reason)');
    const run = await computeRun({ ...opts, asOf }, warnings);
    const inputs = await hashInputs(run);
    const digest = inputsDigest(inputs);
    const db = openLedger(opts.ledger, opts.busyTimeoutMs);
    try {
        const outcome = db
            .transaction(() => {
            const existing = recordedRun(db, opts.period);
            if (existing && existing.inputs_sha256 === digest && existing.as_of === asOf) {
                return { kind: 'noop', run: existing, lines: [] };
            }
            if (existing && !opts.supersede) {
                const old = getRun(db, existing.id).inputs;
                throw new RefusedError(existing, describeChanges(old, inputs, existing.as_of, asOf));
            }
            const lines = computeLines(run, paidSoFar(db, opts.period), (c) => opts.payoutDate ?? run.result.campaigns.find((x) => x.id === c.id)?.asOf ?? asOf);
            let oldLines = new Map();
            if (existing) {
                oldLines = new Map(getRun(db, existing.id).lines.map((l) => [`${l.campaign_id}\u0000${l.partner_id}`, l]));
                db.prepare("UPDATE runs SET status = 'superseded' WHERE id = ?").run(existing.id);
            }
            const info = db
                .prepare('INSERT INTO runs (period, as_of, created_at, incent_version, inputs_sha256, supersedes, reason) VALUES (?, ?, ?, ?, ?, ?, ?)')
                .run(opts.period, asOf, new Date().toISOString(), VERSION, digest, existing?.id ?? null, opts.reason ?? null);
            const id = Number(info.lastInsertRowid);
            const addInput = db.prepare('INSERT INTO run_inputs (run_id, role, path, sha256) VALUES (?, ?, ?, ?)');
            for (const i of inputs)
                addInput.run(id, i.role, i.path, i.sha256);
            const addLine = db.prepare(`INSERT INTO run_lines (run_id, campaign_id, partner_id, currency, status, earned_to_date, paid_before, amount, carried_forward, payout_currency, payout_amount, delta, services)
           VALUES (@run_id, @campaign_id, @partner_id, @currency, @status, @earned_to_date, @paid_before, @amount, @carried_forward, @payout_currency, @payout_amount, @delta, @services)`);
            for (const l of lines) {
                const old = oldLines.get(`${l.campaign_id}\u0000${l.partner_id}`);
                const delta = existing ? formatMoney(new Decimal(l.amount).minus(old?.amount ?? '0'), l.currency) : null;
                addLine.run({ ...l, run_id: id, delta });
            }
            pauseForTests();
            return { kind: 'recorded', run: db.prepare('SELECT * FROM runs WHERE id = ?').get(id), lines, replaced: existing };
        })
            .immediate();
        if (outcome.kind === 'noop') {
            return { output: `period ${opts.period} is already recorded by run ${outcome.run.id} from identical inputs: nothing changed\n`, exitCode: 0 };
        }
        return { output: runSummary(outcome.run, outcome.lines, outcome.replaced), exitCode: 0 };
    }
    catch (e) {
        if (e instanceof RefusedError)
            return { output: e.message + '\n', exitCode: 1 };
        if (e.code === 'SQLITE_BUSY') {
            return { output: `the ledger ${opts.ledger} is busy: another payout run holds it; try again (or raise --busy-timeout)\n`, exitCode: 1 };
        }
        throw e;
    }
    finally {
        db.close();
    }
}
class RefusedError extends Error {
    constructor(existing, changes) {
        super(`period ${existing.period} is already recorded by run ${existing.id} from other inputs:\n${changes.map((c) => `  ${c}`).join('\n')}\n` +
            'nothing recorded. To replace it with a correction run, pass --supersede --reason "why".');
    }
}
function describeChanges(old, now, oldAsOf, asOf) {
    const out = [];
    if (oldAsOf !== asOf)
        out.push(`as_of ${oldAsOf} -> ${asOf}`);
    const key = (i) => `${i.role}\t${i.path}`;
    const before = new Map(old.map((i) => [key(i), i]));
    const after = new Map(now.map((i) => [key(i), i]));
    for (const [k, i] of after) {
        const o = before.get(k);
        if (!o)
            out.push(`new ${i.role} ${i.path} (sha256 ${i.sha256.slice(0, 12)})`);
        else if (o.sha256 !== i.sha256)
            out.push(`changed ${i.role} ${i.path}: sha256 ${o.sha256.slice(0, 12)} -> ${i.sha256.slice(0, 12)}`);
    }
    for (const [k, o] of before)
        if (!after.has(k))
            out.push(`no longer read: ${o.role} ${o.path}`);
    return out.length ? out : ['(the inputs hash differs)'];
}
function runSummary(run, lines, replaced) {
    const total = (status) => lines.filter((l) => l.status.endsWith(`:${status}`)).length;
    const head = `run ${run.id} recorded for ${run.period} (as of ${run.as_of})${replaced ? `, superseding run ${replaced.id}: ${run.reason}` : ''}: ${total('pay')} to pay, ${total('claw_back')} to claw back, ${total('carried_forward')} carried forward\n`;
    return head + linesTable(lines.filter((l) => !l.status.endsWith(':nothing')));
}
function linesTable(lines) {
    if (lines.length === 0)
        return '';
    return renderTable([
        { title: 'Campaign' },
        { title: 'Partner' },
        { title: 'Status' },
        { title: 'Earned to date', align: 'right' },
        { title: 'Paid before', align: 'right' },
        { title: 'This run', align: 'right' },
        { title: 'Carried', align: 'right' },
        { title: 'Payout', align: 'right' },
    ], lines.map((l) => [l.campaign_id, l.partner_id, l.status.split(':')[1], l.earned_to_date, l.paid_before, l.amount, l.carried_forward, `${l.payout_amount} ${l.payout_currency}`]));
}
export function payoutList(ledger, format) {
    const db = openLedger(ledger);
    try {
        const runs = listRuns(db);
        if (format === 'json')
            return JSON.stringify({ runs }, null, 2) + '\n';
        if (runs.length === 0)
            return `no runs in ${ledger}\n`;
        return renderTable([{ title: 'Run', align: 'right' }, { title: 'Period' }, { title: 'As of' }, { title: 'Status' }, { title: 'Recorded at' }, { title: 'Supersedes' }, { title: 'Reason' }], runs.map((r) => [String(r.id), r.period, r.as_of, r.status, r.created_at, r.supersedes ? String(r.supersedes) : '', r.reason ?? '']));
    }
    finally {
        db.close();
    }
}
function loadRun(ledger, id) {
    const n = Number(id);
    const db = openLedger(ledger);
    try {
        const r = Number.isInteger(n) ? getRun(db, n) : undefined;
        if (!r)
            throw usage('UNKNOWN_RUN', 'RUN', `no run ${id} in ${ledger}`, 'a run id from `incent payout list`', id);
        return r;
    }
    finally {
        db.close();
    }
}
export function payoutShow(ledger, id, format) {
    const { run, lines, inputs } = loadRun(ledger, id);
    if (format === 'json')
        return JSON.stringify({ run, inputs, lines: lines.map((l) => ({ ...l, services: JSON.parse(l.services) })) }, null, 2) + '\n';
    return (`run ${run.id} · period ${run.period} · as of ${run.as_of} · ${run.status}${run.supersedes ? ` · supersedes run ${run.supersedes} (${run.reason})` : ''} · incent ${run.incent_version}\n` +
        inputs.map((i) => `  ${i.role.padEnd(13)} ${i.sha256.slice(0, 16)}  ${i.path}`).join('\n') +
        '\n' +
        linesTable(lines));
}
export const EXPORT_HEADER = ['run_id', 'period', 'campaign_id', 'partner_id', 'status', 'earned_to_date', 'paid_before', 'amount', 'carried_forward', 'currency', 'payout_amount', 'payout_currency', 'delta'];
/** The payment file of a run. CSV cells that a spreadsheet would run as formulas are neutralised. */
export function payoutExport(ledger, id, format) {
    const { run, lines } = loadRun(ledger, id);
    const rows = lines.map((l) => ({
        run_id: run.id,
        period: run.period,
        campaign_id: l.campaign_id,
        partner_id: l.partner_id,
        status: l.status.split(':')[1],
        earned_to_date: l.earned_to_date,
        paid_before: l.paid_before,
        amount: l.amount,
        carried_forward: l.carried_forward,
        currency: l.currency,
        payout_amount: l.payout_amount,
        payout_currency: l.payout_currency,
        delta: l.delta ?? '',
    }));
    if (format === 'json')
        return JSON.stringify({ run: { id: run.id, period: run.period, asOf: run.as_of, status: run.status }, payments: rows }, null, 2) + '\n';
    return csvLine(EXPORT_HEADER) + rows.map((r) => csvLine(EXPORT_HEADER.map((h) => r[h]))).join('');
}
/** Recomputes a recorded run from its inputs, given again; every amount and every input hash must match. */
export async function payoutVerify(opts, warnings) {
    const { run: recorded, lines, inputs: oldInputs } = loadRun(opts.ledger, opts.run);
    const run = await computeRun({ ...opts, asOf: recorded.as_of }, warnings);
    const inputs = await hashInputs(run);
    const problems = [];
    if (inputsDigest(inputs) !== recorded.inputs_sha256)
        problems.push(...describeChanges(oldInputs, inputs, recorded.as_of, recorded.as_of));
    const paid = lines.map((l) => ({ campaign_id: l.campaign_id, partner_id: l.partner_id, currency: l.currency, payout_currency: l.payout_currency, amounts: [l.paid_before] }));
    const again = new Map(computeLines(run, paid, () => opts.payoutDate ?? recorded.as_of).map((l) => [`${l.campaign_id}\u0000${l.partner_id}`, l]));
    for (const l of lines) {
        const n = again.get(`${l.campaign_id}\u0000${l.partner_id}`);
        for (const f of ['earned_to_date', 'amount', 'carried_forward', 'payout_amount']) {
            if (!n || n[f] !== l[f])
                problems.push(`${l.campaign_id} ${l.partner_id} ${f}: recorded ${l[f]}, recomputed ${n?.[f] ?? '(partner absent)'}`);
        }
    }
    if (problems.length === 0)
        return { output: `run ${recorded.id} verified: ${lines.length} lines and ${inputs.length} input files match\n`, exitCode: 0 };
    return { output: `run ${recorded.id} does not verify:\n${problems.map((p) => `  ${p}`).join('\n')}\n`, exitCode: 1 };
}
/** What one partner is paid by a run, and why: earned to date per campaign and service, paid before, carried, clawed back. */
export function payoutStatement(ledger, id, partner, format) {
    const { run, lines } = loadRun(ledger, id);
    const mine = lines.filter((l) => l.partner_id === partner);
    if (mine.length === 0)
        throw usage('UNKNOWN_PARTNER', '--partner', `run ${run.id} has no line for partner ${partner}`, 'a partner of this run', partner);
    const blocks = mine.map((l) => {
        const services = Object.entries(JSON.parse(l.services));
        const status = l.status.split(':')[1];
        const what = status === 'pay'
            ? `pays ${l.amount} ${l.currency}`
            : status === 'claw_back'
                ? `claws back ${new Decimal(l.amount).negated().toString()} ${l.currency}`
                : status === 'carried_forward'
                    ? `pays nothing: ${l.carried_forward} ${l.currency} is below the minimum and carried forward`
                    : 'pays nothing';
        return { l, services, what };
    });
    if (format === 'html') {
        const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
        return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Statement ${esc(partner)} run ${run.id}</title>
<style>body{font:14px system-ui,sans-serif;margin:2rem}td,th{padding:.3rem .6rem;border-bottom:1px solid #ddd;text-align:left}td.num{text-align:right}</style></head><body>
<h1>Statement for ${esc(partner)}</h1><p>Run ${run.id}, period ${run.period}, as of ${run.as_of}</p>
${blocks
            .map((b) => `<h2>${esc(b.l.campaign_id)}</h2><p>This run ${esc(b.what)}; payout ${b.l.payout_amount} ${b.l.payout_currency}.</p>
<table><tr><th>Service</th><th>Earned to date</th></tr>${b.services.map(([s, a]) => `<tr><td>${esc(s)}</td><td class="num">${a}</td></tr>`).join('')}
<tr><th>Earned to date</th><td class="num">${b.l.earned_to_date}</td></tr><tr><th>Paid before</th><td class="num">${b.l.paid_before}</td></tr>
<tr><th>This run</th><td class="num">${b.l.amount}</td></tr><tr><th>Carried forward</th><td class="num">${b.l.carried_forward}</td></tr></table>`)
            .join('\n')}
</body></html>
`;
    }
    return (`Statement for ${partner}: run ${run.id}, period ${run.period}, as of ${run.as_of}\n` +
        blocks
            .map((b) => `\n${b.l.campaign_id} (${b.l.currency}): this run ${b.what}; payout ${b.l.payout_amount} ${b.l.payout_currency}\n` +
            b.services.map(([s, a]) => `  ${s.padEnd(16)} ${a.padStart(12)}\n`).join('') +
            `  ${'earned to date'.padEnd(16)} ${b.l.earned_to_date.padStart(12)}\n  ${'paid before'.padEnd(16)} ${b.l.paid_before.padStart(12)}\n  ${'this run'.padEnd(16)} ${b.l.amount.padStart(12)}\n  ${'carried forward'.padEnd(16)} ${b.l.carried_forward.padStart(12)}\n`)
            .join(''));
}
