/** incent completion: scripts made from the program's own declarations, tried in a real bash. */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildProgram } from '../src/cli/program.js';
import { completionScript } from '../src/commands/completion.js';
import { tempDir } from './helpers.js';

/** What bash completes for the words typed (the last is the word under the cursor). */
function complete(script: string, words: string[]): string[] {
  const file = join(tempDir(), 'incent.bash');
  writeFileSync(file, script);
  const line = words.map((w) => `'${w}'`).join(' ');
  const out = execFileSync('bash', ['-c', `source ${file}; COMP_WORDS=(${line}); COMP_CWORD=${words.length - 1}; _incent; printf '%s\\n' "\${COMPREPLY[@]}"`], {
    encoding: 'utf8',
  });
  return out.split('\n').filter(Boolean);
}

describe('incent completion', () => {
  const bash = completionScript(buildProgram(), 'bash');

  it('bash: commands, subcommands, options and an option’s choices', () => {
    expect(complete(bash, ['incent', 're'])).toEqual(['reconcile']);
    expect(complete(bash, ['incent', 'payout', 'st'])).toEqual(['statement']);
    expect(complete(bash, ['incent', 'reconcile', '--ea'])).toEqual(['--earnings']);
    expect(complete(bash, ['incent', 'calc', '--format', ''])).toEqual(['table', 'json', 'csv', 'csv-long', 'html']);
  });

  it('every command and option the program declares is in each script', () => {
    const fish = completionScript(buildProgram(), 'fish');
    const zsh = completionScript(buildProgram(), 'zsh');
    for (const word of ['calc', 'explain', 'progress', 'reconcile', 'compare', 'payout', 'validate', 'schema', 'test', 'completion']) {
      expect(bash).toContain(word);
      expect(fish).toContain(`-a '${word}'`);
    }
    expect(fish).toContain('-l earnings');
    expect(fish).toContain("-l format -s f -x -a 'table json csv csv-long html'");
    expect(zsh).toContain('bashcompinit');
  });
});
