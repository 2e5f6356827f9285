/**
 * `sr completion bash|zsh`: a completion script generated from the command tree itself, so it
 * always knows every command, flag and flag choice (zsh runs the bash one through bashcompinit).
 */
import type { Command } from 'commander';

const quote = (text: string): string => `'${text.replace(/'/g, `'\\''`)}'`;

/** Every command path (starting with the root's name: bash keys cannot be empty) with the words that may follow it. */
function completions(root: Command): { words: Map<string, string[]>; choices: Map<string, string[]> } {
  const words = new Map<string, string[]>();
  const choices = new Map<string, string[]>();
  const walk = (command: Command, path: string): void => {
    const options = command.options.flatMap((option) => [option.long, option.short].filter((flag): flag is string => Boolean(flag)));
    const subcommands = command.commands.flatMap((sub) => [sub.name(), ...sub.aliases()]);
    words.set(path, [...subcommands, ...options, '--help']);
    for (const option of command.options) if (option.argChoices && option.long) choices.set(`${path} ${option.long}`, option.argChoices);
    for (const sub of command.commands) for (const name of [sub.name(), ...sub.aliases()]) walk(sub, `${path} ${name}`);
  };
  walk(root, root.name());
  const globals = root.options.flatMap((option) => [option.long, option.short].filter((flag): flag is string => Boolean(flag)));
  for (const [path, list] of words) if (path !== root.name()) words.set(path, [...list, ...globals]);
  for (const option of root.options) if (option.argChoices && option.long) for (const path of words.keys()) choices.set(`${path} ${option.long}`, option.argChoices);
  return { words, choices };
}

/** The bash completion script of `root` (its name is the command it completes). */
export function bashCompletion(root: Command): string {
  const name = root.name();
  const fn = `_${name.replace(/\W/g, '_')}_complete`;
  const { words, choices } = completions(root);
  const entries = (map: Map<string, string[]>): string => [...map].map(([key, list]) => `  [${quote(key)}]=${quote(list.join(' '))}`).join('\n');
  return `# ${name} completion for bash: eval "$(${name} completion bash)"
declare -gA ${fn}_words=(
${entries(words)}
)
declare -gA ${fn}_choices=(
${entries(choices)}
)
${fn}() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}" path=${quote(name)} i word next
  for ((i = 1; i < COMP_CWORD; i++)); do
    word="\${COMP_WORDS[i]}"
    [[ "$word" == -* ]] && continue
    next="$path $word"
    [[ -n "\${${fn}_words[$next]+set}" ]] && path="$next"
  done
  local key="$path $prev"
  if [[ -n "\${${fn}_choices[$key]+set}" ]]; then
    COMPREPLY=($(compgen -W "\${${fn}_choices[$key]}" -- "$cur"))
  else
    COMPREPLY=($(compgen -W "\${${fn}_words[$path]}" -- "$cur"))
  fi
}
complete -F ${fn} ${name}
`;
}

/** The zsh completion script: the bash one through bashcompinit. */
export function zshCompletion(root: Command): string {
  return `# ${root.name()} completion for zsh: eval "$(${root.name()} completion zsh)"
autoload -U +X compinit && compinit
autoload -U +X bashcompinit && bashcompinit
${bashCompletion(root)}`;
}
