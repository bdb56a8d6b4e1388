// Command parent-go writes a string into shared memory through the
// project's library (client.LibraryName: the DLL on Windows, the .so on
// Linux), starts the child and waits for it; it exits with the child's
// status.
//
// Usage:
//
//	parent-go [CHILD_COMMAND_LINE [TEXT]]
//	parent-go --record JSON [CHILD_COMMAND_LINE]
//	parent-go --unlink
//
// CHILD_COMMAND_LINE defaults to child-go beside this program (child-go.exe
// on Windows), TEXT to "This is a test string". On Linux a
// CHILD_COMMAND_LINE given is run by /bin/sh -c.
//
// --record writes the typed record from JSON (the client's
// RecordFromJSON: an object of its fields) instead of the text, and starts
// the child with --record, which prints it back as one line of JSON.
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

	"example.com/basic/client"
)

const defaultText = "This is a test string"

const usage = "usage: parent-go [CHILD_COMMAND_LINE [TEXT]]\n       parent-go --record JSON [CHILD_COMMAND_LINE]\n       parent-go --unlink"

func main() {
	log.SetFlags(0)
	log.SetPrefix("parent-go: ")
	record := len(os.Args) > 1 && os.Args[1] == "--record"
	if len(os.Args) > 3 && !record || len(os.Args) > 4 || record && len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, usage)
		os.Exit(2)
	}
	exe, err := os.Executable()
	if err != nil {
		log.Fatal(err)
	}
	dir := filepath.Dir(exe)
	// An explicit path: the library is found beside this program, never
	// through the search path.
	dll, err := client.Load(filepath.Join(dir, client.LibraryName))
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
	if record {
		if err := dll.WriteRecordJSON(os.Args[2]); err != nil && !errors.Is(err, client.StatusAbandoned) {
			log.Fatal(err)
		}
		line := ""
		if len(os.Args) > 3 {
			line = os.Args[3]
		}
		status, err := runChild(dir, line, "--record")
		if err != nil {
			log.Fatal(err)
		}
		os.Exit(int(status))
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
	status, err := runChild(dir, line, "")
	if err != nil {
		log.Fatal(err)
	}
	os.Exit(int(status))
}
