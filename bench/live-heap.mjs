// The live JS heap after a calc, after a full GC: what incent itself keeps, without
// V8's slack. Usage: node --expose-gc bench/live-heap.mjs RULES DATA_DIR [TRANSACTIONS]
import { computeResult } from '../dist/commands/inputs.js';

const [rules, data, transactions] = process.argv.slice(2);
await computeResult({ rules: [rules], data, ...(transactions ? { transactions: [transactions] } : {}) }, { warn() {} });
globalThis.gc();
process.stdout.write(JSON.stringify({ liveMb: process.memoryUsage().heapUsed / 1e6 }) + '\n');
