/**
 * incent completion bash|zsh|fish: a completion script made from the program's own
 * command and option declarations, so it never drifts from --help.
 */
import type { CommandUnknownOpts as Command, Option } from '@commander-js/extra-typings';

export type Shell = 'bash' | 'zsh' | 'fish';

interface Spec {
  /** Words after `incent`, e.g. ['payout', 'run']. */
  path: string[];
  description: string;
  options: { flags: string[]; description: string; takesValue: boolean; choices?: readonly string[] }[];
  subcommands: string[];
}

function specs(cmd: Command, path: string[] = []): Spec[] {
  const mine: Spec = {
    path,
    description: cmd.description(),
    options: [...(cmd.options as readonly Option[]), ...(path.length ? [] : [])].map((o) => ({
      flags: [o.short, o.long].filter((f): f is string => Boolean(f)),
      description: o.description,
      takesValue: o.required || o.optional,
      choices: o.argChoices,
    })),
    subcommands: cmd.commands.map((c) => c.name()),
  };
  return [mine, ...cmd.commands.flatMap((c) => specs(c, [...path, c.name()]))];
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

function bash(all: Spec[]): string {
  const cases = all
    .filter((s) => s.path.length > 0)
    .sort((a, b) => b.path.length - a.path.length)
    .map((s) => {
      const words = [...s.subcommands, ...s.options.flatMap((o) => o.flags), '--help'].join(' ');
      const choices = s.options
        .filter((o) => o.choices)
        .map((o) => `        ${o.flags.join('|')}) COMPREPLY=( $(compgen -W ${quote(o.choices!.join(' '))} -- "$cur") ); return ;;`)
        .join('\n');
      return `    ${quote(s.path.join(' '))})\n      case "$prev" in\n${choices}${choices ? '\n' : ''}      esac\n      words=${quote(words)} ;;`;
    });
  const top = all.find((s) => s.path.length === 0)!;
  return `# incent completion for bash: source it, or put it in /etc/bash_completion.d/incent
_incent() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}" path="" words="" i
  COMPREPLY=()
  # The command path: the words before the cursor that are not options or their values.
  for ((i = 1; i < COMP_CWORD; i++)); do
    case "\${COMP_WORDS[i]}" in -*) break ;; *) path="\${path:+$path }\${COMP_WORDS[i]}" ;; esac
  done
  case "$path" in
${cases.join('\n')}
    *) words=${quote([...top.subcommands, ...top.options.flatMap((o) => o.flags), '--help'].join(' '))} ;;
  esac
  # An option's value is a file (choices were offered above); otherwise commands and options.
  if [[ "$cur" != -* && "$prev" == -* && "$prev" != "--help" ]]; then
    COMPREPLY=( $(compgen -f -- "$cur") )
  else
    COMPREPLY=( $(compgen -W "$words" -- "$cur") )
    [[ \${#COMPREPLY[@]} -eq 0 && "$cur" != -* ]] && COMPREPLY=( $(compgen -f -- "$cur") )
  fi
  return 0
}
complete -o filenames -F _incent incent
`;
}

function fish(all: Spec[]): string {
  const lines = ['# incent completion for fish: put it in ~/.config/fish/completions/incent.fish', 'complete -c incent -f'];
  for (const s of all) {
    const cond =
      s.path.length === 0
        ? '__fish_use_subcommand'
        : s.path.length === 1
          ? `__fish_seen_subcommand_from ${s.path[0]}`
          : `__fish_seen_subcommand_from ${s.path[s.path.length - 1]}`;
    if (s.path.length === 0) {
      for (const sub of all.filter((x) => x.path.length === 1))
        lines.push(`complete -c incent -n '__fish_use_subcommand' -a ${quote(sub.path[0]!)} -d ${quote(sub.description)}`);
    } else {
      for (const sub of all.filter((x) => x.path.length === s.path.length + 1 && x.path.slice(0, -1).join(' ') === s.path.join(' '))) {
        lines.push(
          `complete -c incent -n ${quote(`__fish_seen_subcommand_from ${s.path.join(' ')}`)} -a ${quote(sub.path.at(-1)!)} -d ${quote(sub.description)}`,
        );
      }
    }
    for (const o of s.options) {
      const long = o.flags.find((f) => f.startsWith('--'))?.slice(2);
      const short = o.flags.find((f) => /^-[^-]/.test(f))?.slice(1);
      const parts = [`complete -c incent -n ${quote(cond)}`];
      if (long) parts.push(`-l ${long}`);
      if (short) parts.push(`-s ${short}`);
      if (o.takesValue) parts.push(o.choices ? `-x -a ${quote(o.choices.join(' '))}` : '-r -F');
      parts.push(`-d ${quote(o.description.split('\n')[0]!)}`);
      lines.push(parts.join(' '));
    }
  }
  return lines.join('\n') + '\n';
}

export function completionScript(program: Command, shell: Shell): string {
  const all = specs(program);
  if (shell === 'fish') return fish(all);
  if (shell === 'zsh') return `# incent completion for zsh: source it from ~/.zshrc\nautoload -U +X bashcompinit && bashcompinit\n${bash(all)}`;
  return bash(all);
}
