//go:build windows

// Command child-go reads the string its parent wrote into shared memory
// through shm32.dll and prints it.
package main

import (
	"fmt"
	"log"
	"os"
	"path/filepath"

	"example.com/x86/client"
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
	dll, err := client.Load(filepath.Join(filepath.Dir(exe), "shm32.dll"))
	if err != nil {
		log.Fatal(err)
	}
	text, err := dll.Get()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("Child process read from shared memory:", text)
}
