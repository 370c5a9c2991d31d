/**
 * The payout ledger: a SQLite file (better-sqlite3) recording each monthly run, what it
 * paid each (campaign, partner), and the inputs it was computed from. Money is stored
 * as exact decimal text. A run is recorded in one IMMEDIATE transaction: a second writer
 * waits (busy timeout) or fails; a process killed mid-run leaves the file as it was.
 * The schema is versioned with PRAGMA user_version and migrated on open.
 */
import Database from 'better-sqlite3';
const MIGRATIONS = [
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
];
export const SCHEMA_VERSION = MIGRATIONS.length;
export function openLedger(path, busyTimeoutMs = 5000) {
    const db = new Database(path, { timeout: busyTimeoutMs });
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    const version = db.pragma('user_version', { simple: true });
    if (version > SCHEMA_VERSION) {
        db.close();
        throw new Error(`${path} has ledger schema ${version}; this incent knows up to ${SCHEMA_VERSION}: upgrade incent`);
    }
    if (version < SCHEMA_VERSION) {
        db.transaction(() => {
            for (let v = version; v < SCHEMA_VERSION; v++)
                db.exec(MIGRATIONS[v]);
            db.pragma(`user_version = ${SCHEMA_VERSION}`);
        }).immediate();
    }
    return db;
}
export function listRuns(db) {
    return db.prepare('SELECT * FROM runs ORDER BY id').all();
}
export function getRun(db, id) {
    const run = db.prepare('SELECT * FROM runs WHERE id = ?').get(id);
    if (!run)
        return undefined;
    const lines = db.prepare('SELECT * FROM run_lines WHERE run_id = ? ORDER BY campaign_id, partner_id').all(id);
    const inputs = db.prepare('SELECT role, path, sha256 FROM run_inputs WHERE run_id = ? ORDER BY role, path').all(id);
    return { run, lines, inputs };
}
export function recordedRun(db, period) {
    return db.prepare("SELECT * FROM runs WHERE period = ? AND status = 'recorded'").get(period);
}
/** What recorded runs of earlier periods than `period` paid each (campaign, partner): exact decimal text. */
export function paidSoFar(db, exceptPeriod) {
    const rows = db
        .prepare(`SELECT l.campaign_id, l.partner_id, l.currency, l.payout_currency, l.amount FROM run_lines l JOIN runs r ON r.id = l.run_id
       WHERE r.status = 'recorded' AND r.period < ? ORDER BY r.id`)
        .all(exceptPeriod);
    const by = new Map();
    for (const r of rows) {
        const k = `${r.campaign_id}\u0000${r.partner_id}`;
        const e = by.get(k) ?? { campaign_id: r.campaign_id, partner_id: r.partner_id, currency: r.currency, payout_currency: r.payout_currency, amounts: [] };
        e.amounts.push(r.amount);
        by.set(k, e);
    }
    return [...by.values()];
}
