// The live JS heap at the end of a calc, after a full GC, while the run (the engine's
// accumulators and the result) is still held: what incent keeps, without V8's slack.
// Usage: node --expose-gc bench/live-heap.mjs RULES DATA_DIR [TRANSACTIONS]
import { computeRun } from '../dist/commands/inputs.js';

const [rules, data, transactions] = process.argv.slice(2);
const run = await computeRun({ rules: [rules], data, ...(transactions ? { transactions: [transactions] } : {}) }, { warn() {} });
globalThis.gc();
const { heapUsed, arrayBuffers } = process.memoryUsage();
process.stdout.write(JSON.stringify({ liveMb: (heapUsed + arrayBuffers) / 1e6, campaigns: run.result.campaigns.length }) + '\n');
