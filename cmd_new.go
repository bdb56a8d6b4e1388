package main

import (
	"encoding"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/shmemgen/shmemgen/answers"
	"github.com/shmemgen/shmemgen/config"
	"github.com/shmemgen/shmemgen/gen"
	"github.com/shmemgen/shmemgen/write"
)

func newCommand() *cli.Command {
	return &cli.Command{
		Name:      "new",
		Usage:     "scaffold a new project",
		UsageText: "shmemgen new [--name NAME] [--size SIZE] [--set NAME] [--get NAME] [--dll NAME] [--module PATH] [--out DIR | DIR] [--force] [--templates DIR] [--var KEY=VALUE]... [--dry-run] [--json]",
		Description: `Renders the whole project in memory, checks it, then writes it to --out. Every flag
has a default, so "shmemgen new" alone reproduces Microsoft's sample. The project's
shmemgen.yaml records every input and the files written, for shmemgen generate. An
--out that already holds a project is regenerated in place as shmemgen generate does,
with the flags as the answers: files already right are not touched, edits are kept, and
a run with nothing to do prints nothing, so the command suits a go:generate directive.
Any other non-empty --out is refused unless --force. On any error nothing is written.

Examples:

   shmemgen new
   shmemgen new --name 'Local\Telemetry' --size 1MiB --set PutText --get TakeText --dll telemetry -o telemetry
   shmemgen new --name 'Global\Fleet' --module github.com/acme/fleet-shm --out fleet
   shmemgen new --templates my-templates --var team=ops --dry-run --json
   //go:generate shmemgen new -o shm --name Local\Telemetry --size 1MiB`,
		OnUsageError: onUsageError,
		Flags: append([]cli.Flag{
			&cli.StringFlag{Name: "name", Value: config.DefaultName, Usage: "file-mapping `NAME`; an optional Local\\ or Global\\ prefix, then no backslash, at most 255 characters"},
			&cli.StringFlag{Name: "size", Value: "4096", Usage: "mapping `SIZE` in bytes or binary units (4096, 64KiB, 1MiB, 1GiB); even, 4 bytes to 1TiB (1GiB with --arch 386)"},
			&cli.StringFlag{Name: "set", Value: config.DefaultSet, Usage: "`NAME` of the export that writes the shared string (a C identifier)"},
			&cli.StringFlag{Name: "get", Value: config.DefaultGet, Usage: "`NAME` of the export that reads the shared string (a C identifier)"},
			&cli.StringFlag{Name: "write-bytes", Value: config.DefaultWriteBytes, Usage: "`NAME` of the export that writes bytes at an offset"},
			&cli.StringFlag{Name: "read-bytes", Value: config.DefaultReadBytes, Usage: "`NAME` of the export that reads bytes at an offset"},
			&cli.StringFlag{Name: "size-export", Value: config.DefaultSizeExport, Usage: "`NAME` of the export that returns the payload size"},
			&cli.StringFlag{Name: "length", Value: config.DefaultLength, Usage: "`NAME` of the export that returns the shared string's length"},
			&cli.StringFlag{Name: "wait", Value: config.DefaultWait, Usage: "`NAME` of the export that waits until the payload changes"},
			&cli.StringFlag{Name: "status", Value: config.DefaultStatus, Usage: "`NAME` of the export that returns the calling thread's last status"},
			&cli.StringFlag{Name: "lock-timeout", Value: "5s", Usage: "longest wait for the cross-process lock (`DURATION`, 0s to 1h); a call that times out fails"},
			&cli.StringFlag{Name: "sddl", Usage: "security descriptor (`SDDL`) for the mapping and its lock (default: the process's default DACL)"},
			&cli.StringFlag{Name: "trust", Value: config.DefaultTrust, Usage: "what the DLL checks before it trusts objects it finds under its names (`MODE`): header (a valid header), owner (and an owner it trusts: the user, Administrators, SYSTEM or --owner) or namespace (a private namespace bounded by the user's SID or --owner)"},
			&cli.StringFlag{Name: "owner", Usage: "a `SID` (S-1-5-18) that --trust owner also accepts as the objects' owner, or that --trust namespace bounds the namespace with: a service's, for its clients"},
			&cli.StringFlag{Name: "arch", Value: config.DefaultArch, Usage: "comma-separated Windows `ARCHITECTURES` to build for: amd64, 386 or amd64,386 (386 builds go to bin/386/)"},
			&cli.StringFlag{Name: "unlink", Value: config.DefaultUnlink, Usage: "`NAME` of the export that removes the POSIX segment's name (does nothing on Windows)"},
			&cli.StringFlag{Name: "os", Value: config.DefaultOS, Usage: "comma-separated `SYSTEMS` to build for: windows, or windows,linux to build bin/libNAME.so natively beside the DLL"},
			&cli.StringFlag{Name: "mode", Value: config.DefaultMode, Usage: "octal permission `MODE` of the POSIX segment (shm_open's mode), the Linux counterpart of --sddl; must include 0600"},
			&cli.StringFlag{Name: "file-version", Value: config.DefaultFileVersion, Usage: "`VERSION` in the DLL's and the hosts' version resources: one to four dot-separated numbers from 0 to 65535"},
			&cli.StringFlag{Name: "dll", Value: config.DefaultDLL, Usage: "DLL base `NAME`: builds bin/NAME.dll and bin/NAME.h"},
			&cli.StringFlag{Name: "module", Usage: "go.mod module `PATH` (default: example.com/ and the base name of --out)"},
			&cli.StringFlag{Name: "out", Aliases: []string{"o", "dir"}, Usage: "output `DIR`, also accepted as the argument (default: ./ and the mapping name without its prefix)"},
			&cli.BoolFlag{Name: "force", Usage: "write into a non-empty --out that is not a project, overwriting the files shmemgen generates; over a project, as for generate: overwrite edited files shmemgen has a new version for"},
		}, append(append(recordFlags(), templateFlags()...), planFlags()...)...),
		Action: runNew,
	}
}

