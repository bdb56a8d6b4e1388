// Command child-go reads the string its parent wrote into shared memory
// through the project's library (client.LibraryName: the DLL on Windows,
// the .so on Linux) and prints it.
//
// Usage: child-go [--next | --record]
//
// With --next it first waits, up to a minute, for the next write, and
// prints what that wrote. With --record it prints the typed record
// instead, as one line of JSON (the client's RecordJSON).
package main

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/acme/telemetry/client"
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("child-go: ")
	next := len(os.Args) == 2 && os.Args[1] == "--next"
	record := len(os.Args) == 2 && os.Args[1] == "--record"
	if len(os.Args) > 2 || len(os.Args) == 2 && !next && !record {
		fmt.Fprintln(os.Stderr, "usage: child-go [--next | --record]")
		os.Exit(2)
	}
	exe, err := os.Executable()
	if err != nil {
		log.Fatal(err)
	}
	// An explicit path: the library is found beside this program, never
	// through the search path.
	dll, err := client.Load(filepath.Join(filepath.Dir(exe), client.LibraryName))
	if err != nil {
		log.Fatal(err)
	}
	if record {
		text, err := dll.ReadRecordJSON()
		if errors.Is(err, client.StatusAbandoned) {
			log.Print(err)
		} else if err != nil {
			log.Fatal(err)
		}
		fmt.Println(text)
		return
	}
	if next {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		// 0 returns the current generation at once; the next call waits
		// for it to change.
		generation, err := dll.Wait(ctx, 0)
		if err == nil {
			_, err = dll.Wait(ctx, generation)
		}
		if err != nil {
			log.Fatal(err)
		}
	}
	text, err := dll.Get()
	if errors.Is(err, client.StatusAbandoned) {
		// The text is read, but a writer died holding the lock: it may be
		// half-written.
		log.Print(err)
	} else if err != nil {
		log.Fatal(err)
	}
	fmt.Println("Child process read from shared memory:", text)
}
