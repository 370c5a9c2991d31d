/** Which input files a run reads: `--data DIR` by their names, or one flag per file. */
import { existsSync, readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { requiredInputs } from '../campaign/model.js';
export const INPUT_FILES = {
    transactions: 'transactions.csv',
    partners: 'partners.csv',
    registrations: 'registrations.csv',
    fx: 'fx.csv',
    usage: 'usage.csv',
    claims: 'claims.csv',
    eligibility: 'eligibility.csv',
};
export function resolveInputs(flags) {
    const out = {};
    for (const name of Object.keys(INPUT_FILES)) {
        const explicit = name === 'transactions' ? flags.transactions?.[0] : flags[name];
        if (explicit)
            out[name] = explicit;
        else if (flags.data) {
            const p = join(flags.data, INPUT_FILES[name]);
            if (existsSync(p))
                out[name] = p;
        }
    }
    if (flags.transactions?.length)
        out.transactionFiles = flags.transactions.flatMap(expandGlob);
    else if (out.transactions)
        out.transactionFiles = [out.transactions];
    return out;
}
/**
 * A file name with `*` or `?` in its last part matches the files of its folder (sorted),
 * for shells that pass the pattern through; no match keeps the pattern, so reading it
 * reports "no such file".
 */
export function expandGlob(pattern) {
    const base = basename(pattern);
    if (!/[*?]/.test(base))
        return [pattern];
    const dir = dirname(pattern);
    const re = new RegExp(`^${base.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
    let names;
    try {
        names = readdirSync(dir);
    }
    catch {
        return [pattern];
    }
    const matched = names.filter((n) => re.test(n)).sort().map((n) => join(dir, n));
    return matched.length ? matched : [pattern];
}
/** A campaign that needs a file that was not given is an error naming the file. */
export function missingInputs(campaigns, paths, flags) {
    const out = [];
    const needed = new Map();
    for (const c of campaigns)
        for (const n of requiredInputs(c))
            if (!paths[n])
                needed.set(n, [...(needed.get(n) ?? []), c.id]);
    for (const [name, ids] of needed) {
        const where = flags.data ? `not found in ${flags.data}` : 'not given';
        out.push({
            code: 'MISSING_INPUT',
            severity: 'error',
            file: flags.data ? join(flags.data, INPUT_FILES[name]) : INPUT_FILES[name],
            message: `${INPUT_FILES[name]} is needed by ${ids.join(', ')} but was ${where}: pass --${name} FILE or put it in --data DIR`,
            expected: INPUT_FILES[name],
            found: 'no file',
        });
    }
    return out;
}
