package main

import (
	"fmt"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/shmemgen/shmemgen/config"
	"github.com/shmemgen/shmemgen/project"
)

func versionCommand() *cli.Command {
	return &cli.Command{
		Name:      "version",
		Usage:     "print shmemgen's version",
		UsageText: "shmemgen version",
		Description: `Prints the version from the build information: the module version for a
"go install github.com/shmemgen/shmemgen@VERSION", "(devel)" for a build from a checkout.
It is the version new and generate record in shmemgen.yaml.

Examples:

   shmemgen version`,
		OnUsageError: onUsageError,
		Action: func(c *cli.Context) error {
			if c.Args().Present() {
				return usagef("version takes no arguments, got %s", config.Quote(c.Args().First()))
			}
			_, err := fmt.Fprintf(c.App.Writer, "shmemgen %s\n", project.Version())
			return err
		},
	}
}

func completionCommand() *cli.Command {
	return &cli.Command{
		Name:      "completion",
		Usage:     "print a shell completion script (bash, zsh or fish)",
		UsageText: "shmemgen completion bash|zsh|fish",
		Description: `Prints a script that completes shmemgen's commands and flags in the shell named.

Examples:

   source <(shmemgen completion bash)            # in ~/.bashrc
   shmemgen completion zsh > "${fpath[1]}/_shmemgen"
   shmemgen completion fish > ~/.config/fish/completions/shmemgen.fish`,
		OnUsageError: onUsageError,
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return usagef("completion takes one argument, the shell: bash, zsh or fish")
			}
			var script string
			switch shell := c.Args().First(); shell {
			case "bash":
				script = bashCompletion
			case "zsh":
				script = zshCompletion
			case "fish":
				s, err := c.App.ToFishCompletion()
				if err != nil {
					return err
				}
				script = s
			default:
				return usagef("completion: shell %s is not one of bash, zsh or fish", config.Quote(shell))
			}
			_, err := fmt.Fprint(c.App.Writer, strings.TrimLeft(script, "\n"))
			return err
		},
	}
}

// bashCompletion and zshCompletion are urfave/cli's scripts, which ask
// shmemgen itself for the candidates with --generate-bash-completion.
const bashCompletion = `
# bash completion for shmemgen
_shmemgen_complete() {
  local cur words
  COMPREPLY=()
  cur="${COMP_WORDS[COMP_CWORD]}"
  words=("${COMP_WORDS[@]:0:$COMP_CWORD}")
  local opts
  if [[ "$cur" == "-"* ]]; then
    opts=$("${words[@]}" "$cur" --generate-bash-completion 2>/dev/null)
  else
    opts=$("${words[@]}" --generate-bash-completion 2>/dev/null)
  fi
  COMPREPLY=($(compgen -W "${opts}" -- "${cur}"))
  return 0
}
complete -o bashdefault -o default -F _shmemgen_complete shmemgen
`

const zshCompletion = `
#compdef shmemgen
# zsh completion for shmemgen
_shmemgen() {
  local -a opts
  local cur
  cur=${words[-1]}
  if [[ "$cur" == "-"* ]]; then
    opts=("${(@f)$(${words[@]:0:#words[@]-1} ${cur} --generate-bash-completion)}")
  else
    opts=("${(@f)$(${words[@]:0:#words[@]-1} --generate-bash-completion)}")
  fi
  if [[ "${opts[1]}" != "" ]]; then
    _describe 'values' opts
  else
    _files
  fi
}
compdef _shmemgen shmemgen
`
