//go:build windows

package main

import (
	"fmt"
	"path/filepath"
	"unsafe"

	"golang.org/x/sys/windows"
)

// runChild starts the command line, or child-go.exe in dir when line is
// empty, with this process's standard handles, so that its output goes
// where ours goes, waits for it and returns its exit status. It calls CreateProcess itself, as the C parent does, because the
// command line is given whole rather than as arguments. arg, when not
// empty, is appended to the line: --record.
func runChild(dir, line, arg string) (uint32, error) {
	if line == "" {
		line = windows.EscapeArg(filepath.Join(dir, "child-go.exe"))
	}
	if arg != "" {
		line += " " + arg
	}
	cmd, err := windows.UTF16PtrFromString(line)
	if err != nil {
		return 0, err
	}
	si := windows.StartupInfo{
		Flags:     windows.STARTF_USESTDHANDLES,
		StdInput:  windows.Stdin,
		StdOutput: windows.Stdout,
		StdErr:    windows.Stderr,
	}
	si.Cb = uint32(unsafe.Sizeof(si))
	for _, h := range []windows.Handle{si.StdInput, si.StdOutput, si.StdErr} {
		// Handles that are not open (a detached stdin) cannot be marked;
		// the child then simply has none.
		_ = windows.SetHandleInformation(h, windows.HANDLE_FLAG_INHERIT, windows.HANDLE_FLAG_INHERIT)
	}
	var pi windows.ProcessInformation
	if err := windows.CreateProcess(nil, cmd, nil, nil, true, 0, nil, nil, &si, &pi); err != nil {
		return 0, fmt.Errorf("starting %s: %w", line, err)
	}
	defer windows.CloseHandle(pi.Process)
	windows.CloseHandle(pi.Thread)
	if _, err := windows.WaitForSingleObject(pi.Process, windows.INFINITE); err != nil {
		return 0, fmt.Errorf("waiting for %s: %w", line, err)
	}
	var status uint32
	if err := windows.GetExitCodeProcess(pi.Process, &status); err != nil {
		return 0, err
	}
	return status, nil
}
