/**
 * The reading thread of a large CSV (see readCsv): csv-parse runs here, records go
 * to the main thread in batches, and at most MAX_IN_FLIGHT batches wait there, so
 * memory stays flat however fast this side reads.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { CsvReadError, readCsvHere, type CsvSettings } from './csv.js';

const BATCH = 2048;
const MAX_IN_FLIGHT = 4;

const { file, control, settings } = workerData as { file: string; control: SharedArrayBuffer; settings: CsvSettings };
const inFlight = new Int32Array(control);
const port = parentPort!;
let records: string[][] = [];
let lines: number[] = [];
/** Plain only goes from true to false, so a batch is plain when its last record is. */
let plain = true;
let bytes = 0;

function flush(): void {
  if (records.length === 0 && bytes === 0) return;
  Atomics.add(inFlight, 0, 1);
  port.postMessage({ kind: 'batch', records, lines, plain, bytes });
  records = [];
  lines = [];
  bytes = 0;
  // Wait (blocking this thread only) while the main thread is behind.
  for (let n = Atomics.load(inFlight, 0); n >= MAX_IN_FLIGHT; n = Atomics.load(inFlight, 0)) Atomics.wait(inFlight, 0, n, 1000);
}

readCsvHere(
  file,
  (h) => port.postMessage({ kind: 'header', names: h.names, format: h.format }),
  (record, line, isPlain) => {
    records.push(record);
    lines.push(line);
    plain = isPlain;
    if (records.length === BATCH) flush();
  },
  (n) => {
    bytes += n;
  },
  settings,
).then(
  (stats) => {
    flush();
    port.postMessage({ kind: 'end', stats });
  },
  (e: unknown) => {
    flush();
    port.postMessage(
      e instanceof CsvReadError ? { kind: 'error', diagnostics: e.diagnostics } : { kind: 'error', message: e instanceof Error ? e.message : String(e) },
    );
  },
);
