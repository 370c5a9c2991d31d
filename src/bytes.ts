/**
 * Text and bytes into a buffer, for the writers that build lines and records byte by
 * byte (calc --explain's trace and spool, net-new evidence): each returns where it ends.
 */
/** Text as UTF-8 bytes (the parts of a line a writer encodes once and copies). */
export const bytesOf = (s: string): Buffer => Buffer.from(s, 'utf8');

/** Copies `src[start, end)` into `b` at `p` (room made already); returns where it ends. */
export function copyInto(b: Uint8Array, p: number, src: Uint8Array, start: number, end: number): number {
  // A loop beats a native call for the short cells a trace line is made of.
  if (end - start > 256) {
    b.set(src.subarray(start, end), p);
    return p + end - start;
  }
  for (let i = start; i < end; i++) b[p++] = src[i]!;
  return p;
}

/** Copies the whole of `cell` into `b` at `p` (room made already): a native copy once it is long enough to pay for the call. */
export function putCell(b: Uint8Array, p: number, cell: Uint8Array): number {
  if (cell.length > 16) {
    b.set(cell, p);
    return p + cell.length;
  }
  for (let i = 0; i < cell.length; i++) b[p++] = cell[i]!;
  return p;
}

/**
 * Writes `s` as UTF-8 into `b` at `p` (room for 3 bytes a character made already); returns
 * where it ends. ASCII, the usual case, is copied a character at a time (a native write
 * costs more than that for the short cells a row has); other text goes through the encoder.
 */
export function putText(b: Buffer, p: number, s: string): number {
  const start = p;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 127) return start + b.write(s, start, 'utf8');
    b[p++] = c;
  }
  return p;
}

/** Writes the decimal digits of `n` (a non-negative integer) at `p`. */
export function putDigits(b: Uint8Array, p: number, n: number): number {
  let end = p + 1;
  for (let m = n; m >= 10; m = Math.floor(m / 10)) end++;
  let m = n;
  for (let i = end - 1; i >= p; i--) {
    b[i] = 48 + (m % 10);
    m = Math.floor(m / 10);
  }
  return end;
}

/**
 * Writes `s` as a JSON string, quotes included, exactly as JSON.stringify does: printable
 * ASCII other than a quote or a backslash a character at a time; any other text (escapes,
 * non-ASCII) through JSON.stringify itself. Room for 6 bytes a character, and 2, made already.
 */
export function putJsonString(b: Buffer, p: number, s: string): number {
  const start = p;
  b[p++] = 34;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 32 || c > 126 || c === 34 || c === 92) return start + b.write(JSON.stringify(s), start, 'utf8');
    b[p++] = c;
  }
  b[p++] = 34;
  return p;
}
