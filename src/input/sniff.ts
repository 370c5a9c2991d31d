/**
 * What a CSV file is before it is parsed: its encoding (UTF-8 with or without BOM,
 * UTF-16 LE/BE as Excel's "Unicode text" writes it) and its delimiter (a comma, or
 * the semicolon European Excel writes, or a tab). Read from the first 64 KiB.
 */
import { closeSync, openSync, readSync } from 'node:fs';

export type CsvEncoding = 'utf8' | 'utf16le' | 'utf16be';

export interface Sniffed {
  encoding: CsvEncoding;
  delimiter: ',' | ';' | '\t';
  /** The header line, decoded (without a BOM), after any preamble. */
  headerLine: string;
  /** Lines before the header that are not CSV: Windows PowerShell's `#TYPE <class>`. */
  preamble: number;
  /** Whether the start of the file holds a carriage return (CRLF or CR line ends). */
  sawCR: boolean;
}

/** Windows PowerShell's Export-Csv writes `#TYPE <class name>` before the header. */
const POWERSHELL_TYPE = /^#TYPE [^,;\t"]*$/;

export function sniffBytes(buf: Uint8Array, label?: string): Sniffed {
  let encoding: CsvEncoding = 'utf8';
  if (buf[0] === 0xff && buf[1] === 0xfe) encoding = 'utf16le';
  else if (buf[0] === 0xfe && buf[1] === 0xff) encoding = 'utf16be';
  else if (buf.length >= 4) {
    // UTF-16 without a BOM: ASCII text has a NUL in every other byte.
    let evenNul = 0;
    let oddNul = 0;
    const n = Math.min(buf.length, 4096) & ~1;
    for (let i = 0; i < n; i += 2) {
      if (buf[i] === 0) evenNul++;
      if (buf[i + 1] === 0) oddNul++;
    }
    if (oddNul > n / 4 && evenNul === 0) encoding = 'utf16le';
    else if (evenNul > n / 4 && oddNul === 0) encoding = 'utf16be';
  }
  const decoderLabel = label ?? (encoding === 'utf8' ? 'utf-8' : encoding === 'utf16le' ? 'utf-16le' : 'utf-16be');
  let text = new TextDecoder(decoderLabel).decode(buf);
  let preamble = 0;
  const first = firstLine(text);
  if (POWERSHELL_TYPE.test(first)) {
    preamble = 1;
    text = text.slice(first.length).replace(/^\r?\n|^\r/, '');
  }
  return { encoding, delimiter: headerDelimiter(text), headerLine: firstLine(text), preamble, sawCR: text.includes('\r') };
}

/** The first record's text: up to the first line end outside quotes. */
function firstLine(text: string): string {
  let inQuotes = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') inQuotes = !inQuotes;
    else if (!inQuotes && (ch === '\n' || ch === '\r')) return text.slice(0, i);
  }
  return text;
}

/** The delimiter of the header line: the most frequent of , ; and tab outside quotes. */
function headerDelimiter(text: string): Sniffed['delimiter'] {
  let inQuotes = false;
  const counts = { ',': 0, ';': 0, '\t': 0 };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '"') inQuotes = !inQuotes;
    else if (!inQuotes && (ch === '\n' || ch === '\r')) break;
    else if (!inQuotes && (ch === ',' || ch === ';' || ch === '\t')) counts[ch]++;
  }
  if (counts[';'] > counts[','] && counts[';'] >= counts['\t']) return ';';
  if (counts['\t'] > counts[','] && counts['\t'] > counts[';']) return '\t';
  return ',';
}

/** `label`: --encoding, when the user named one. */
export function sniffFile(file: string, label?: string): Sniffed {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(65536);
    const n = readSync(fd, buf, 0, buf.length, 0);
    return sniffBytes(buf.subarray(0, n), label);
  } finally {
    closeSync(fd);
  }
}
