//go:build windows

// Command parent-go writes a string into shared memory through shmem.dll,
// starts the child and waits for it; it exits with the child's status.
//
// Usage:
//
//	parent-go.exe [CHILD_COMMAND_LINE [TEXT]]
//
// CHILD_COMMAND_LINE defaults to child-go.exe beside this program, TEXT to
// "This is a test string".
//
// It calls the DLL through the generated client package. A Go program that
// loads a Go DLL runs two Go runtimes in one process, which Go does not
// support (golang/go#22192) although it works here; the C hosts in hosts/c
// are the canonical consumers.
package main

import (
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"unsafe"

	"golang.org/x/sys/windows"

	"example.com/namespace/client"
)

const defaultText = "This is a test string"

func main() {
	log.SetFlags(0)
	log.SetPrefix("parent-go: ")
	if len(os.Args) > 3 {
		fmt.Fprintln(os.Stderr, "usage: parent-go.exe [CHILD_COMMAND_LINE [TEXT]]")
		os.Exit(2)
	}
	exe, err := os.Executable()
	if err != nil {
		log.Fatal(err)
	}
	dir := filepath.Dir(exe)
	line := windows.EscapeArg(filepath.Join(dir, "child-go.exe"))
	if len(os.Args) > 1 {
		line = os.Args[1]
	}
	text := defaultText
	if len(os.Args) > 2 {
		text = os.Args[2]
	}

	// An explicit path: the DLL is found beside this program, never
	// through the search path.
	dll, err := client.Load(filepath.Join(dir, "shmem.dll"))
	if err != nil {
		log.Fatal(err)
	}

	fmt.Println("Process is writing to shared memory...")
	if err := dll.Set(text); errors.Is(err, client.StatusTruncated) {
		log.Print("the text was cut to fit the mapping")
	} else if err != nil {
		log.Fatal(err)
	}
	status, err := runChild(line)
	if err != nil {
		log.Fatal(err)
	}
	os.Exit(int(status))
}

// runChild starts the command line with this process's standard handles, so
// that its output goes where ours goes, waits for it and returns its exit
// status. It calls CreateProcess itself, as the C parent does, because the
// command line is given whole rather than as arguments.
func runChild(line string) (uint32, error) {
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
