/** Output files are written whole or not at all: a temporary file, then a rename. */
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
export function writeAtomic(file, content) {
    const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
    try {
        writeFileSync(tmp, content);
        renameSync(tmp, file);
    }
    catch (e) {
        rmSync(tmp, { force: true });
        throw e;
    }
}
