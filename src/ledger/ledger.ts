/**
 * The payout ledger: a SQLite file (better-sqlite3) recording each monthly run, what it
 * paid each (campaign, partner), and the inputs it was computed from. Money is stored
 * as exact decimal text. This module alone holds SQL.
 *
 * Lifecycle: `payout init` creates the file (marked with PRAGMA application_id);
 * every other command opens an existing incent ledger and refuses anything else
 * without writing to it. Read-only commands open it read-only. A run is recorded in
 * one IMMEDIATE transaction: a second writer waits (busy timeout) or fails; a process
 * killed mid-run leaves the file as it was. The schema is versioned with PRAGMA
 * user_version and migrated when a writer opens an older file.
 */
import { existsSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { LedgerError, ledgerFailure } from './errors.js';

export { LedgerError, ledgerFailure };

export type Db = Database.Database;

/** "INCT": marks a SQLite file as an incent ledger (PRAGMA application_id). */
export const APPLICATION_ID = 0x494e4354;

const MIGRATIONS: string[] = [
  // 1: runs, their inputs and their lines
  `CREATE TABLE runs (
     id INTEGER PRIMARY KEY,
     period TEXT NOT NULL,
     as_of TEXT NOT NULL,
     created_at TEXT NOT NULL,
     incent_version TEXT NOT NULL,
     inputs_sha256 TEXT NOT NULL,
     status TEXT NOT NULL DEFAULT 'recorded' CHECK (status IN ('recorded', 'superseded')),
     supersedes INTEGER REFERENCES runs(id),
     reason TEXT
   );
   CREATE UNIQUE INDEX runs_one_recorded_per_period ON runs(period) WHERE status = 'recorded';
   CREATE TABLE run_inputs (
     run_id INTEGER NOT NULL REFERENCES runs(id),
     role TEXT NOT NULL,
     path TEXT NOT NULL,
     sha256 TEXT NOT NULL,
     PRIMARY KEY (run_id, role, path)
   );
   CREATE TABLE run_lines (
     run_id INTEGER NOT NULL REFERENCES runs(id),
     campaign_id TEXT NOT NULL,
     partner_id TEXT NOT NULL,
     currency TEXT NOT NULL,
     status TEXT NOT NULL,
     earned_to_date TEXT NOT NULL,
     paid_before TEXT NOT NULL,
     amount TEXT NOT NULL,
     carried_forward TEXT NOT NULL,
     payout_currency TEXT NOT NULL,
     payout_amount TEXT NOT NULL,
     delta TEXT,
     services TEXT NOT NULL,
     PRIMARY KEY (run_id, campaign_id, partner_id)
   );`,
  // 2: a line's calc status and its action in separate columns, and the reason code
  `ALTER TABLE run_lines ADD COLUMN action TEXT NOT NULL DEFAULT 'nothing';
   ALTER TABLE run_lines ADD COLUMN reason TEXT;
   UPDATE run_lines SET action = substr(status, instr(status, ':') + 1), status = substr(status, 1, instr(status, ':') - 1) WHERE instr(status, ':') > 0;`,
  // 3: the exact rate a payout in another currency was converted at (null when the currencies are the same)
  `ALTER TABLE run_lines ADD COLUMN payout_fx_rate TEXT;`,
  // 4: per qualified service, what it earned before its cap, the cap and the earning method's arithmetic (JSON), for statements
  `ALTER TABLE run_lines ADD COLUMN service_detail TEXT;`,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

function guard<T>(path: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw ledgerFailure(e, path) ?? e;
  }
}

/**
 * Creates a new ledger at `path`. An existing incent ledger is left as it is
 * (`created: false`); any other existing file is refused untouched.
 */
export function initLedger(path: string): { created: boolean; version: number } {
  if (existsSync(path)) {
    const db = openLedger(path, { readonly: true });
    try {
      return { created: false, version: db.pragma('user_version', { simple: true }) as number };
    } finally {
      db.close();
    }
  }
  return guard(path, () => {
    const db = new Database(path);
    try {
      db.pragma('journal_mode = DELETE');
      db.transaction(() => {
        for (const m of MIGRATIONS) db.exec(m);
        db.pragma(`application_id = ${APPLICATION_ID}`);
        db.pragma(`user_version = ${SCHEMA_VERSION}`);
      }).immediate();
      return { created: true, version: SCHEMA_VERSION };
    } finally {
      db.close();
    }
  });
}

/**
 * Opens an existing incent ledger. `readonly`: for list, show, export, verify,
 * statement and dry runs (works on a read-only file or folder; nothing is written,
 * not even the journal mode). A writer migrates an older schema in one transaction.
 */
export function openLedger(path: string, opts: { readonly?: boolean; busyTimeoutMs?: number } = {}): Db {
  let st;
  try {
    st = statSync(path);
  } catch {
    throw new LedgerError(
      `no ledger at ${path}: create one with \`incent payout init --ledger ${path}\` (a mistyped path would otherwise start an empty ledger and pay everyone again)`,
    );
  }
  if (!st.isFile()) throw new LedgerError(`${path} is not a file`);
  if (st.size === 0) throw new LedgerError(`${path} is empty, not an incent ledger: \`incent payout init\` creates one at a new path`);
  return guard(path, () => {
    const db = new Database(path, { readonly: Boolean(opts.readonly), fileMustExist: true, timeout: opts.busyTimeoutMs ?? 5000 });
    try {
      const app = db.pragma('application_id', { simple: true }) as number;
      const version = db.pragma('user_version', { simple: true }) as number;
      // Files of incent before application_id: schema 1 with incent's tables.
      const older = app === 0 && version >= 1 && hasTables(db, ['runs', 'run_inputs', 'run_lines']);
      if (app !== APPLICATION_ID && !older) {
        throw new LedgerError(`${path} is not an incent ledger (a SQLite file of another application, application_id ${app}); it was not changed`);
      }
      if (version > SCHEMA_VERSION) {
        throw new LedgerError(
          `${path} has ledger schema ${version}, from a newer incent; this incent knows up to ${SCHEMA_VERSION}: upgrade incent (the file was not changed)`,
        );
      }
      if (!opts.readonly && (version < SCHEMA_VERSION || app !== APPLICATION_ID)) {
        db.transaction(() => {
          for (let v = version; v < SCHEMA_VERSION; v++) db.exec(MIGRATIONS[v]!);
          db.pragma(`user_version = ${SCHEMA_VERSION}`);
          db.pragma(`application_id = ${APPLICATION_ID}`);
        }).immediate();
      }
      if (!opts.readonly) {
        db.pragma('foreign_keys = ON');
        // Rollback journal, so read-only commands work in a read-only folder (WAL would need its -shm file).
        db.pragma('journal_mode = DELETE');
      }
      return db;
    } catch (e) {
      db.close();
      throw e;
    }
  });
}

function hasTables(db: Db, names: string[]): boolean {
  const have = new Set((db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name));
  return names.every((n) => have.has(n));
}

/** Whether the file's lines have separate status and action columns (schema 2+). */
function hasActions(db: Db): boolean {
  return (db.pragma('user_version', { simple: true }) as number) >= 2;
}

export interface RunRow {
  id: number;
  period: string;
  as_of: string;
  created_at: string;
  incent_version: string;
  inputs_sha256: string;
  status: 'recorded' | 'superseded';
  supersedes: number | null;
  reason: string | null;
}

export type LineAction = 'pay' | 'claw_back' | 'carried_forward' | 'nothing';

export interface LineRow {
  run_id: number;
  campaign_id: string;
  partner_id: string;
  currency: string;
  /** calc's status of the partner: payable, below_minimum, not_qualified, ineligible, or absent (no rows now). */
  status: string;
  /** What this run does: pay, claw_back, carried_forward, nothing. */
  action: LineAction;
  /** Why, as a reason code (e.g. PARTNER_INELIGIBLE for a claw back); null for an ordinary payment. */
  reason: string | null;
  earned_to_date: string;
  paid_before: string;
  amount: string;
  carried_forward: string;
  payout_currency: string;
  payout_amount: string;
  delta: string | null;
  /** JSON: service -> amount after its cap, in the campaign currency. */
  services: string;
  /** The exact campaign -> payout currency rate the payout was converted at; null when no conversion (or recorded before schema 3). */
  payout_fx_rate: string | null;
  /** JSON: service -> { earned (before its cap), cap, arithmetic } for the qualified services; null before schema 4. */
  service_detail: string | null;
}

export interface InputRow {
  role: string;
  path: string;
  sha256: string;
}

export function listRuns(db: Db, path: string): RunRow[] {
  return guard(path, () => db.prepare('SELECT * FROM runs ORDER BY id').all() as RunRow[]);
}

export function getRun(db: Db, id: number, path = ''): { run: RunRow; lines: LineRow[]; inputs: InputRow[] } | undefined {
  return guard(path, () => {
    const run = db.prepare('SELECT * FROM runs WHERE id = ?').get(id) as RunRow | undefined;
    if (!run) return undefined;
    let lines = db.prepare('SELECT * FROM run_lines WHERE run_id = ? ORDER BY campaign_id, partner_id').all(id) as LineRow[];
    if (!hasActions(db)) lines = lines.map(splitOldStatus);
    lines = lines.map((l) => ({ ...l, payout_fx_rate: l.payout_fx_rate ?? null, service_detail: l.service_detail ?? null }));
    const inputs = db.prepare('SELECT role, path, sha256 FROM run_inputs WHERE run_id = ? ORDER BY role, sha256, path').all(id) as InputRow[];
    return { run, lines, inputs };
  });
}

/** A schema-1 line read without migrating (read-only): `payable:pay` split in two. */
function splitOldStatus(l: LineRow): LineRow {
  const [status, action] = l.status.split(':');
  return { ...l, status: status ?? l.status, action: (action ?? 'nothing') as LineAction, reason: null };
}

/** What the ledger holds that a new run of `period` depends on. */
export interface LedgerState {
  /** The recorded run of this period, if any, with its inputs and lines. */
  existing?: { run: RunRow; inputs: InputRow[]; lines: LineRow[] };
  /** Recorded periods later than this one (a run for it would pay twice what they paid). */
  later: string[];
  /** What recorded runs of earlier periods paid each (campaign, partner), exact decimal text. */
  paid: PaidSoFar[];
}

export interface PaidSoFar {
  campaign_id: string;
  partner_id: string;
  currency: string;
  payout_currency: string;
  amounts: string[];
}

/** Reads the state a run of `period` is planned against (call inside the write transaction). */
export function readState(db: Db, period: string, path = ''): LedgerState {
  return guard(path, () => {
    const run = db.prepare("SELECT * FROM runs WHERE period = ? AND status = 'recorded'").get(period) as RunRow | undefined;
    const existing = run ? getRun(db, run.id, path) : undefined;
    const later = (db.prepare("SELECT period FROM runs WHERE status = 'recorded' AND period > ? ORDER BY period").all(period) as { period: string }[]).map(
      (r) => r.period,
    );
    const rows = db
      .prepare(
        `SELECT l.campaign_id, l.partner_id, l.currency, l.payout_currency, l.amount FROM run_lines l JOIN runs r ON r.id = l.run_id
         WHERE r.status = 'recorded' AND r.period < ? ORDER BY r.id`,
      )
      .all(period) as { campaign_id: string; partner_id: string; currency: string; payout_currency: string; amount: string }[];
    const by = new Map<string, PaidSoFar>();
    for (const r of rows) {
      const k = `${r.campaign_id}\u0000${r.partner_id}`;
      const e = by.get(k) ?? { campaign_id: r.campaign_id, partner_id: r.partner_id, currency: r.currency, payout_currency: r.payout_currency, amounts: [] };
      e.amounts.push(r.amount);
      by.set(k, e);
    }
    return { existing: existing && { run: existing.run, inputs: existing.inputs, lines: existing.lines }, later, paid: [...by.values()] };
  });
}

export type NewLine = Omit<LineRow, 'run_id'>;

export interface RunRecord {
  period: string;
  asOf: string;
  version: string;
  inputsDigest: string;
  inputs: readonly InputRow[];
  lines: readonly NewLine[];
  supersedes?: number;
  reason?: string;
}

/** Writes a planned run (inside the caller's transaction): the run, its inputs and its lines. */
export function writeRun(db: Db, rec: RunRecord): RunRow {
  if (rec.supersedes !== undefined) db.prepare("UPDATE runs SET status = 'superseded' WHERE id = ?").run(rec.supersedes);
  const info = db
    .prepare('INSERT INTO runs (period, as_of, created_at, incent_version, inputs_sha256, supersedes, reason) VALUES (?, ?, ?, ?, ?, ?, ?)')
    .run(rec.period, rec.asOf, new Date().toISOString(), rec.version, rec.inputsDigest, rec.supersedes ?? null, rec.reason ?? null);
  const id = Number(info.lastInsertRowid);
  const addInput = db.prepare('INSERT OR IGNORE INTO run_inputs (run_id, role, path, sha256) VALUES (?, ?, ?, ?)');
  for (const i of rec.inputs) addInput.run(id, i.role, i.path, i.sha256);
  const addLine = db.prepare(
    `INSERT INTO run_lines (run_id, campaign_id, partner_id, currency, status, action, reason, earned_to_date, paid_before, amount, carried_forward, payout_currency, payout_amount, delta, services, payout_fx_rate, service_detail)
     VALUES (@run_id, @campaign_id, @partner_id, @currency, @status, @action, @reason, @earned_to_date, @paid_before, @amount, @carried_forward, @payout_currency, @payout_amount, @delta, @services, @payout_fx_rate, @service_detail)`,
  );
  for (const l of rec.lines) addLine.run({ ...l, run_id: id });
  return db.prepare('SELECT * FROM runs WHERE id = ?').get(id) as RunRow;
}

/** Runs `f` in one IMMEDIATE transaction, with SQLite's failures as LedgerErrors. */
export function inWriteTransaction<T>(db: Db, path: string, f: () => T): T {
  return guard(path, () => db.transaction(f).immediate());
}

export { guard as withLedgerErrors };
