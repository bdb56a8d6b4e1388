package main

import (
	"path/filepath"
	"slices"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/shmemgen/shmemgen/config"
	"github.com/shmemgen/shmemgen/project"
)

// dirCommands are the commands that take a project directory, as a
// positional argument or with --dir, with flags before or after it.
var dirCommands = []string{"new", "generate", "verify"}

// reorderArgs moves the positional arguments of a command that takes a
// directory after its flags: the flag package stops at the first
// positional argument, so "verify tele --pair go" would leave --pair
// unparsed. A flag's value stays with its flag; everything after "--"
// stays positional.
func reorderArgs(app *cli.App, args []string) []string {
	if len(args) < 3 || !slices.Contains(dirCommands, args[1]) {
		return args
	}
	cmd := app.Command(args[1])
	if cmd == nil {
		return args
	}
	takesValue := map[string]bool{}
	for _, f := range cmd.Flags {
		_, isBool := f.(*cli.BoolFlag)
		for _, n := range f.Names() {
			takesValue[n] = !isBool
		}
	}
	flags, positional := []string{}, []string{}
	rest := args[2:]
	for i := 0; i < len(rest); i++ {
		a := rest[i]
		switch {
		case a == "--":
			positional = append(positional, rest[i+1:]...)
			i = len(rest)
		case len(a) > 1 && a[0] == '-':
			flags = append(flags, a)
			name := strings.TrimLeft(a, "-")
			if !strings.Contains(name, "=") && takesValue[name] && i+1 < len(rest) {
				i++
				flags = append(flags, rest[i])
			}
		default:
			positional = append(positional, a)
		}
	}
	if len(positional) == 0 {
		return args
	}
	out := append(slices.Clip(args[:2]), flags...)
	out = append(out, "--")
	return append(out, positional...)
}

// dirArg is the directory a command was given, as its one positional
// argument or with flag (--dir, or new's --out), or "" when it was given
// none. Both at once must agree.
func dirArg(c *cli.Context, flag string) (string, error) {
	if c.NArg() > 1 {
		return "", usagef("%s takes at most one directory, got %d arguments", c.Command.Name, c.NArg())
	}
	pos, flagged := c.Args().First(), c.String(flag)
	switch {
	case pos != "" && c.IsSet(flag) && filepath.Clean(pos) != filepath.Clean(flagged):
		return "", usagef("%s was given two directories, %s and --%s %s: give one", c.Command.Name, config.Quote(pos), flag, config.Quote(flagged))
	case pos != "":
		return pos, nil
	case c.IsSet(flag):
		return flagged, nil
	}
	return "", nil
}

// findProject is the project directory a command that reads one works
// on (project.Find), from the directory it was given (dirArg).
func findProject(c *cli.Context) (string, error) {
	given, err := dirArg(c, "dir")
	if err != nil {
		return "", err
	}
	return project.Find(given)
}
