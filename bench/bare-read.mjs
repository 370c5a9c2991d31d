// csv-parse merely reading a file the way incent reads it (the floor): the same
// options, and the same RecordParser handing each record to a callback, which only counts.
import { createReadStream } from 'node:fs';
import { CSV_OPTIONS, RecordParser } from '../dist/input/csv-records.js';

const file = process.argv[2];
let rows = 0;
const parser = new RecordParser(CSV_OPTIONS, () => {
  rows++;
});
createReadStream(file, { highWaterMark: 1 << 20 }).pipe(parser);
parser.resume();
parser.on('end', () => {
  process.stdout.write(JSON.stringify({ rows, maxRssKb: process.resourceUsage().maxRSS }) + '\n');
});
