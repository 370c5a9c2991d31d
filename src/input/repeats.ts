/**
 * Repeated transaction ids across the transactions files: the id filter (id-filter.ts)
 * flags candidates as rows stream by; these confirm them with a second look at only the
 * files concerned, and name every place of each repeat. With rejects, the repeats are
 * found before the rows are read, so both copies can be set aside.
 */
import type { CsvSettings } from './csv.js';
import { readCsv } from './csv.js';
import { IdFilter } from './id-filter.js';
import { RowProblems, show } from './row-errors.js';
import { cell, placeName } from './transactions.js';
import type { Plan } from './source.js';

/** Whether a file's rows carry their own transaction_id (others are named file:line). */
export function checksIds(plan: Plan): boolean {
  return plan.layout.kind === 'canonical' || !plan.layout.bound.idFromLine;
}

/** Calls `f` with the transaction_id of every record of `plan`'s file. */
async function eachId(plan: Plan, f: (id: string, line: number) => void, csv?: CsvSettings): Promise<void> {
  const layout = plan.layout;
  let at = -1;
  await readCsv(
    plan.file,
    (h) => (at = h.index.get('transaction_id') ?? -1),
    (rec, line) => f(layout.kind === 'canonical' ? cell(rec, at) : (layout.bound.map(rec).transaction_id ?? '').trim(), line),
    undefined,
    csv,
  );
}

/**
 * The exact look at the places whose ids share a fingerprint: reads those files once
 * more, only when there are any, and reports each id that truly repeats with the
 * place it was first seen. Returns the repeated lines by file.
 */
export async function confirmRepeats(ids: IdFilter, plans: readonly Plan[], problems: RowProblems, csv?: CsvSettings): Promise<Map<string, Set<number>>> {
  const repeats = new Map<string, Set<number>>();
  const groups = ids.candidates();
  if (groups.length === 0) return repeats;
  const wanted = new Map<number, Map<number, string>>();
  for (const g of groups) for (const at of g) wanted.set(at.file, (wanted.get(at.file) ?? new Map<number, string>()).set(at.line, ''));
  for (const [fileNo, lines] of wanted) {
    const plan = plans.find((p) => p.file === ids.files[fileNo]);
    if (plan) await eachId(plan, (id, line) => lines.has(line) && lines.set(line, id), csv);
  }
  for (const g of groups) {
    const first = new Map<string, (typeof g)[number]>();
    for (const at of g) {
      const id = wanted.get(at.file)!.get(at.line)!;
      const seen = first.get(id);
      if (!seen) {
        first.set(id, at);
        continue;
      }
      const file = ids.files[at.file]!;
      problems.add(
        file,
        at.line,
        'transaction_id',
        `transaction_id ${id} is repeated (first on ${placeName(ids, seen, file)})`,
        'a transaction_id used once',
        show(id),
      );
      let lines = repeats.get(file);
      if (!lines) repeats.set(file, (lines = new Set()));
      lines.add(at.line);
    }
  }
  return repeats;
}

/** Exactly which lines repeat an earlier transaction_id (for --on-invalid skip). */
export async function findRepeats(plans: readonly Plan[], csv?: CsvSettings): Promise<Map<string, Set<number>>> {
  const ids = new IdFilter();
  try {
    const exact = new Map<string, Set<number>>();
    for (const plan of plans) {
      const fileNo = ids.fileIndex(plan.file);
      await eachId(
        plan,
        (id, line) => {
          if (id === '' || !ids.add(id, fileNo, line)) return;
          let s = exact.get(plan.file);
          if (!s) exact.set(plan.file, (s = new Set()));
          s.add(line);
        },
        csv,
      );
    }
    for (const [file, lines] of await confirmRepeats(ids, plans, new RowProblems(), csv)) {
      let s = exact.get(file);
      if (!s) exact.set(file, (s = new Set()));
      for (const l of lines) s.add(l);
    }
    return exact;
  } finally {
    ids.dispose();
  }
}
