import type { CommandCompletion } from '../completion-spec.js';

/** The shells `dockerutils completion` writes scripts for. */
export const completionShells = ['bash', 'zsh', 'fish'] as const;
/** One of them. */
export type CompletionShell = (typeof completionShells)[number];

// The scripts hold each command's flags and arguments as data, and call `dockerutils completion
// --list KIND` only for the names that change (images, containers, docks): they stay small, and Tab
// on a flag costs no process.

/** The completion script for a shell: every bin, the `dockerutils` umbrella and its sub-commands. */
export function completionScript(
  shell: CompletionShell,
  completions: readonly CommandCompletion[],
  bins: readonly string[],
): string {
  for (const completion of completions) {
    const words = [
      completion.path,
      ...completion.flags,
      ...completion.subcommands,
      ...completion.valueFlags.flatMap((entry) => entry.tokens),
      ...completion.positionals.flat(),
    ];
    const unsafe = words.find((word) => !/^[@\w][\w.+:/-]*( [\w.+:/-]+)*$/.test(word) && !/^-{1,2}[\w-]+$/.test(word));
    // Every word goes between single quotes in the script; none of the commands' own names needs more.
    if (unsafe !== undefined) throw new Error(`cannot put ${JSON.stringify(unsafe)} in a completion script`);
  }
  if (shell === 'fish') return fishScript(completions, bins);
  const specs = completions.map((completion) => `    ${quoted(completion.path)}) ${posixAssignments(completion)} ;;`);
  return (shell === 'bash' ? bashScript : zshScript)(specs.join('\n'), bins);
}

interface EncodedCompletion {
  readonly flags: string;
  /** `flag=token,token` for each flag that takes a value. */
  readonly valueFlags: string;
  /** A `token,token` group per positional, `-` for one without candidates. */
  readonly positionals: string;
  readonly variadic: string;
  readonly subcommands: string;
}

function encoded(completion: CommandCompletion): EncodedCompletion {
  return {
    flags: completion.flags.join(' '),
    valueFlags: completion.valueFlags.map((entry) => `${entry.flag}=${entry.tokens.join(',')}`).join(' '),
    positionals: completion.positionals.map((tokens) => (tokens.length === 0 ? '-' : tokens.join(','))).join(' '),
    variadic: completion.variadic ? '1' : '0',
    subcommands: completion.subcommands.join(' '),
  };
}

function quoted(text: string): string {
  return `'${text}'`;
}

function posixAssignments(completion: CommandCompletion): string {
  const data = encoded(completion);
  return [
    `_du_flags=${quoted(data.flags)}`,
    `_du_valueflags=${quoted(data.valueFlags)}`,
    `_du_positionals=${quoted(data.positionals)}`,
    `_du_variadic=${data.variadic}`,
    `_du_subcommands=${quoted(data.subcommands)}`,
  ].join(' ');
}

const header = (shell: string, install: string): string =>
  `# dockerutils completion for ${shell}, written by \`dockerutils completion ${shell}\`.\n# ${install}\n`;

// What bash and zsh read alike. The spec of a command path: its flags, flags with values, positionals
// and sub-commands, set as _du_* variables.
const posixSpecFunction = (specs: string): string => `_dockerutils_spec() {
  _du_flags= _du_valueflags= _du_positionals= _du_variadic=0 _du_subcommands=
  case "$1" in
${specs}
  esac
}`;

// One word typed before the cursor ($word): a flag's value, a flag, a sub-command (whose spec then
// applies) or one more positional.
const posixWordStep = `    if [[ -n $expecting ]]; then
      expecting=
    elif [[ $word == --*=* ]]; then
      :
    elif [[ $word == -* ]]; then
      _dockerutils_value_tokens "$word" >/dev/null && expecting=1
    elif (( position == 0 )) && [[ " $_du_subcommands " == *" $word "* ]]; then
      if [[ $command_path == dockerutils ]]; then command_path=$word; else command_path="$command_path $word"; fi
      _dockerutils_spec "$command_path"
    else
      (( position++ ))
    fi`;

