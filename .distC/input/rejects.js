/**
 * --on-invalid skip --rejects FILE: rows that fail validation are set aside here with
 * their file, line, column, reason and the record itself, and the run goes on. The
 * file is written beside its target and renamed when the run succeeds; a failed run
 * leaves none.
 */
import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { csvLine } from '../report/csv.js';
export const REJECTS_HEADER = ['file', 'line', 'column', 'reason', 'message', 'expected', 'found', 'record'];
/** A reason as the report counts it: the column and the message without its details. */
export function reasonKey(d) {
    return `${d.field ?? d.code}: ${d.message.replace(/\s*\(.*$/, '')}`;
}
export class RejectsFile {
    target;
    rows = 0;
    byReason = new Map();
    fd = null;
    tmp;
    constructor(target) {
        this.target = target;
        this.tmp = target ? join(dirname(target), `.${basename(target)}.${process.pid}.tmp`) : null;
        if (this.tmp) {
            this.fd = openSync(this.tmp, 'w');
            writeSync(this.fd, csvLine(REJECTS_HEADER));
        }
    }
    reject(problems, record) {
        this.rows++;
        const first = problems[0];
        const key = reasonKey(first);
        this.byReason.set(key, (this.byReason.get(key) ?? 0) + 1);
        if (this.fd === null)
            return;
        const raw = csvLine(record.map((v) => v)).trimEnd();
        for (const d of problems) {
            writeSync(this.fd, csvLine([d.file, d.line ?? '', d.field ?? '', d.code, d.message, d.expected ?? '', d.found ?? '', raw]));
        }
    }
    /** Renames the file into place (the run succeeded). */
    commit() {
        if (this.fd === null || !this.tmp || !this.target)
            return;
        closeSync(this.fd);
        this.fd = null;
        renameSync(this.tmp, this.target);
    }
    /** Removes the partial file (the run failed). */
    abort() {
        if (this.fd !== null)
            closeSync(this.fd);
        this.fd = null;
        if (this.tmp)
            rmSync(this.tmp, { force: true });
    }
    summary() {
        return { rows: this.rows, ...(this.target ? { file: this.target } : {}), reasons: Object.fromEntries([...this.byReason].sort((a, b) => b[1] - a[1])) };
    }
}
