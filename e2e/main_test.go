// Package e2e builds generated projects with their own build.sh and runs
// them: the only proof that matters is a child printing what its parent
// wrote. A project's Windows build runs under Wine (mingw-w64 builds it)
// or, on Windows, natively; its Linux build runs natively on Linux (see
// host). Without the tools a host needs its tests skip, except under
// CI=true, where they fail.
package e2e

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"

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
	if testing.Short() {
		// The inner loop (go test -short ./...): every test here builds a
		// project and runs it, which takes minutes. A choice, not a
		// missing tool, so it holds under CI=true too.
		fmt.Println("e2e: skipped under -short")
		os.Exit(0)
	}
	// Every test is parallel to go test, so that the tests that are alone
	// run beside the chain of the others (see serial and alone), which
	// wait their turn and would deadlock if they held go test's every
	// slot: -parallel as high as the tests are many, the package pacing
	// them itself. A -parallel of the caller's keeps go test's own
	// order: the chain first, one at a time, then the alone tests.
	parallelSet := false
	flag.Visit(func(f *flag.Flag) { parallelSet = parallelSet || f.Name == "test.parallel" })
	if !parallelSet {
		flag.Set("test.parallel", "1000")
		chained = true
	}
	var err error
	scratch, err = os.MkdirTemp("", "shmemgen-e2e-")
	if err != nil {
		panic(err)
	}
	if shmemgen, err = testenv.BuildShmemgen(scratch); err != nil {
		panic(err)
	}
	if f := flag.Lookup("test.run"); f != nil && f.Value.String() == "" {
		// The whole package: build its projects ahead of the tests, and
		// make the Wine prefix (seconds of waiting on wineboot) meanwhile.
		prebuild(prebuildWorkers)
		if win.Wine && win.available() {
			prebuilding.Add(1)
			go func() {
				defer prebuilding.Done()
				makePrefix()
			}()
		}
	}
	code := m.Run()
	prebuilding.Wait()
	if sharedPrefix != nil {
		sharedPrefix.Close()
	}
	os.RemoveAll(scratch)
	os.Exit(code)
}

var (
	hasOSOnce sync.Once
	hasOSFlag bool
)

var (
	prefixOnce   sync.Once
	sharedPrefix *wine.Prefix
	prefixErr    error
)

// makePrefix makes the package's Wine prefix, once.
func makePrefix() {
	prefixOnce.Do(func() {
		sharedPrefix, prefixErr = wine.NewPrefix(filepath.Join(scratch, "wineprefix"))
	})
}

// winePrefix returns the package's one private Wine prefix, made on first use:
// a fresh prefix costs seconds, and the tests that use it take turns (serial).
func winePrefix(tb testing.TB) *wine.Prefix {
	tb.Helper()
	testenv.RequireWine(tb)
	makePrefix()
	if prefixErr != nil {
		tb.Fatalf("making a Wine prefix: %v", prefixErr)
	}
	return sharedPrefix
}

// prebuildWorkers is how many projects TestMain builds at once in the
// background, beside the tests themselves. A build is mostly one process
// at a time (cgo's compiles, the link), so two keep both cores of a
// two-core machine busy while the tests wait for Wine.
var prebuildWorkers = 2

// newProject runs shmemgen new with args into a fresh directory and builds
// it with the project's own build.sh, warnings as errors. It returns the
// project directory. A project in prebuiltProjects (fresh) is built once
// and copied.
func newProject(tb testing.TB, name string, args ...string) string {
	tb.Helper()
	requireAny(tb, args)
	dir := filepath.Join(tb.TempDir(), name)
	if src, ok := pristineProject(tb, name, args); ok {
		// Built once, maybe ahead of time; the test gets its own copy.
		if err := os.CopyFS(dir, os.DirFS(src)); err != nil {
			tb.Fatal(err)
		}
		return dir
	}
	if err := buildProject(dir, args...); err != nil {
		tb.Fatal(err)
	}
	return dir
}

// alone marks t as a test whose programs share no named object with any
// other test's (their mapping has a name of its own, or they run in a Wine
// prefix of their own). Such tests run side by side, beside the chain of
// the others (see serial), as many at once as the machine has cores, once
// the projects built ahead (prebuild) are: until then the builds have the
// cores. Call it first.
func alone(t *testing.T) {
	t.Helper()
	t.Parallel()
	if !chained {
		return // go test's order: after the chain, -parallel at a time
	}
	prebuilding.Wait()
	aloneSlots <- struct{}{}
	t.Cleanup(func() { <-aloneSlots })
}

// aloneSlots paces the tests that are alone: each holds a slot while it
// runs.
var aloneSlots = make(chan struct{}, runtime.GOMAXPROCS(0))

// serial marks t as one of the chain: the tests whose programs use the
// default mapping name (or another the chain shares) on Linux or in the
// package's Wine prefix, and so run one at a time, in the order go test
// starts them (the order of the files and of the tests in them), while
// the tests that are alone run beside them. Call it first.
func serial(t *testing.T) {
	t.Helper()
	if !chained {
		return // go test runs the tests that are not parallel one by one
	}
	chainMu.Lock()
	turn := chainIssued
	chainIssued++
	chainMu.Unlock()
	// go test starts each test when the one before it has returned or
	// called Parallel, so turns follow the order of the tests.
	t.Parallel()
	chainMu.Lock()
	for chainServing != turn {
		chainTurn.Wait()
	}
	chainMu.Unlock()
	t.Cleanup(func() {
		chainMu.Lock()
		chainServing++
		chainMu.Unlock()
		chainTurn.Broadcast()
	})
}

var (
	// chained is whether the chain's tests are parallel to go test and
	// take turns (serial) beside the alone ones: unless -parallel is set.
	chained bool
	// The chain's turns: the next to issue, and the one running.
	chainMu                   sync.Mutex
	chainTurn                 = sync.NewCond(&chainMu)
	chainIssued, chainServing int
)

// run runs a Windows program on the Windows host.
func run(tb testing.TB, dir, exe string, args ...string) result {
	tb.Helper()
	return win.run(tb, dir, exe, args...)
}

func (r result) String() string {
	return fmt.Sprintf("status %d\nstdout:\n%s\nstderr:\n%s", r.status, r.stdout, r.stderr)
}

// winPath is path as the Windows host's programs see it.
func winPath(path string) string { return win.path(path) }

// mingw compiles C or C++ sources into a Windows program.
func mingw(tb testing.TB, compiler string, args ...string) {
	tb.Helper()
	win.compile(tb, compiler, args...)
}
