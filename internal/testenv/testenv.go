// Package testenv is what shmemgen's tests need from their environment:
// Wine and mingw-w64 (skipped locally, required in CI; see package ci), a
// private Wine prefix per test, and the shmemgen command itself, built once
// per test binary outside package main. Production code never imports it.
package testenv

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/shmemgen/shmemgen/internal/ci"
	"github.com/shmemgen/shmemgen/internal/wine"
)

// RequireWine skips t when wine.Available fails, or fails it under CI.
func RequireWine(t testing.TB) {
	t.Helper()
	if err := wine.Available(); err != nil {
		ci.SkipOrFail(t, fmt.Errorf("wine: %w", err))
	}
}

// RequireTool does the same for a program Available does not cover.
func RequireTool(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		ci.SkipOrFail(t, err)
	}
	return p
}

// NewWinePrefix calls RequireWine, creates a prefix under t.TempDir and
// closes it when the test ends. Expect it to take a few seconds, or
// 10-15 s when it makes the cached template.
func NewWinePrefix(t testing.TB) *wine.Prefix {
	t.Helper()
	RequireWine(t)
	start := time.Now()
	p, err := wine.NewPrefix(t.TempDir())
	if err != nil {
		t.Fatalf("wine: %v", err)
	}
	// Registered after t.TempDir, so it runs before the directory is removed.
	t.Cleanup(func() {
		if err := p.Close(); err != nil {
			t.Errorf("wine: %v", err)
		}
	})
	t.Logf("wine: prefix %s ready in %v", p.Dir(), time.Since(start).Round(time.Millisecond))
	return p
}

// BuildShmemgen builds the shmemgen command into dir and returns its path,
// for the tests outside package main (e2e), which cannot run it from their
// own binary as package main's tests do (testscript.Main): each runs what
// a user runs. Without VCS stamping its version is "(devel)" whatever the
// commit.
func BuildShmemgen(dir string) (string, error) {
	exe := filepath.Join(dir, "shmemgen")
	if runtime.GOOS == "windows" {
		exe += ".exe"
	}
	cmd := exec.Command("go", "build", "-buildvcs=false", "-o", exe, "github.com/shmemgen/shmemgen")
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("building shmemgen: %w", err)
	}
	return exe, nil
}

// PathWith returns a PATH of one directory holding links to the named
// programs, found on this PATH, and to nothing else: a script run with it
// sees a machine without every other program (mingw-w64, Wine). A program
// not found skips t.
func PathWith(t testing.TB, names ...string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "path")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, name := range names {
		p, err := exec.LookPath(name)
		if err != nil {
			t.Skipf("%s is not on PATH: %v", name, err)
		}
		if err := os.Symlink(p, filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// Run runs name with args in dir, with env added to the environment, and
// fails the test with the command's output when it fails.
func Run(t testing.TB, dir string, env []string, name string, args ...string) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
}

// WriteFile writes content to path, or fails the test.
func WriteFile(t testing.TB, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
