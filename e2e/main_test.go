// Package e2e builds generated projects with mingw-w64 and runs them under
// Wine: the only proof that matters is a child printing what its parent
// wrote. Without mingw-w64 and Wine these tests skip, except under CI=true,
// where they fail.
package e2e

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shmemgen/shmemgen/internal/testenv"
	"github.com/shmemgen/shmemgen/internal/wine"
)

var (
	// shmemgen is the command under test, built once by TestMain.
	shmemgen string
	// scratch holds the prefix and anything shared between tests.
	scratch string
)

func TestMain(m *testing.M) {
	flag.Parse()
	var err error
	scratch, err = os.MkdirTemp("", "shmemgen-e2e-")
	if err != nil {
		panic(err)
	}
	if shmemgen, err = testenv.BuildShmemgen(scratch); err != nil {
		panic(err)
	}
	code := m.Run()
	if sharedPrefix != nil {
		sharedPrefix.Close()
	}
	os.RemoveAll(scratch)
	os.Exit(code)
}

var (
	prefixOnce   sync.Once
	sharedPrefix *wine.Prefix
	prefixErr    error
)

// winePrefix returns the package's one private Wine prefix, made on first use:
// a fresh prefix costs seconds, and the tests run one at a time.
func winePrefix(tb testing.TB) *wine.Prefix {
	tb.Helper()
	testenv.RequireWine(tb)
	prefixOnce.Do(func() {
		sharedPrefix, prefixErr = wine.NewPrefix(filepath.Join(scratch, "wineprefix"))
	})
	if prefixErr != nil {
		tb.Fatalf("making a Wine prefix: %v", prefixErr)
	}
	return sharedPrefix
}

// newProject runs shmemgen new with args into a fresh directory and builds
// it with the project's own build.sh, warnings as errors. It returns the
// project directory.
func newProject(tb testing.TB, name string, args ...string) string {
	tb.Helper()
	testenv.RequireWine(tb)
	dir := filepath.Join(tb.TempDir(), name)
	if err := buildProject(dir, args...); err != nil {
		tb.Fatal(err)
	}
	return dir
}

// result is what a Windows program did.
type result struct {
	stdout, stderr string
	status         int
}

// run runs a Windows program under Wine in dir and returns its output with
// Windows line endings folded.
func run(tb testing.TB, dir, exe string, args ...string) result {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := winePrefix(tb).Command(ctx, exe, args...)
	cmd.Dir = dir
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if ctx.Err() != nil {
		tb.Fatalf("wine %s %v: timed out\nstdout:\n%s\nstderr:\n%s", exe, args, stdout.String(), stderr.String())
	}
	status := 0
	if exit, ok := err.(*exec.ExitError); ok {
		status = exit.ExitCode()
	} else if err != nil {
		tb.Fatalf("wine %s: %v", exe, err)
	}
	fold := func(s string) string { return strings.ReplaceAll(s, "\r\n", "\n") }
	return result{fold(stdout.String()), fold(stderr.String()), status}
}

func (r result) String() string {
	return fmt.Sprintf("status %d\nstdout:\n%s\nstderr:\n%s", r.status, r.stdout, r.stderr)
}

// winePath is path as Windows programs under Wine see it.
func winePath(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		panic(err)
	}
	return wine.Path(abs)
}

// mingw compiles C or C++ sources into a Windows program.
func mingw(tb testing.TB, compiler string, args ...string) {
	tb.Helper()
	if out, err := exec.Command(compiler, args...).CombinedOutput(); err != nil {
		tb.Fatalf("%s %s: %v\n%s", compiler, strings.Join(args, " "), err, out)
	}
}