function bashScript(specs: string, bins: readonly string[]): string {
  return `${header('bash', 'Load it with: source <(dockerutils completion bash)   (in ~/.bashrc to keep it)')}
${posixSpecFunction(specs)}

# The candidates of comma-separated tokens: @KIND asks dockerutils for the names, the rest are words.
_dockerutils_words() {
  local token IFS=,
  for token in $1; do
    case $token in
      ''|-) ;;
      @*) command dockerutils completion --list "\${token#@}" 2>/dev/null ;;
      *) printf '%s\\n' "$token" ;;
    esac
  done
}

_dockerutils_value_tokens() {
  local entry
  for entry in $_du_valueflags; do
    if [[ \${entry%%=*} == "$1" ]]; then
      printf '%s' "\${entry#*=}"
      return 0
    fi
  done
  return 1
}

_dockerutils_positional_tokens() {
  local -a positions=($_du_positionals)
  local index=$1
  if (( index >= \${#positions[@]} )); then
    (( _du_variadic && \${#positions[@]} > 0 )) || return 0
    index=$(( \${#positions[@]} - 1 ))
  fi
  printf '%s' "\${positions[index]}"
}

_dockerutils() {
  local cur=\${COMP_WORDS[COMP_CWORD]} command_path=\${COMP_WORDS[0]##*/} word tokens expecting= position=0 i
  local _du_flags _du_valueflags _du_positionals _du_variadic _du_subcommands
  _dockerutils_spec "$command_path"
  for (( i = 1; i < COMP_CWORD; i++ )); do
    word=\${COMP_WORDS[i]}
${posixWordStep}
  done
  if [[ -n $expecting ]]; then
    tokens=$(_dockerutils_value_tokens "\${COMP_WORDS[COMP_CWORD-1]}")
  elif [[ $cur == -* ]]; then
    tokens=\${_du_flags// /,}
  else
    tokens=$(_dockerutils_positional_tokens "$position")
    if (( position == 0 )) && [[ -n $_du_subcommands ]]; then tokens="\${_du_subcommands// /,},$tokens"; fi
  fi
  local IFS=$'\\n'
  COMPREPLY=($(compgen -W "$(_dockerutils_words "$tokens")" -- "$cur"))
}

complete -o default -F _dockerutils ${bins.join(' ')}
`;
}

function zshScript(specs: string, bins: readonly string[]): string {
  return `#compdef ${bins.join(' ')}
${header('zsh', 'Load it with: source <(dockerutils completion zsh)   (after compinit, in ~/.zshrc to keep it)')}
${posixSpecFunction(specs)}

# The candidates of comma-separated tokens: @KIND asks dockerutils for the names, the rest are words.
_dockerutils_words() {
  local token
  for token in \${(s:,:)1}; do
    case $token in
      ''|-) ;;
      @*) command dockerutils completion --list "\${token#@}" 2>/dev/null ;;
      *) print -r -- "$token" ;;
    esac
  done
}

_dockerutils_value_tokens() {
  local entry
  for entry in \${=_du_valueflags}; do
    if [[ \${entry%%=*} == "$1" ]]; then
      print -rn -- "\${entry#*=}"
      return 0
    fi
  done
  return 1
}

# The candidates for the word being typed ($1), after the words before it ($2...): one a line.
_dockerutils_candidates() {
  local cur=$1 command_path=\${2:t} word tokens previous expecting= position=0
  local _du_flags _du_valueflags _du_positionals _du_variadic _du_subcommands
  local -a positions
  _dockerutils_spec "$command_path"
  shift 2
  for word in "$@"; do
${posixWordStep}
    previous=$word
  done
  if [[ -n $expecting ]]; then
    tokens=$(_dockerutils_value_tokens "$previous")
  elif [[ $cur == -* ]]; then
    tokens=\${_du_flags// /,}
  else
    positions=(\${=_du_positionals})
    if (( position < \${#positions} )); then
      tokens=\${positions[position+1]}
    elif (( _du_variadic && \${#positions} > 0 )); then
      tokens=\${positions[-1]}
    fi
    if (( position == 0 )) && [[ -n $_du_subcommands ]]; then tokens="\${_du_subcommands// /,},$tokens"; fi
  fi
  _dockerutils_words "$tokens"
}

_dockerutils() {
  local -a candidates
  candidates=(\${(f)"$(_dockerutils_candidates "\${words[CURRENT]}" "\${(@)words[1,CURRENT-1]}")"})
  if (( \${#candidates} )); then
    compadd -a candidates
  else
    _files
  fi
}

if (( $+functions[compdef] )); then
  compdef _dockerutils ${bins.join(' ')}
else
  print -u2 'dockerutils completion: run "autoload -Uz compinit && compinit" before loading it'
fi
`;
}

