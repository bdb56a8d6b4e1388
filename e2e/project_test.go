package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
)

// A project costs 5-20 s to generate and build, so the tests that only
// drive the DLL share one per set of flags. It lives under scratch, not
// t.TempDir, which would vanish with the first test that asked for it.
var (
	projectsMu sync.Mutex
	projects   = map[string]*sharedBuild{}
)

type sharedBuild struct {
	once sync.Once
	args []string // shmemgen new's, as first asked for
	only string   // the one system to build for, or "" for each of args'
	dir  string
	err  error
}

// sharedBuildFor returns the build named key, recording args the first
// time it is asked for: a later call with other args is a test's mistake
// (two projects under one name), reported as an error.
func sharedBuildFor(key string, args []string) (*sharedBuild, error) {
	return sharedBuildOnly(key, "", args)
}

// sharedBuildOnly is sharedBuildFor for a build for the one system only,
// or for each of args' systems when only is "".
func sharedBuildOnly(key, only string, args []string) (*sharedBuild, error) {
	projectsMu.Lock()
	defer projectsMu.Unlock()
	p := projects[key]
	if p == nil {
		p = &sharedBuild{args: slices.Clone(args), only: only}
		projects[key] = p
	} else if !sameArgs(p.args, args) || p.only != only {
		return nil, fmt.Errorf("project %s asked for with %q (only %q), but it is built with %q (only %q): give the other flags a name of their own", key, args, only, p.args, p.only)
	}
	return p, nil
}

// build builds p under dir, once; every caller waits for the one build.
func (p *sharedBuild) build(dir string, edit func(string) error) error {
	p.once.Do(func() {
		p.dir = dir
		p.err = buildEditedProject(p.dir, edit, p.only, p.args...)
	})
	return p.err
}

// sharedProject is newProject for a project that several tests and the
// benchmark reuse: built once per test binary, under name, which must be
// the same for the same args. When the whole package runs, TestMain has
// already started building it (see prebuild). A project that
// prebuiltProjects lists is built as its entry says: for Linux alone
// (./build.sh linux, though args may name Windows too) and edited
// between shmemgen new and the build.
func sharedProject(tb testing.TB, name string, args ...string) string {
	tb.Helper()
	requireAny(tb, args)
	spec, listed := prebuiltSpec(name, false)
	if listed && !sameArgs(spec.args, args) {
		tb.Fatalf("sharedProject %s %q: prebuiltProjects lists it with %q", name, args, spec.args)
	}
	if !listed {
		spec = projectSpec{name: name, args: args}
	}
	if spec.only == "linux" {
		lin.require(tb)
	}
	dir, err := spec.build()
	if err != nil {
		tb.Fatal(err)
	}
	return dir
}

// pristineProject returns a project that newProject copies rather than
// builds: one of prebuiltProjects' own (fresh), built once under scratch,
// or false when name with args is not one of them.
func pristineProject(tb testing.TB, name string, args []string) (string, bool) {
	tb.Helper()
	spec, listed := prebuiltSpec(name, true)
	if !listed || !sameArgs(spec.args, args) {
		return "", false
	}
	dir, err := spec.build()
	if err != nil {
		tb.Fatal(err)
	}
	return dir, true
}

// prebuiltSpec returns prebuiltProjects' entry for name, one a test copies
// (fresh) or one tests share (not fresh), and whether there is one.
func prebuiltSpec(name string, fresh bool) (projectSpec, bool) {
	for _, spec := range prebuiltProjects() {
		if spec.name == name && spec.fresh == fresh {
			return spec, true
		}
	}
	return projectSpec{}, false
}

// projectSpec is a project the tests make: name and shmemgen new's args,
// as the test passes them; whether it is a test's own (fresh: newProject
// copies it) or shared (sharedProject); and the edit that
// buildEditedProject makes between shmemgen new and the build.
type projectSpec struct {
	name  string
	args  []string
	fresh bool
	only  string // "linux": built for Linux alone
	edit  func(dir string) error
}

// build builds s once per test binary, under scratch (see sharedBuild),
// and returns its directory: a fresh project under pristine/, for
// newProject to copy, a shared one under projects/.
func (s projectSpec) build() (string, error) {
	key, dir := s.name, filepath.Join(scratch, "projects", s.name)
	if s.fresh {
		key, dir = "new:"+s.name, filepath.Join(scratch, "pristine", s.name)
	}
	p, err := sharedBuildOnly(key, s.only, s.args)
	if err != nil {
		return "", err
	}
	if err := p.build(dir, s.edit); err != nil {
		return "", err
	}
	return p.dir, nil
}