func runNew(c *cli.Context) error {
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
	prev, isProject, err := readProject(out)
	if err != nil {
		return err
	}
	var plan write.Plan
	if isProject {
		// An existing project, as a go:generate directive finds it on every
		// run after the first: plan exactly as generate does, with the
		// flags as the answers, so that nothing already right is touched
		// and no edit is lost.
		if diff := inputsDiff(prev, cfg, opts, templates); diff != "" {
			fmt.Fprintf(c.App.ErrWriter, "shmemgen: note: %s holds other inputs than the flags (%s): the flags replace them\n",
				filepath.Join(out, answers.FileName), diff)
		}
		plan, err = write.PlanRegenerate(out, files, prev.Manifest(), c.Bool("force"))
	} else {
		plan, err = write.PlanNew(out, files, c.Bool("force"))
	}
	if err != nil {
		return err
	}
	// Over an existing project, as for generate, a run that changes
	// nothing says nothing.
	if !isProject || plan.Changed() {
		for _, w := range cfg.Warnings() {
			fmt.Fprintf(c.App.ErrWriter, "shmemgen: warning: %s\n", w)
		}
	}
	if err := report(c, plan); err != nil {
		return err
	}
	if err := conflictError(c, plan); err != nil {
		return err
	}
	if !isProject && !c.Bool("dry-run") && !c.Bool("json") {
		fmt.Fprintf(c.App.Writer, "next: cd %s && ./build.sh\n", gen.ShellQuote(out))
	}
	return nil
}

// readProject reads the answers file of the project in dir, if dir holds
// one. A project whose answers file cannot be read is an error: without its
// manifest, shmemgen cannot tell the user's edits from its own output.
func readProject(dir string) (answers.Answers, bool, error) {
	file := filepath.Join(dir, answers.FileName)
	if _, err := os.Lstat(file); errors.Is(err, fs.ErrNotExist) {
		return answers.Answers{}, false, nil
	}
	a, _, err := loadAnswers(dir)
	if err != nil {
		return answers.Answers{}, false, err
	}
	return a, true, nil
}

// inputsDiff lists, as "key: old, not new", the inputs of the answers file
// prev that the flags (cfg, opts and templates) are about to replace, or ""
// when there are none.
func inputsDiff(prev answers.Answers, cfg config.Config, opts gen.Options, templates string) string {
	var diffs []string
	pv, nv := reflect.ValueOf(prev.Inputs), reflect.ValueOf(cfg)
	for i := range pv.NumField() {
		key := strings.Split(pv.Type().Field(i).Tag.Get("yaml"), ",")[0]
		if a, b := answerValue(pv.Field(i)), answerValue(nv.Field(i)); a != b {
			diffs = append(diffs, fmt.Sprintf("%s: %s, not %s", key, a, b))
		}
	}
	if prev.Templates != templates {
		diffs = append(diffs, fmt.Sprintf("templates: %s, not %s", config.Quote(prev.Templates), config.Quote(templates)))
	}
	if !maps.Equal(prev.Vars, opts.Vars) {
		diffs = append(diffs, "vars")
	}
	return strings.Join(diffs, "; ")
}

