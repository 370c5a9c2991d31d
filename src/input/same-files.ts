/**
 * The same export given twice: one file named twice (`--transactions a.csv` and a glob
 * that matches it too, or one path written two ways), or two copies of one download
 * (`invoice.csv` and `invoice (1).csv`). A Partner Center export names its rows by file
 * and line, so nothing else would notice, and every row would be paid twice. Files are
 * told apart by their real path, then by size, and only files of equal size are read
 * (SHA-256) to compare their content.
 */
import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync, realpathSync, statSync } from 'node:fs';
import type { Diagnostic } from '../diagnostics.js';

function contentHash(file: string): string {
  const h = createHash('sha256');
  const buf = Buffer.alloc(1 << 20);
  const fd = openSync(file, 'r');
  try {
    for (let n = readSync(fd, buf); n > 0; n = readSync(fd, buf)) h.update(buf.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  return h.digest('hex');
}

/** A diagnostic for each file of `files` that is one named before it, or has the same bytes as one (files that cannot be read are left to their reader). */
export function repeatedFiles(files: readonly string[], flag: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const byPath = new Map<string, string>();
  const bySize = new Map<number, string[]>();
  for (const file of files) {
    let real: string;
    let size: number;
    try {
      real = realpathSync(file);
      const s = statSync(real);
      if (!s.isFile() || s.size === 0) continue;
      size = s.size;
    } catch {
      continue;
    }
    const first = byPath.get(real);
    if (first !== undefined) {
      out.push({
        code: 'INPUT_REPEATED',
        severity: 'error',
        file,
        message: `${flag} names this file twice (${first === file ? 'twice as written' : `also as ${first}`}): its rows would be counted twice`,
        expected: 'each file once',
        found: `${file} again`,
      });
      continue;
    }
    byPath.set(real, file);
    bySize.set(size, [...(bySize.get(size) ?? []), file]);
  }
  for (const same of bySize.values()) {
    if (same.length < 2) continue;
    const byHash = new Map<string, string>();
    for (const file of same) {
      const h = contentHash(file);
      const first = byHash.get(h);
      if (first === undefined) byHash.set(h, file);
      else
        out.push({
          code: 'INPUT_REPEATED',
          severity: 'error',
          file,
          message: `has the same content as ${first}: the same export given twice would count its rows twice`,
          expected: 'each export once',
          found: `the bytes of ${first}`,
        });
    }
  }
  return out;
}
