//go:build unix

package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
)

// runChild runs line with /bin/sh -c, or child-go in dir when line is
// empty, with this process's standard streams, so that its output goes
// where ours goes, waits for it and returns its exit status (128 and the
// signal's number for a child killed by a signal, as a shell says). arg,
// when not empty, is one more argument: --record.
func runChild(dir, line, arg string) (uint32, error) {
	cmd := exec.Command("/bin/sh", "-c", strings.TrimSpace(line+" "+arg))
	if line == "" {
		cmd = exec.Command(filepath.Join(dir, "child-go"))
		if arg != "" {
			cmd.Args = append(cmd.Args, arg)
		}
	}
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		if status, ok := exit.Sys().(syscall.WaitStatus); ok && status.Signaled() {
			return 128 + uint32(status.Signal()), nil
		}
		return uint32(exit.ExitCode()), nil
	}
	if err != nil {
		return 0, fmt.Errorf("running %s: %w", cmd.Path, err)
	}
	return 0, nil
}
