// Command shmemgen generates a Go project that builds a Windows DLL sharing
// named memory between processes, with C and Go parent and child programs
// that prove the round trip.
//
// The flow is visible in the layout: main only wires commands, flags into
// a config.Config, which validates itself, and a call; gen renders the
// config into an in-memory file set, to which project adds the answers
// file (and from which it loads a project back); write plans how that set
// lands on disk and applies the plan atomically; generate runs new's and
// generate's work through them, and verify proves a built project.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"

	"github.com/urfave/cli/v2"

	"github.com/shmemgen/shmemgen/config"
	"github.com/shmemgen/shmemgen/project"
	"github.com/shmemgen/shmemgen/write"
)

func main() {
	// A run allocates a few megabytes and exits: with the default GOGC
	// the collector ran twice in every new or generate, a tenth of its
	// CPU, to free memory the exit frees anyway. A user's GOGC stands.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	os.Exit(run(os.Args, os.Stdout, os.Stderr))
}

// Exit statuses.
const (
	exitFailure = 1
	exitUsage   = 2
)

// usageError marks a mistake in how shmemgen was called.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usagef(format string, args ...any) error {
	return usageError{fmt.Errorf(format, args...)}
}

// run is main without the exit, for tests: the commands read and write
// projects on the system's filesystem.
func run(args []string, stdout, stderr io.Writer) int {
	return runOn(write.OS{}, args, stdout, stderr)
}

// runOn is run on the filesystem fsys: a test's may fail or stop at a
// chosen change (write.Faulty).
func runOn(fsys write.FS, args []string, stdout, stderr io.Writer) int {
	app := newApp(fsys, stdout, stderr)
	err := app.Run(reorderArgs(app, args))
	if err == nil {
		return 0
	}
	fmt.Fprintf(stderr, "shmemgen: %v\n", err)
	// An input, a flag or a project the user must fix.
	var cfgErr *config.Error
	var usage usageError
	var projErr *project.Error
	if errors.As(err, &cfgErr) || errors.As(err, &usage) || errors.As(err, &projErr) {
		return exitUsage
	}
	return exitFailure
}

// newApp is shmemgen's commands, which read and write projects on fsys.
func newApp(fsys write.FS, stdout, stderr io.Writer) *cli.App {
	return &cli.App{
		Name:  "shmemgen",
		Usage: "generate a Go project that builds a Windows DLL sharing named memory between processes",
		Description: `shmemgen writes a complete Go project: a DLL built with go build -buildmode=c-shared
that creates or opens a named file mapping backed by the paging file and exports
string and byte readers and writers, plus C and Go parent and child programs that
prove the round trip. It is Microsoft's "Using Shared Memory in a Dynamic-Link
Library" sample, in Go, without the sample's overruns and with a cross-process lock,
a checked layout and a status for every failure.

Start with:

   shmemgen new                        # the sample: ./dllmemfilemap
   shmemgen new --name 'Local\Jobs' --size 64KiB --out jobs
   shmemgen verify jobs                # build it, run both round trips

Later, edit jobs/shmemgen.yaml and regenerate in place, keeping your edits:

   shmemgen generate --dir jobs`,
		Version:         project.Version(),
		Writer:          stdout,
		ErrWriter:       stderr,
		HideHelpCommand: true,
		// Errors are printed once, by run, which also picks the exit status.
		ExitErrHandler: func(*cli.Context, error) {},
		OnUsageError:   onUsageError,
		Commands: []*cli.Command{
			newCommand(fsys), generateCommand(fsys), verifyCommand(), templatesCommand(fsys), versionCommand(), completionCommand(),
		},
		// Completes commands and flags; "shmemgen completion" prints the
		// shell side.
		EnableBashCompletion: true,
		// --var values are taken whole: a comma is part of the value.
		DisableSliceFlagSeparator: true,
		Action: func(c *cli.Context) error {
			if c.Args().Present() {
				return usagef("unknown command %s (see shmemgen --help)", config.Quote(c.Args().First()))
			}
			return cli.ShowAppHelp(c)
		},
	}
}

func onUsageError(c *cli.Context, err error, _ bool) error {
	flags := c.App.Flags
	if c.Command != nil && c.Command.Name != "" {
		flags = c.Command.Flags
	}
	if e := unknownFlagError(err, flags); e != err {
		return e
	}
	return usageError{err}
}
