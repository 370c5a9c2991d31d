/** The ledger's failures as one-line messages (no SQLite import: the CLI loads this for any command). */

/** A ledger that cannot be used as asked: the CLI prints the message and exits 1. */
export class LedgerError extends Error {}

/** SQLite's own failures (busy, damaged, disk full, read-only) as one-line messages. */
export function ledgerFailure(e: unknown, path: string): LedgerError | undefined {
  const code = (e as { code?: unknown }).code;
  if (typeof code !== 'string' || !code.startsWith('SQLITE_')) return undefined;
  if (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_'))
    return new LedgerError(`the ledger ${path} is busy: another payout run holds it; try again (or raise --busy-timeout)`);
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT'))
    return new LedgerError(`${path} is damaged or not a SQLite database (${code}); it was not changed`);
  if (code === 'SQLITE_FULL') return new LedgerError(`the disk holding ${path} is full (${code}); nothing was recorded`);
  if (code.startsWith('SQLITE_READONLY')) return new LedgerError(`${path} cannot be written (${code}): check the file's and its folder's permissions`);
  if (code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_IOERR')) return new LedgerError(`${path} cannot be opened or read (${code})`);
  return new LedgerError(`${path}: ${(e as Error).message} (${code})`);
}
