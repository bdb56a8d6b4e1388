//go:build windows

// Command child-go reads the string its parent wrote into shared memory
// through jobs.dll and prints it.
package main

import (
	"fmt"
	"log"
	"os"
	"path/filepath"

	"example.com/overlay/client"
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("child-go: ")
	exe, err := os.Executable()
	if err != nil {
		log.Fatal(err)
	}
	// An explicit path: the DLL is found beside this program, never
	// through the search path.
	dll, err := client.Load(filepath.Join(filepath.Dir(exe), "jobs.dll"))
	if err != nil {
		log.Fatal(err)
	}
	text, err := dll.Get()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("Child process read from shared memory:", text)
}