// prebuiltProjects lists the projects the tests ask for, in about the
// order they first do. A run of the whole package builds them in the
// background from TestMain, while the first tests run (see prebuild); a
// project left out here is built when a test asks for it, as before, so
// the list is an optimisation, never a requirement. Keep each entry's
// args exactly as its test passes them (the order of flag pairs aside):
// sharedProject fails on a mismatch, and newProject then builds afresh.
func prebuiltProjects() []projectSpec {
	def := []string(nil)
	if hasOS() {
		def = []string{"--os", "windows,linux"}
	}
	return []projectSpec{
		{name: "default", args: def},
		{name: "trust-header", args: []string{"--trust", "header"}},
		{name: "sddl-least", args: []string{"--sddl", leastSDDL}, fresh: true},
		{name: "x86", args: x86Args()},
		{name: "bindings-rust", args: withOS("--bindings", "rust")},
		{name: "huge", args: goldenArgs("huge"), fresh: true},
		{name: "timeout-0s", args: withOS("--lock-timeout", "0s")},
		{name: "timeout-200ms", args: withOS("--lock-timeout", "200ms")},
		{name: "timeout-200ms-header", args: []string{"--lock-timeout", "200ms", "--trust", "header"}},
		{name: "telemetry", args: customArgs, fresh: true},
		{name: "nearmiss", args: nearMissArgs(), fresh: true},
		{name: "sddl-bogus", args: []string{"--sddl", "D:(BOGUS)"}, fresh: true},
		{name: "sddl-deny", args: []string{"--sddl", "D:P"}, fresh: true},
		{name: "size-8KiB", args: []string{"--size", "8KiB"}},
		{name: "trust-owner-sid", args: []string{"--trust", "owner", "--owner", otherUser}},
		{name: "trust-namespace", args: goldenArgs("namespace")},
		{name: "record", args: recordArgs},
		{name: "recordjson", args: jsonRecordArgs},
		{name: "nested", args: nestedArgs, fresh: true, edit: nestRecord},
		{name: "record-other", args: otherRecordArgs()},
		{name: "global", args: globalArgs, fresh: true, edit: addDenyCreate},
		// Last: Rust and Mono take a while, and their tests are alone,
		// which start when every project here is built.
		{name: "bindings", args: bindingsArgs("bindings"), only: "linux"},
		{name: "bindings-record", args: bindingsArgs("bindrec"), only: "linux", edit: addEveryType},
	}
}

// prebuilding is the background builds, which TestMain waits for before
// it removes scratch.
var prebuilding sync.WaitGroup

// prebuild starts building prebuiltProjects in the background, workers at
// a time, in their order. TestMain calls it only for a run of the whole
// package: a -run subset would pay for projects it never uses.
func prebuild(workers int) {
	specs := prebuiltProjects()
	next := make(chan projectSpec)
	go func() {
		for _, s := range specs {
			next <- s
		}
		close(next)
	}()
	for range workers {
		prebuilding.Add(1)
		go func() {
			defer prebuilding.Done()
			for s := range next {
				if !anyAvailable(s.args) || (s.only == "linux" && !lin.available()) {
					continue
				}
				s.build() // a failure is the test's to report, when it asks
			}
		}()
	}
}

// sameArgs reports whether a and b are the same shmemgen new arguments:
// the same --flag value pairs, in any order.
func sameArgs(a, b []string) bool {
	return slices.Equal(flagPairs(a), flagPairs(b))
}

// flagPairs is args as sorted "flag value" pairs, or args itself when they
// do not pair up.
func flagPairs(args []string) []string {
	if len(args)%2 != 0 {
		return args
	}
	var pairs []string
	for i := 0; i < len(args); i += 2 {
		pairs = append(pairs, args[i]+"\x00"+args[i+1])
	}
	slices.Sort(pairs)
	return pairs
}

// generatedProject runs shmemgen new with args into a fresh directory,
// name, and builds nothing: for a test whose command builds the project
// itself (shmemgen verify).
func generatedProject(tb testing.TB, name string, args ...string) string {
	tb.Helper()
	requireAny(tb, args)
	dir := filepath.Join(tb.TempDir(), name)
	newArgs := append([]string{"new", "--out", dir}, args...)
	if out, err := exec.Command(shmemgen, newArgs...).CombinedOutput(); err != nil {
		tb.Fatalf("shmemgen %s: %v\n%s", strings.Join(newArgs, " "), err, out)
	}
	return dir
}

// buildProject runs shmemgen new with args into dir and builds the project
// with its own build.sh, warnings as errors, for each of its systems that
// this machine has a host for (build.sh SYSTEM). It reports failure as an
// error because it may run on behalf of several tests.
func buildProject(dir string, args ...string) error {
	return buildEditedProject(dir, nil, "", args...)
}

// buildEditedProject is buildProject with edit, when not nil, run on the
// project between shmemgen new and the build: to add a test-only file. It
// builds for only, when not "", alone.
func buildEditedProject(dir string, edit func(dir string) error, only string, args ...string) error {
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
		if !h.available() || (only != "" && h.System != only) {
			continue
		}
		build := exec.Command(bash(), "build.sh", h.System)
		build.Dir = dir
		build.Env = h.buildEnv()
		if out, err := build.CombinedOutput(); err != nil {
			return fmt.Errorf("build.sh %s in %s: %v\n%s", h.System, dir, err, out)
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
		if strings.Contains(systems, h.System) {
			hs = append(hs, h)
		}
	}
	return hs
}

// anyAvailable reports whether this machine has a host for one of the
// systems of a project made with args.
func anyAvailable(args []string) bool {
	for _, h := range projectHosts(args) {
		if h.available() {
			return true
		}
	}
	return false
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
