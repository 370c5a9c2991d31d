#!/usr/bin/env node
/** The binary: signals, then one run of the command line (src/cli/main.ts) and its exit code. */
import { removeAllTemps } from './temp-files.js';
import { runMain } from './cli/main.js';

/** Ctrl-C or a kill: remove every temporary file the run made, then exit 130 / 143. */
for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const) {
  process.on(signal, () => {
    removeAllTemps();
    process.exit(code);
  });
}

void runMain(process.argv).then((code) => {
  process.exitCode = code;
});