function fishScript(completions: readonly CommandCompletion[], bins: readonly string[]): string {
  const cases = completions
    .map((completion) => {
      const data = encoded(completion);
      const list = (text: string): string =>
        text === ''
          ? ''
          : ` ${text
              .split(' ')
              .map((word) => quoted(word))
              .join(' ')}`;
      return [
        `        case ${quoted(completion.path)}`,
        `            set __du_flags${list(data.flags)}`,
        `            set __du_valueflags${list(data.valueFlags)}`,
        `            set __du_positionals${list(data.positionals)}`,
        `            set __du_variadic ${data.variadic}`,
        `            set __du_subcommands${list(data.subcommands)}`,
      ].join('\n');
    })
    .join('\n');
  return `${header('fish', 'Load it with: dockerutils completion fish | source   (or save it as ~/.config/fish/completions/dockerutils.fish)')}
function __dockerutils_spec
    set -g __du_flags
    set -g __du_valueflags
    set -g __du_positionals
    set -g __du_variadic 0
    set -g __du_subcommands
    switch $argv[1]
${cases}
    end
end

# The candidates of comma-separated tokens: @KIND asks dockerutils for the names, the rest are words.
function __dockerutils_words
    for token in (string split -n , -- $argv[1])
        switch $token
            case '-'
            case '@*'
                command dockerutils completion --list (string sub -s 2 -- $token) 2>/dev/null
            case '*'
                echo $token
        end
    end
end

function __dockerutils_value_tokens
    for entry in $__du_valueflags
        set -l parts (string split -m 1 = -- $entry)
        if test "$parts[1]" = "$argv[1]"
            echo -n $parts[2]
            return 0
        end
    end
    return 1
end

# The candidates for the word being typed, one a line; files where no names apply.
function __dockerutils_candidates
    set -l words (commandline -opc)
    set -l cur (commandline -ct)
    set -l command_path (basename -- $words[1])
    set -l expecting 0
    set -l position 0
    set -l tokens
    __dockerutils_spec $command_path
    for word in $words[2..-1]
        if test $expecting = 1
            set expecting 0
        else if string match -q -- '--*=*' $word
        else if string match -q -- '-*' $word
            if __dockerutils_value_tokens $word >/dev/null
                set expecting 1
            end
        else if test $position = 0; and contains -- $word $__du_subcommands
            if test $command_path = dockerutils
                set command_path $word
            else
                set command_path "$command_path $word"
            end
            __dockerutils_spec $command_path
        else
            set position (math $position + 1)
        end
    end
    if test $expecting = 1
        set tokens (__dockerutils_value_tokens $words[-1])
    else if string match -q -- '-*' $cur
        set tokens (string join , -- $__du_flags)
    else
        set -l count (count $__du_positionals)
        if test $position -lt $count
            set tokens $__du_positionals[(math $position + 1)]
        else if test $__du_variadic = 1; and test $count -gt 0
            set tokens $__du_positionals[-1]
        end
        if test $position = 0; and test (count $__du_subcommands) -gt 0
            set tokens (string join , -- $__du_subcommands $tokens)
        end
    end
    set -l candidates (__dockerutils_words "$tokens")
    if test (count $candidates) -gt 0
        printf '%s\\n' $candidates
    else if not string match -q -- '-*' $cur
        __fish_complete_path $cur
    end
end

for command in ${bins.join(' ')}
    complete -c $command -f -a '(__dockerutils_candidates)'
end
`;
}
