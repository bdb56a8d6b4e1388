package main

import (
	"fmt"
	"path/filepath"

	"github.com/urfave/cli/v2"

	"github.com/shmemgen/shmemgen/config"
	"github.com/shmemgen/shmemgen/write"
)

func newCommand() *cli.Command {
	return &cli.Command{
		Name:      "new",
		Usage:     "scaffold a new project",
		UsageText: "shmemgen new [--name NAME] [--size SIZE] [--set NAME] [--get NAME] [--dll NAME] [--module PATH] [--out DIR] [--force] [--templates DIR] [--var KEY=VALUE]... [--dry-run] [--json]",
		Description: `Renders the whole project in memory, checks it, then writes it to --out. Every flag
has a default, so "shmemgen new" alone reproduces Microsoft's sample. A non-empty
--out is refused unless --force; on any error nothing is written. The project's
shmemgen.yaml records every input and the files written, for shmemgen generate.

Examples:

   shmemgen new
   shmemgen new --name 'Local\Telemetry' --size 1MiB --set PutText --get TakeText --dll telemetry -o telemetry
   shmemgen new --name 'Global\Fleet' --module github.com/acme/fleet-shm --out fleet
   shmemgen new --templates my-templates --var team=ops --dry-run --json`,
		OnUsageError: onUsageError,
		Flags: append([]cli.Flag{
			&cli.StringFlag{Name: "name", Value: config.DefaultName, Usage: "file-mapping `NAME`; an optional Local\\ or Global\\ prefix, then no backslash, at most 255 characters"},
			&cli.StringFlag{Name: "size", Value: "4096", Usage: "mapping `SIZE` in bytes or binary units (4096, 64KiB, 1MiB, 1GiB); even, 4 bytes to 1TiB"},
			&cli.StringFlag{Name: "set", Value: config.DefaultSet, Usage: "`NAME` of the export that writes the shared string (a C identifier)"},
			&cli.StringFlag{Name: "get", Value: config.DefaultGet, Usage: "`NAME` of the export that reads the shared string (a C identifier)"},
			&cli.StringFlag{Name: "write-bytes", Value: config.DefaultWriteBytes, Usage: "`NAME` of the export that writes bytes at an offset"},
			&cli.StringFlag{Name: "read-bytes", Value: config.DefaultReadBytes, Usage: "`NAME` of the export that reads bytes at an offset"},
			&cli.StringFlag{Name: "size-export", Value: config.DefaultSizeExport, Usage: "`NAME` of the export that returns the payload size"},
			&cli.StringFlag{Name: "length", Value: config.DefaultLength, Usage: "`NAME` of the export that returns the shared string's length"},
			&cli.StringFlag{Name: "status", Value: config.DefaultStatus, Usage: "`NAME` of the export that returns the calling thread's last status"},
			&cli.StringFlag{Name: "lock-timeout", Value: "5s", Usage: "longest wait for the cross-process lock (`DURATION`, 0s to 1h); a call that times out fails"},
			&cli.StringFlag{Name: "sddl", Usage: "security descriptor (`SDDL`) for the mapping and its lock (default: the process's default DACL)"},
			&cli.StringFlag{Name: "dll", Value: config.DefaultDLL, Usage: "DLL base `NAME`: builds bin/NAME.dll and bin/NAME.h"},
			&cli.StringFlag{Name: "module", Usage: "go.mod module `PATH` (default: example.com/ and the base name of --out)"},
			&cli.StringFlag{Name: "out", Aliases: []string{"o"}, Usage: "output `DIR` (default: ./ and the mapping name without its prefix)"},
			&cli.BoolFlag{Name: "force", Usage: "write into a non-empty --out, overwriting the files shmemgen generates"},
		}, append(templateFlags(), planFlags()...)...),
		Action: runNew,
	}
}

func runNew(c *cli.Context) error {
	if c.Args().Present() {
		return usagef("new takes no arguments, got %s: give the directory with --out", config.Quote(c.Args().First()))
	}
	cfg, out, err := configFromFlags(c)
	if err != nil {
		return err
	}
	opts, templates, err := optionsFromFlags(c, out)
	if err != nil {
		return err
	}
	files, err := renderProject(cfg, opts, templates)
	if err != nil {
		return err
	}
	plan, err := write.PlanNew(out, files, c.Bool("force"))
	if err != nil {
		return err
	}
	for _, w := range cfg.Warnings() {
		fmt.Fprintf(c.App.ErrWriter, "shmemgen: warning: %s\n", w)
	}
	if err := report(c, plan); err != nil {
		return err
	}
	if !c.Bool("dry-run") && !c.Bool("json") {
		fmt.Fprintf(c.App.Writer, "next: cd %s && ./build.sh\n", out)
	}
	return nil
}

// configFromFlags turns new's flags into a validated config and the output
// directory.
func configFromFlags(c *cli.Context) (config.Config, string, error) {
	size, err := config.ParseSize(c.String("size"))
	if err != nil {
		return config.Config{}, "", err
	}
	out := c.String("out")
	if out == "" {
		if out, err = config.DefaultOut(c.String("name")); err != nil {
			return config.Config{}, "", err
		}
	}
	module := c.String("module")
	if module == "" {
		abs, err := filepath.Abs(out)
		if err != nil {
			return config.Config{}, "", err
		}
		module = config.DefaultModule(filepath.Base(abs))
	}
	var timeout config.Duration
	if err := timeout.UnmarshalText([]byte(c.String("lock-timeout"))); err != nil {
		return config.Config{}, "", err
	}
	cfg := config.Config{
		Name:   c.String("name"),
		Size:   size,
		Set:    c.String("set"),
		Get:    c.String("get"),
		DLL:    c.String("dll"),
		Module: module,

		WriteBytes:  c.String("write-bytes"),
		ReadBytes:   c.String("read-bytes"),
		SizeExport:  c.String("size-export"),
		Length:      c.String("length"),
		Status:      c.String("status"),
		LockTimeout: timeout,
		SDDL:        c.String("sddl"),
	}
	return cfg, out, cfg.Validate()
}
