package main

import (
	"errors"

	"github.com/urfave/cli/v2"

	"github.com/shmemgen/shmemgen/config"
	"github.com/shmemgen/shmemgen/generate"
	"github.com/shmemgen/shmemgen/write"
)

func newCommand(fsys write.FS) *cli.Command {
	return &cli.Command{
		Name:      "new",
		Usage:     "scaffold a new project",
		ArgsUsage: "[DIR]",
		UsageText: "shmemgen new [--name NAME] [--size SIZE] [--set NAME] [--get NAME] [--dll NAME] [--module PATH] [--out DIR | DIR] [--force] [--reset] [--templates DIR] [--var KEY=VALUE]... [--dry-run] [--json]",
		Description: `Renders the whole project in memory, checks it, then writes it to --out. Every flag
has a default, so "shmemgen new" alone reproduces Microsoft's sample. The project's
shmemgen.yaml records every input and the files written, for shmemgen generate. An
--out that already holds a project is regenerated in place as shmemgen generate does,
with the flags as the answers: files already right are not touched, edits are kept, and
a run with nothing to do prints nothing, so the command suits a go:generate directive.
A flag changes the input shmemgen.yaml records (new says so on stderr); an input it
records that no flag gives is not put back to its default: new refuses, naming each
such input, and writes nothing, unless --reset. Any other non-empty --out is refused
unless --force. On any error nothing is written.

Examples:

   shmemgen new
   shmemgen new --name 'Local\Telemetry' --size 1MiB --set PutText --get TakeText --dll telemetry -o telemetry
   shmemgen new --name 'Global\Fleet' --module github.com/acme/fleet-shm --out fleet
   shmemgen new --templates my-templates --var team=ops --dry-run --json
   //go:generate shmemgen new -o shm --name Local\Telemetry --size 1MiB`,
		OnUsageError: onUsageError,
		Flags:        append(inputFlags(), newCommandFlags()...),
		Action:       runNew(fsys),
	}
}

// inputFlags are new's flags for the project's inputs, one for each row
// of config.Inputs, and the record's.
func inputFlags() []cli.Flag {
	// The record's flags first: its category lists them before the rows of
	// its exports.
	flags := recordFlags()
	for _, in := range config.Inputs {
		flags = append(flags, &cli.StringFlag{Name: in.Flag, Aliases: in.Aliases, Category: in.Category, Value: in.Default, Usage: in.Usage})
	}
	return flags
}

// categoryOutput groups in new --help the flags that shape what new
// renders and prints rather than the project.
const categoryOutput = "Templates and output"

// newCommandFlags are new's flags that are not inputs: they say where and
// how to write the project, and are not recorded in it.
func newCommandFlags() []cli.Flag {
	flags := []cli.Flag{
		&cli.StringFlag{Name: "out", Aliases: []string{"o", "dir"}, Usage: "output `DIR`, also accepted as the argument (default: ./ and the mapping name without its prefix)"},
		&cli.BoolFlag{Name: "force", Usage: "write into a non-empty --out that is not a project, overwriting the files shmemgen generates; over a project, as for generate: overwrite edited files shmemgen has a new version for"},
		&cli.BoolFlag{Name: "reset", Usage: "over a project, let the inputs its shmemgen.yaml records and these flags do not give go back to their defaults (without it, new refuses, naming them)"},
	}
	output := append(templateFlags(), planFlags()...)
	for _, f := range output {
		switch f := f.(type) {
		case *cli.StringFlag:
			f.Category = categoryOutput
		case *cli.StringSliceFlag:
			f.Category = categoryOutput
		case *cli.BoolFlag:
			f.Category = categoryOutput
		}
	}
	// urfave/cli groups a command's flags before it adds --help to them:
	// without it here, a command with categories would not list --help.
	return append(append(flags, output...), cli.HelpFlag)
}

func runNew(fsys write.FS) cli.ActionFunc {
	return func(c *cli.Context) error {
		cfg, out, err := configFromFlags(c)
		if err != nil {
			return err
		}
		opts, templates, err := optionsFromFlags(c, out)
		if err != nil {
			return err
		}
		return generate.New(fsys, generate.NewRequest{
			Config: cfg, Options: opts, Templates: templates, Out: out,
			Force: c.Bool("force"), Reset: c.Bool("reset"), Given: c.IsSet,
		}, output(c))
	}
}

// configFromFlags turns new's flags into a validated config and the output
// directory. An error names the flag the user gave and echoes its value as
// typed: one in a value shmemgen derived (the default --out from --name,
// the default --module from --out) is blamed on the flag it came from.
func configFromFlags(c *cli.Context) (config.Config, string, error) {
	var cfg config.Config
	for _, in := range config.Inputs {
		if err := in.Set(&cfg, c.String(in.Flag)); err != nil {
			return config.Config{}, "", err
		}
	}
	record, err := recordFromFlags(c)
	if err != nil {
		return config.Config{}, "", err
	}
	cfg.Record = record
	// A stand-in until the default is known: every other value is checked
	// first, so that an error in one is not hidden behind a default derived
	// from another.
	module := cfg.Module
	cfg.Module = "example.com/m"
	if err := asTyped(c, cfg.Validate()); err != nil {
		return config.Config{}, "", err
	}

	out, err := dirArg(c, "out")
	if err != nil {
		return config.Config{}, "", err
	}
	outGiven := out != ""
	if out == "" {
		if out, err = config.DefaultOut(cfg.Name); err != nil {
			return config.Config{}, "", err
		}
	}
	cfg.Module = module
	if cfg.Module == "" {
		if err := cfg.DeriveModule(out, outGiven); err != nil {
			return config.Config{}, "", err
		}
	}
	return cfg, out, asTyped(c, cfg.Validate())
}

// asTyped puts the value of a rejected flag back as the user typed it: the
// config holds what shmemgen read (1PiB is 1125899906842624 bytes, 2h is
// 2h0m0s), which is not what the user wrote.
func asTyped(c *cli.Context, err error) error {
	var ce *config.Error
	if errors.As(err, &ce) && ce.Value != "" && c.IsSet(ce.Flag) {
		ce.Value = c.String(ce.Flag)
	}
	return err
}
