/**
 * The byte checks of the CSV reader: a UTF-8 sequence cut by a read chunk's end is
 * checked with the next chunk (no false error), a file that ends inside one is refused,
 * and CR-only (classic Mac) line ends are rows too.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCsvHere } from '../src/input/csv.js';
import { tempDir } from './helpers.js';

async function read(file: string): Promise<{ records: string[][]; lines: number[] }> {
  const records: string[][] = [];
  const lines: number[] = [];
  await readCsvHere(
    file,
    () => undefined,
    (r, line) => {
      records.push([...r]);
      lines.push(line);
    },
  );
  return { records, lines };
}

describe('reading bytes exactly', () => {
  it('a multi-byte character across the 1 MiB chunk boundary is read, not refused', async () => {
    const file = join(tempDir(), 'big.csv');
    const header = 'id,name\n';
    // place "é" (2 bytes: C3 A9) so that its first byte is the last byte of the first 1 MiB chunk
    const filler = 'x'.repeat((1 << 20) - header.length - 'r1,'.length - 1);
    writeFileSync(file, `${header}r1,${filler}é\nr2,ü€😀\n`);
    const { records, lines } = await read(file);
    expect(records).toHaveLength(2);
    expect(records[0]![1]!.endsWith('é')).toBe(true);
    expect(records[1]).toEqual(['r2', 'ü€😀']);
    expect(lines).toEqual([2, 3]);
  });

  it('a file that ends inside a UTF-8 sequence is refused at the sequence', async () => {
    const file = join(tempDir(), 'cut.csv');
    writeFileSync(file, Buffer.concat([Buffer.from('id,name\nr1,ab'), Buffer.from([0xe2, 0x82])]));
    await expect(read(file)).rejects.toMatchObject({ diagnostic: { code: 'CSV_ENCODING', line: 2, field: 'name' } });
  });

  it('CR-only line ends (classic Mac) are rows with their lines', async () => {
    const file = join(tempDir(), 'mac.csv');
    writeFileSync(file, 'id,name\rr1,a\rr2,b\r');
    const { records, lines } = await read(file);
    expect(records).toEqual([
      ['r1', 'a'],
      ['r2', 'b'],
    ]);
    expect(lines).toEqual([2, 3]);
  });

  it('a quoted line break stays in its field in a file that mixes line ends', async () => {
    const file = join(tempDir(), 'quoted.csv');
    writeFileSync(file, 'id,note\nr1,"two\r\nlines"\r\nr2,x\rr3,y\n');
    const { records, lines } = await read(file);
    expect(records).toEqual([
      ['r1', 'two\r\nlines'],
      ['r2', 'x'],
      ['r3', 'y'],
    ]);
    expect(lines).toEqual([3, 4, 5]);
  });

  it('a quoted CRLF in a CRLF file counts as one line break (csv-parse alone counts two)', async () => {
    const file = join(tempDir(), 'crlf.csv');
    writeFileSync(file, 'id,note\r\nr1,"two\r\nlines"\r\nr2,x\r\n');
    // header line 1; r1 spans lines 2-3 and is named by its last line; r2 is line 4
    expect((await read(file)).lines).toEqual([3, 4]);
  });
});
