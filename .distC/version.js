/** incent's version, from package.json (dist/version.js -> ../package.json). */
import { readFileSync } from 'node:fs';
export const VERSION = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;
