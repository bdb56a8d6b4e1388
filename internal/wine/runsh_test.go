package wine_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shmemgen/shmemgen/config"
	"github.com/shmemgen/shmemgen/gen"
	"github.com/shmemgen/shmemgen/internal/testenv"
)

// TestProjectRunScript runs a generated project's run.sh as a Linux user
// would, on a Go program (which needs ProcessPrng): it must make its own
// prefix from the stub source the project ships, and run the program there
// with its arguments, its output on run.sh's stdout.
func TestProjectRunScript(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: run.sh makes its own Wine prefix (~12 s)")
	}
	testenv.RequireWine(t)
	files, err := gen.Render(config.Default("x"), gen.Options{})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, name := range []string{"run.sh", "wine/bcryptprimitives.c"} {
		f, _ := files.Lookup(name)
		if err := os.MkdirAll(filepath.Join(dir, filepath.Dir(name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), f.Data, f.Mode); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(dir, "hello"), 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "hello", "main.go"), `package main

import (
	"crypto/rand"
	"fmt"
	"os"
)

func main() {
	b := make([]byte, 16)
	rand.Read(b)
	fmt.Printf("hello %q rand=%x\n", os.Args[1:], b)
}
`)
	build(t, filepath.Join(dir, "hello"), []string{"CGO_ENABLED=0", "GOOS=windows", "GOARCH=amd64", "GOFLAGS=", "GO111MODULE=off"},
		"go", "build", "-o", filepath.Join(dir, "bin", "hello.exe"), "main.go")

	prefix := filepath.Join(dir, ".wine")
	t.Cleanup(func() {
		kill := exec.Command("wineserver", "-k")
		kill.Env = append(os.Environ(), "WINEPREFIX="+prefix)
		kill.Run()
	})
	for i := range 2 { // the second run reuses the prefix
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		cmd := exec.CommandContext(ctx, "./run.sh", "hello.exe", "a b", "c")
		cmd.Dir = dir
		cmd.WaitDelay = 10 * time.Second
		var stderr strings.Builder
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		cancel()
		if err != nil {
			t.Fatalf("run %d: ./run.sh hello.exe: %v\nstdout:\n%s\nstderr:\n%s", i+1, err, out, stderr.String())
		}
		if want := `hello ["a b" "c"] rand=`; !strings.Contains(string(out), want) || strings.Contains(string(out), strings.Repeat("00", 16)) {
			t.Errorf("run %d: stdout %q, want %q and random bytes", i+1, out, want)
		}
		made := strings.Contains(stderr.String(), "making a Wine prefix")
		if made != (i == 0) {
			t.Errorf("run %d: made a prefix: %v\n%s", i+1, made, stderr.String())
		}
	}
	if _, err := os.Stat(filepath.Join(prefix, "drive_c", "windows", "system32", "bcryptprimitives.dll")); err != nil {
		t.Errorf("the stub is not in the project's prefix: %v", err)
	}
}
