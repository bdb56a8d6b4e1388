package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/shmemgen/shmemgen/config"
	"github.com/shmemgen/shmemgen/internal/wine"
)

func verifyCommand() *cli.Command {
	return &cli.Command{
		Name:      "verify",
		Usage:     "build a generated project and prove that its round trip works",
		ArgsUsage: "[DIR]",
		Description: `Builds the project in DIR (default: the current directory) with its own build
script, then runs both parents, C and Go, with a text of non-ASCII characters and
checks that each child printed exactly that text. On Windows the programs run
directly; elsewhere they run under Wine, in a private, throwaway Wine prefix that
gets the ProcessPrng stub Go programs need under Wine 8 (mingw-w64 and Wine must be
installed: apt-get install mingw-w64 wine wine64).

Examples:

   shmemgen verify
   shmemgen new -o jobs && shmemgen verify jobs`,
		OnUsageError: onUsageError,
		Action:       runVerify,
	}
}

// verifyTimeout bounds the build and the runs, which take under a minute.
const verifyTimeout = 10 * time.Minute

// verifyText crosses the command line, the DLL and the console output: it
// holds non-ASCII and a surrogate pair.
const verifyText = "shmemgen verify: ünïcödé 😀"

func runVerify(c *cli.Context) error {
	if c.NArg() > 1 {
		return usagef("verify takes at most one directory, got %d arguments", c.NArg())
	}
	dir := c.Args().First()
	if dir == "" {
		dir = "."
	}
	if _, err := os.Stat(filepath.Join(dir, "dll")); err != nil {
		return usagef("%s is not a generated project: it has no dll directory", dir)
	}
	ctx, cancel := context.WithTimeout(c.Context, verifyTimeout)
	defer cancel()

	fmt.Fprintf(c.App.Writer, "building %s\n", dir)
	if err := build(ctx, dir); err != nil {
		return err
	}
	host, err := newWindowsHost()
	if err != nil {
		return err
	}
	defer host.close()

	bin, err := filepath.Abs(filepath.Join(dir, "bin"))
	if err != nil {
		return err
	}
	want := "Child process read from shared memory: " + verifyText
	for _, pair := range [][2]string{{"parent.exe", "child.exe"}, {"parent-go.exe", "child-go.exe"}} {
		parent, child := pair[0], pair[1]
		// The child's path is given in full: the parents' default finds it
		// beside them too, but a quoted full path also proves TEXT arrives.
		cmd := host.command(ctx, filepath.Join(bin, parent), `"`+host.path(filepath.Join(bin, child))+`"`, verifyText)
		var stdout, stderr bytes.Buffer
		cmd.Dir, cmd.Stdout, cmd.Stderr = bin, &stdout, &stderr
		err := cmd.Run()
		out := strings.ReplaceAll(stdout.String(), "\r\n", "\n")
		if err != nil || !strings.Contains(out, want+"\n") {
			return fmt.Errorf("%s did not round-trip (%v):\n%s%s", parent, err, out, stderr.String())
		}
		fmt.Fprintf(c.App.Writer, "ok  %s -> %s: the child read back %s\n", parent, child, config.Quote(verifyText))
	}
	return nil
}

// build runs the project's own build script for this system.
func build(ctx context.Context, dir string) error {
	cmd := exec.CommandContext(ctx, "bash", "build.sh")
	if runtime.GOOS == "windows" {
		cmd = exec.CommandContext(ctx, "powershell", "-NoProfile", "-ExecutionPolicy", "Bypass", "-File", "build.ps1")
	}
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("building %s: %w\n%s", dir, err, out)
	}
	return nil
}

// windowsHost runs Windows programs: directly on Windows, else under Wine
// in a fresh private prefix that close removes.
type windowsHost struct {
	command func(ctx context.Context, exe string, args ...string) *exec.Cmd
	// path is how Windows programs see a local path.
	path  func(string) string
	close func()
}

func newWindowsHost() (*windowsHost, error) {
	if runtime.GOOS == "windows" {
		return &windowsHost{
			command: exec.CommandContext,
			path:    func(p string) string { return p },
			close:   func() {},
		}, nil
	}
	if err := wine.Available(); err != nil {
		return nil, fmt.Errorf("running Windows programs here needs Wine and mingw-w64: %w", err)
	}
	tmp, err := os.MkdirTemp("", "shmemgen-verify-")
	if err != nil {
		return nil, err
	}
	prefix, err := wine.NewPrefix(filepath.Join(tmp, "prefix"))
	if err != nil {
		os.RemoveAll(tmp)
		return nil, fmt.Errorf("making a Wine prefix: %w", err)
	}
	return &windowsHost{
		command: prefix.Command,
		path:    wine.Path,
		close: func() {
			prefix.Close()
			os.RemoveAll(tmp)
		},
	}, nil
}
