/**
 * The one CSV adapter: streams a file through csv-parse as arrays (no object per
 * row), hands each record and its line to a callback, and keeps memory flat.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { Transform } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { Parser } from 'csv-parse';
import { sniffFile } from './sniff.js';
/** Options incent uses for every CSV: the benchmark's bare read uses the same. */
export const CSV_OPTIONS = {
    bom: true,
    relax_column_count: true,
    skip_empty_lines: true,
};
/**
 * csv-parse's stream parser, handing each record to a callback the moment it is
 * parsed, with its line (`info.lines`). Records never queue in the stream, and no
 * per-record context object is built (csv-parse's on_record builds one per record,
 * about 1.5 s per million rows). The benchmark's bare read uses this class too.
 */
export class RecordParser extends Parser {
    onRecord;
    /** No input so far held a quote or a carriage return (see RecordHandler). */
    plain = true;
    constructor(options, onRecord) {
        super(options);
        this.onRecord = onRecord;
    }
    _transform(chunk, encoding, callback) {
        if (this.plain && (typeof chunk === 'string' ? /["\r]/.test(chunk) : chunk.indexOf(34) >= 0 || chunk.indexOf(13) >= 0))
            this.plain = false;
        super._transform(chunk, encoding, callback);
    }
    push(chunk, encoding) {
        if (chunk === null)
            return super.push(null, encoding);
        this.onRecord(chunk, this.info.lines, this.plain);
        return true;
    }
}
export class CsvReadError extends Error {
    diagnostic;
    constructor(diagnostic) {
        super(`${diagnostic.file}:${diagnostic.line ?? 0}: ${diagnostic.message}`);
        this.diagnostic = diagnostic;
    }
}
/** Decodes UTF-16 (LE or BE, BOM dropped) into text for csv-parse, chunk by chunk. */
function utf16Decoder(encoding) {
    const decoder = new TextDecoder(encoding === 'utf16le' ? 'utf-16le' : 'utf-16be');
    return new Transform({
        transform(chunk, _enc, done) {
            done(null, decoder.decode(chunk, { stream: true }));
        },
        flush(done) {
            done(null, decoder.decode());
        },
    });
}
/** Files at least this large are parsed on a second thread (INCENT_READ_THREAD=0: never). */
export const THREAD_MIN_BYTES = 16 * 1024 * 1024;
const THREAD_SCRIPT = fileURLToPath(new URL('./csv-thread.js', import.meta.url));
/**
 * Reads `file`, calling `onHeader` once with the header and `onRecord` for each data
 * record with its line. The encoding (UTF-8 or UTF-16) and delimiter (, ; or tab) are
 * sniffed from the file. A large file is parsed by csv-parse on a second thread while
 * this one runs the handlers (csv-thread.ts); records and lines are the same either way.
 */
export async function readCsv(file, onHeader, onRecord, onBytes) {
    let size = 0;
    try {
        size = statSync(file).size;
    }
    catch {
        // readCsvHere reports it
    }
    const threaded = size >= THREAD_MIN_BYTES && process.env.INCENT_READ_THREAD !== '0' && existsSync(THREAD_SCRIPT);
    return threaded ? readCsvThreaded(file, onHeader, onRecord, onBytes) : readCsvHere(file, onHeader, onRecord, onBytes);
}
/** readCsv with csv-parse on a worker thread, records arriving in batches. */
function readCsvThreaded(file, onHeader, onRecord, onBytes) {
    const control = new SharedArrayBuffer(4);
    const inFlight = new Int32Array(control);
    const worker = new Worker(THREAD_SCRIPT, { workerData: { file, control } });
    return new Promise((resolve, reject) => {
        let done = false;
        const fail = (e) => {
            if (done)
                return;
            done = true;
            void worker.terminate();
            reject(e);
        };
        worker.on('message', (m) => {
            if (done)
                return;
            try {
                if (m.kind === 'batch') {
                    if (onBytes && m.bytes)
                        onBytes(m.bytes);
                    const { records, lines, plain } = m;
                    for (let i = 0; i < records.length; i++)
                        onRecord(records[i], lines[i], plain);
                    Atomics.sub(inFlight, 0, 1);
                    Atomics.notify(inFlight, 0);
                }
                else if (m.kind === 'header') {
                    onHeader({ file, names: m.names, index: new Map(m.names.map((n, i) => [n, i])), format: m.format });
                }
                else if (m.kind === 'end') {
                    done = true;
                    void worker.terminate();
                    resolve({ records: m.records });
                }
                else {
                    fail(m.diagnostic ? new CsvReadError(m.diagnostic) : new Error(m.message));
                }
            }
            catch (e) {
                fail(e);
            }
        });
        worker.on('error', fail);
        worker.on('exit', (code) => fail(new Error(`the CSV reading thread stopped (exit code ${code})`)));
    });
}
/** readCsv on this thread. */
export async function readCsvHere(file, onHeader, onRecord, onBytes) {
    let header;
    let records = 0;
    let handlerError;
    let format;
    try {
        if (!statSync(file).isFile())
            throw Object.assign(new Error('not a file'), { code: 'EISDIR' });
        format = sniffFile(file);
    }
    catch (e) {
        const code = e.code;
        throw new CsvReadError({ code: 'FILE_UNREADABLE', severity: 'error', file, message: code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'a folder, not a CSV file' : e.message });
    }
    const parser = new RecordParser({ ...CSV_OPTIONS, delimiter: format.delimiter }, (record, line, plain) => {
        if (handlerError)
            return;
        try {
            if (!header) {
                const names = record.map((h) => h.trim());
                header = { file, names, index: new Map(names.map((n, i) => [n, i])), format };
                onHeader(header);
            }
            else {
                records++;
                onRecord(record, line, plain);
            }
        }
        catch (e) {
            handlerError = e;
        }
    });
    const input = createReadStream(file, { highWaterMark: 1 << 20 });
    if (onBytes)
        input.on('data', (chunk) => onBytes(chunk.length));
    await new Promise((resolve, reject) => {
        input.on('error', (e) => reject(new CsvReadError({ code: 'FILE_UNREADABLE', severity: 'error', file, message: e.code === 'ENOENT' ? 'no such file' : e.message })));
        parser.on('error', (e) => reject(new CsvReadError({
            code: 'CSV_SYNTAX',
            severity: 'error',
            file,
            line: e.lines,
            message: `not valid CSV: ${e.message}`,
            expected: 'RFC 4180 CSV',
        })));
        parser.on('end', () => resolve());
        parser.resume();
        if (format.encoding === 'utf8')
            input.pipe(parser);
        else
            input.pipe(utf16Decoder(format.encoding)).pipe(parser);
    });
    if (handlerError)
        throw handlerError;
    if (!header) {
        throw new CsvReadError({ code: 'CSV_EMPTY', severity: 'error', file, line: 1, message: 'the file is empty: expected a header row' });
    }
    return { records };
}
/** Reads a small CSV (partners, registrations, fx...) into header + records with lines. */
export async function readSmallCsv(file) {
    let header;
    const rows = [];
    await readCsv(file, (h) => (header = h), (record, line) => rows.push({ record, line }));
    return { header: header, rows };
}
