// csv-parse merely reading a file with the options incent itself uses (the floor).
import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import { CSV_OPTIONS } from '../dist/input/csv.js';

const file = process.argv[2];
let rows = 0;
const parser = parse({
  ...CSV_OPTIONS,
  on_record: () => {
    rows++;
    return null;
  },
});
createReadStream(file, { highWaterMark: 1 << 20 }).pipe(parser);
parser.resume();
parser.on('end', () => {
  process.stdout.write(JSON.stringify({ rows, maxRssKb: process.resourceUsage().maxRSS }) + '\n');
});