// answerValue is v as the answers file writes it.
func answerValue(v reflect.Value) string {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return "none"
		}
		return fmt.Sprintf("%+v", v.Elem().Interface())
	case reflect.Slice:
		if v.Len() == 0 {
			return "none"
		}
		return fmt.Sprintf("%+v", v.Interface())
	}
	if m, ok := v.Interface().(encoding.TextMarshaler); ok {
		if text, err := m.MarshalText(); err == nil {
			return string(text)
		}
	}
	if v.Kind() == reflect.String {
		if s := v.String(); s == "" || strings.ContainsAny(s, " ,;") {
			return config.Quote(s)
		}
	}
	return fmt.Sprint(v.Interface())
}

// configFromFlags turns new's flags into a validated config and the output
// directory. An error names the flag the user gave and echoes its value as
// typed: one in a value shmemgen derived (the default --out from --name,
// the default --module from --out) is blamed on the flag it came from.
func configFromFlags(c *cli.Context) (config.Config, string, error) {
	size, err := config.ParseSize(c.String("size"))
	if err != nil {
		return config.Config{}, "", err
	}
	var timeout config.Duration
	if err := timeout.UnmarshalText([]byte(c.String("lock-timeout"))); err != nil {
		return config.Config{}, "", err
	}
	record, err := recordFromFlags(c)
	if err != nil {
		return config.Config{}, "", err
	}
	cfg := config.Config{
		Name: c.String("name"),
		Size: size,
		Set:  c.String("set"),
		Get:  c.String("get"),
		DLL:  c.String("dll"),
		// A stand-in until the default is known: every other value is
		// checked first, so that an error in one is not hidden behind a
		// default derived from another.
		Module: "example.com/m",

		WriteBytes:  c.String("write-bytes"),
		ReadBytes:   c.String("read-bytes"),
		SizeExport:  c.String("size-export"),
		Length:      c.String("length"),
		Wait:        c.String("wait"),
		Status:      c.String("status"),
		LockTimeout: timeout,
		SDDL:        c.String("sddl"),
		Arch:        listFlag(c.String("arch")),
		FileVersion: c.String("file-version"),
		Trust:       c.String("trust"),
		Owner:       c.String("owner"),
		Unlink:      c.String("unlink"),
		OS:          listFlag(c.String("os")),
		Mode:        c.String("mode"),
		Record:      record,
		ReadRecord:  c.String("read-record"),
		WriteRecord: c.String("write-record"),
	}
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
	cfg.Module = c.String("module")
	if cfg.Module == "" {
		abs, err := filepath.Abs(out)
		if err != nil {
			return config.Config{}, "", err
		}
		cfg.Module = config.DefaultModule(filepath.Base(abs))
		var ce *config.Error
		if err := cfg.Validate(); errors.As(err, &ce) && ce.Flag == "module" {
			rule := strings.TrimPrefix(ce.Rule, "is ")
			if outGiven {
				return config.Config{}, "", &config.Error{Flag: "out", Value: out,
					Rule: fmt.Sprintf("gives the default --module %s, which is %s: give --module", config.Quote(cfg.Module), rule)}
			}
			return config.Config{}, "", &config.Error{Flag: "name", Value: cfg.Name,
				Rule: fmt.Sprintf("gives the default --out %s and --module %s, which is %s: give --module", config.Quote(out), config.Quote(cfg.Module), rule)}
		}
	}
	return cfg, out, asTyped(c, cfg.Validate())
}

// listFlag is a comma-separated list flag (--os, --arch) without the
// spaces around its commas: --os 'windows, linux' is --os windows,linux.
func listFlag(s string) string {
	items := strings.Split(s, ",")
	for i, item := range items {
		items[i] = strings.TrimSpace(item)
	}
	return strings.Join(items, ",")
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
