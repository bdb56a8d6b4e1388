package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// A project costs 10-20 s to generate and build, so the tests that only
// drive the DLL share one per set of flags. It lives under scratch, not
// t.TempDir, which would vanish with the first test that asked for it.
var (
	projectsMu sync.Mutex
	projects   = map[string]*sharedBuild{}
)

type sharedBuild struct {
	once sync.Once
	dir  string
	err  error
}

// sharedProject is newProject for a project that several tests and the
// benchmark reuse: built once per test binary, under name, which must be
// the same for the same args.
func sharedProject(tb testing.TB, name string, args ...string) string {
	tb.Helper()
	requireAny(tb, args)
	projectsMu.Lock()
	p := projects[name]
	if p == nil {
		p = &sharedBuild{}
		projects[name] = p
	}
	projectsMu.Unlock()
	p.once.Do(func() {
		p.dir = filepath.Join(scratch, "projects", name)
		p.err = buildProject(p.dir, args...)
	})
	if p.err != nil {
		tb.Fatal(p.err)
	}
	return p.dir
}

// buildProject runs shmemgen new with args into dir and builds the project
// with its own build.sh, warnings as errors, for each of its systems that
// this machine has a host for (build.sh SYSTEM). It reports failure as an
// error because it may run on behalf of several tests.
func buildProject(dir string, args ...string) error {
	return buildEditedProject(dir, nil, args...)
}

// buildEditedProject is buildProject with edit, when not nil, run on the
// project between shmemgen new and the build: to add a test-only file.
func buildEditedProject(dir string, edit func(dir string) error, args ...string) error {
	newArgs := append([]string{"new", "--out", dir}, args...)
	if out, err := exec.Command(shmemgen, newArgs...).CombinedOutput(); err != nil {
		return fmt.Errorf("shmemgen %s: %v\n%s", strings.Join(newArgs, " "), err, out)
	}
	if edit != nil {
		if err := edit(dir); err != nil {
			return err
		}
	}
	for _, h := range projectHosts(args) {
		if !h.available() {
			continue
		}
		build := exec.Command(bash(), "build.sh", h.system)
		build.Dir = dir
		build.Env = h.buildEnv()
		if out, err := build.CombinedOutput(); err != nil {
			return fmt.Errorf("build.sh %s in %s: %v\n%s", h.system, dir, err, out)
		}
	}
	return nil
}

// projectHosts returns the hosts of the systems a project made with args
// (shmemgen new's) is for: --os, windows by default.
func projectHosts(args []string) []*host {
	systems := "windows"
	for i, a := range args {
		if a == "--os" && i+1 < len(args) {
			systems = args[i+1]
		}
	}
	var hs []*host
	for _, h := range hosts {
		if strings.Contains(systems, h.system) {
			hs = append(hs, h)
		}
	}
	return hs
}

// requireAny skips tb unless this machine has a host for one of the
// systems of a project made with args, or fails it under CI.
func requireAny(tb testing.TB, args []string) {
	tb.Helper()
	hs := projectHosts(args)
	for _, h := range hs {
		if h.available() {
			return
		}
	}
	hs[0].require(tb)
}

// defaultProject is the project of `shmemgen new` with no flags but --os
// windows,linux: a 4096-byte payload under dllmemfilemap, a 5 s lock
// timeout and the default export names, which the C programs in testdata
// assume. Its Windows build is the one `shmemgen new` alone makes; one
// project serves both systems because a build is slow.
func defaultProject(tb testing.TB) string {
	tb.Helper()
	if !hasOS() {
		return sharedProject(tb, "default")
	}
	return sharedProject(tb, "default", "--os", "windows,linux")
}

// cProgram compiles testdata/<name>.c for the Windows host: see
// host.cProgram. Extra args go last (a DLL to link, -D...).
func cProgram(tb testing.TB, bin, name string, extra ...string) string {
	tb.Helper()
	return win.cProgram(tb, bin, name, false, extra...)
}

// sampleEnv names the variable that points the tests at Microsoft's sample
// (dllmem.c, parent.cpp, child.cpp): its sources are not ours to ship, so
// the repository does not hold them. .ci/run sets it when the sample is there.
const sampleEnv = "SHMEMGEN_SAMPLE_DIR"

// sampleDir returns the sample's directory from sampleEnv, skipping the test
// when the variable is unset and failing when it names no sample.
func sampleDir(tb testing.TB) string {
	tb.Helper()
	dir := os.Getenv(sampleEnv)
	if dir == "" {
		tb.Skipf("%s is not set: set it to the directory of Microsoft's sample (dllmem.c, parent.cpp, child.cpp) to run this", sampleEnv)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		tb.Fatal(err)
	}
	for _, f := range []string{"dllmem.c", "parent.cpp", "child.cpp"} {
		if _, err := os.Stat(filepath.Join(abs, f)); err != nil {
			tb.Fatalf("%s=%s: not the sample: %v", sampleEnv, dir, err)
		}
	}
	return abs
}

// sampleDLL builds the sample's C DLL, which has no lock and no layout, into
// its own directory under dir: it maps the same name as the default project
// and must not be found beside the generated one.
func sampleDLL(tb testing.TB, dir string) string {
	tb.Helper()
	seed := filepath.Join(sampleDir(tb), "dllmem.c")
	bin := filepath.Join(dir, "sample")
	if err := os.MkdirAll(bin, 0o755); err != nil {
		tb.Fatal(err)
	}
	win.compile(tb, win.cc, "-O2", "-shared", "-o", filepath.Join(bin, "dllmem.dll"), seed)
	return bin
}

// wantOutput fails unless r exited 0 and printed exactly want, line by line.
func wantOutput(t *testing.T, r result, want ...string) {
	t.Helper()
	got := strings.TrimSpace(r.stdout)
	if r.status != 0 || got != strings.Join(want, "\n") {
		t.Errorf("got %s\nwant stdout:\n%s", r, strings.Join(want, "\n"))
	}
}
