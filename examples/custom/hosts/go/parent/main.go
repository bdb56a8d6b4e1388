//go:build windows || linux

// Command parent-go writes a string into shared memory through telemetry.dll
// (libtelemetry.so on Linux), starts the child and waits for it; it exits
// with the child's status.
//
// Usage:
//
//	parent-go [CHILD_COMMAND_LINE [TEXT]]
//	parent-go --unlink
//
// CHILD_COMMAND_LINE defaults to child-go beside this program (child-go.exe
// on Windows), TEXT to "This is a test string". On Linux a
// CHILD_COMMAND_LINE given is run by /bin/sh -c.
//
// --unlink removes the segment's name on Linux, where it outlives its
// processes, so that the next run creates it afresh: the way out of
// BAD_LAYOUT after a rebuild with another size or layout. Processes that
// have it mapped keep using it. On Windows it does nothing: a mapping goes
// away with its last handle.
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

	"github.com/acme/telemetry/client"
)

const defaultText = "This is a test string"

func main() {
	log.SetFlags(0)
	log.SetPrefix("parent-go: ")
	if len(os.Args) > 3 {
		fmt.Fprintln(os.Stderr, "usage: parent-go [CHILD_COMMAND_LINE [TEXT]]\n       parent-go --unlink")
		os.Exit(2)
	}
	exe, err := os.Executable()
	if err != nil {
		log.Fatal(err)
	}
	dir := filepath.Dir(exe)
	// An explicit path: the library is found beside this program, never
	// through the search path.
	dll, err := client.Load(filepath.Join(dir, libraryName))
	if err != nil {
		log.Fatal(err)
	}
	if len(os.Args) == 2 && os.Args[1] == "--unlink" {
		if err := dll.Unlink(); err != nil {
			log.Fatal(err)
		}
		if client.SegmentPath != "" {
			fmt.Printf("parent-go: removed %s; the next process creates it afresh\n", client.SegmentPath)
			return
		}
		fmt.Println("parent-go: nothing to remove on Windows: a mapping goes away with its last handle")
		return
	}
	line := ""
	if len(os.Args) > 1 {
		line = os.Args[1]
	}
	text := defaultText
	if len(os.Args) > 2 {
		text = os.Args[2]
	}

	fmt.Println("Process is writing to shared memory...")
	if err := dll.Set(text); errors.Is(err, client.StatusTruncated) {
		log.Print("the text was cut to fit the mapping")
	} else if errors.Is(err, client.StatusAbandoned) {
		// Written, after taking the lock over from a writer that died.
		log.Print(err)
	} else if err != nil {
		log.Fatal(err)
	}
	status, err := runChild(dir, line)
	if err != nil {
		log.Fatal(err)
	}
	os.Exit(int(status))
}
