//go:build windows

// Command child-go reads the string its parent wrote into shared memory
// through jobs.dll and prints it.
package main

import (
	"fmt"
	"log"
	"os"
	"path/filepath"
	"unsafe"

	"golang.org/x/sys/windows"
)

// readChars is the read buffer in characters: the whole mapping, or 1 MiB
// of it for larger ones.
const readChars = 32768

func main() {
	log.SetFlags(0)
	log.SetPrefix("child-go: ")
	exe, err := os.Executable()
	if err != nil {
		log.Fatal(err)
	}
	// An explicit path: the DLL is found beside this program, never
	// through the search path. It is never released (golang/go#11100).
	dll, err := windows.LoadDLL(filepath.Join(filepath.Dir(exe), "jobs.dll"))
	if err != nil {
		log.Fatal(err)
	}
	get, err := dll.FindProc("GetSharedMem")
	if err != nil {
		log.Fatal(err)
	}
	buf := make([]uint16, readChars)
	if ok, _, _ := get.Call(uintptr(unsafe.Pointer(&buf[0])), uintptr(len(buf))); ok == 0 {
		log.Fatal("GetSharedMem failed")
	}
	fmt.Println("Child process read from shared memory:", windows.UTF16ToString(buf))
}
