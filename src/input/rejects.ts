/**
 * --on-invalid skip --rejects FILE: rows that fail validation are set aside here with
 * their file, line, column, reason and the record itself, and the run goes on. The
 * file is written beside its target and renamed when the run succeeds; a failed run
 * leaves none.
 */
import { trackTemp, untrackTemp } from '../temp-files.js';
import { tempNameFor } from '../atomic-write.js';
import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import type { Diagnostic } from '../diagnostics.js';
import { csvLine } from '../csv-cells.js';
import type { RejectSink } from './source.js';

export const REJECTS_HEADER = ['file', 'line', 'column', 'reason', 'message', 'expected', 'found', 'record'];

/** A reason as the report counts it: the column and the message without its details. */
export function reasonKey(d: Diagnostic): string {
  return `${d.field ?? d.code}: ${d.message.replace(/\s*\(.*$/, '')}`;
}

export class RejectsFile implements RejectSink {
  rows = 0;
  readonly byReason = new Map<string, number>();
  private fd: number | null = null;
  private readonly tmp: string | null;

  constructor(readonly target: string | undefined) {
    this.tmp = target ? trackTemp(tempNameFor(target)) : null;
    if (this.tmp) {
      this.fd = openSync(this.tmp, 'w');
      writeSync(this.fd, csvLine(REJECTS_HEADER));
    }
  }

  reject(problems: readonly Diagnostic[], record: readonly string[]): void {
    this.rows++;
    const first = problems[0]!;
    const key = reasonKey(first);
    this.byReason.set(key, (this.byReason.get(key) ?? 0) + 1);
    if (this.fd === null) return;
    const raw = csvLine(record.map((v) => v)).trimEnd();
    for (const d of problems) {
      writeSync(this.fd, csvLine([d.file, d.line ?? '', d.field ?? '', d.code, d.message, d.expected ?? '', d.found ?? '', raw]));
    }
  }

  /** Renames the file into place (the run succeeded). */
  commit(): void {
    if (this.fd === null || !this.tmp || !this.target) return;
    closeSync(this.fd);
    this.fd = null;
    renameSync(this.tmp, this.target);
    untrackTemp(this.tmp);
  }

  /** Removes the partial file (the run failed). */
  abort(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
    if (this.tmp) {
      rmSync(this.tmp, { force: true });
      untrackTemp(this.tmp);
    }
  }

  summary(): { rows: number; file?: string; reasons: Record<string, number> } {
    return { rows: this.rows, ...(this.target ? { file: this.target } : {}), reasons: Object.fromEntries([...this.byReason].sort((a, b) => b[1] - a[1])) };
  }
}
