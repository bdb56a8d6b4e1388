// Command mksysnames writes config/sysnames.txt: every identifier that the
// headers the generated code includes declare at file scope, every macro
// they define, and cgo's own names, one a line; config refuses them all
// as export names. It needs the mingw-w64 compiler the generated project
// builds with; run it from the repository's root (go generate ./config does):
//
//	go run ./internal/cnames/mksysnames -o config/sysnames.txt
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"strings"

	"github.com/shmemgen/shmemgen/internal/cnames"
)

func main() {
	out := flag.String("o", "sysnames.txt", "output `FILE`")
	flag.Parse()
	data, err := Generate()
	if err != nil {
		fmt.Fprintln(os.Stderr, "mksysnames:", err)
		os.Exit(1)
	}
	if err := os.WriteFile(*out, data, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "mksysnames:", err)
		os.Exit(1)
	}
}

// Generate returns the file's content.
func Generate() ([]byte, error) {
	return cnames.SysNamesFile(goroot())
}

func goroot() string {
	out, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}
