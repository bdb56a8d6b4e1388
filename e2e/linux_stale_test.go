package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// linuxSegment returns a segment name of the test's own, base and the path
// /dev/shm/base, removed before the test and after it: a POSIX name
// outlives its processes, and the process id keeps two test binaries
// apart.
func linuxSegment(t *testing.T, what string) (base, segment string) {
	t.Helper()
	base = fmt.Sprintf("shmemgen-e2e-%s-%d", what, os.Getpid())
	segment = "/dev/shm/" + base
	os.Remove(segment)
	t.Cleanup(func() { os.Remove(segment) })
	return base, segment
}

// buildLinux runs the project's ./build.sh linux, warnings as errors.
func buildLinux(t *testing.T, dir string) {
	t.Helper()
	build := exec.Command(bash(), "build.sh", "linux")
	build.Dir = dir
	build.Env = lin.buildEnv()
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("./build.sh linux in %s: %v\n%s", dir, err, out)
	}
}

// TestLinuxStaleSegment is issue 22's first complaint, on Linux: change
// size in shmemgen.yaml, generate, build, and the segment the old build
// made is still in /dev/shm with the old size. Every host must then say
// what is in the way, the segment's path, and how to clear it, with the
// status's text and its code; --unlink (C parent and child, Go parent)
// clears it, after which the hosts round-trip on a segment of the new
// size. The project has a name of its own.
func TestLinuxStaleSegment(t *testing.T) {
	lin.require(t)
	alone(t)
	base, segment := linuxSegment(t, "stale")
	dir := filepath.Join(t.TempDir(), "proj")
	if out, err := exec.Command(shmemgen, "new", "--os", "windows,linux", "--name", `Local\`+base, "--out", dir).CombinedOutput(); err != nil {
		t.Fatalf("shmemgen new: %v\n%s", err, out)
	}
	buildLinux(t, dir)
	bin := filepath.Join(dir, "bin")
	const read = "Child process read from shared memory: This is a test string"
	roundTrip := func(t *testing.T, parent string) {
		t.Helper()
		wantOutput(t, lin.run(t, bin, parent), "Process is writing to shared memory...", read)
	}
	roundTrip(t, "parent")

	// The size, changed as a user would: in shmemgen.yaml, then generate.
	answers := filepath.Join(dir, "shmemgen.yaml")
	data, err := os.ReadFile(answers)
	if err != nil {
		t.Fatal(err)
	}
	sized := regexp.MustCompile(`(?m)^  size: .*$`)
	if !sized.Match(data) {
		t.Fatalf("shmemgen.yaml has no size line:\n%s", data)
	}
	if err := os.WriteFile(answers, sized.ReplaceAll(data, []byte("  size: 8KiB")), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(shmemgen, "generate", dir).CombinedOutput(); err != nil {
		t.Fatalf("shmemgen generate: %v\n%s", err, out)
	}
	buildLinux(t, dir)

	// What every host says: the segment, how to remove it and the
	// status's code, and the C hosts its name too (the Go client's
	// errors.Is tells a Go program which it is).
	stale := func(t *testing.T, who string, r result, code ...string) {
		t.Helper()
		for _, want := range append([]string{who + ": ", segment, "bin/parent --unlink", "rm " + segment}, code...) {
			if r.status == 0 || !strings.Contains(r.stderr, want) {
				t.Errorf("%s on a stale segment: want it to fail naming %q, got %s", who, want, r)
			}
		}
	}
	r := lin.run(t, bin, "parent")
	stale(t, "parent", r, "BAD_LAYOUT", "(status 0x20000001)")
	if !strings.Contains(r.stderr, "parent: SetSharedMem failed: BAD_LAYOUT: the segment "+segment) {
		t.Errorf("parent's message is not `parent: SetSharedMem failed: TEXT (status CODE)`:\n%s", r.stderr)
	}
	stale(t, "parent-go", lin.run(t, bin, "parent-go"), "(0x20000001)")
	stale(t, "child", lin.run(t, bin, "child"), "BAD_LAYOUT", "(status 0x20000001)")
	r = lin.run(t, bin, "child", "--next")
	stale(t, "child", r, "BAD_LAYOUT", "(status 0x20000001)")
	if !strings.Contains(r.stderr, "child: WaitSharedMem failed: BAD_LAYOUT: ") {
		t.Errorf("child --next's message is not `child: WaitSharedMem failed: TEXT (status CODE)`:\n%s", r.stderr)
	}

	unlink := func(t *testing.T, who string) {
		t.Helper()
		wantOutput(t, lin.run(t, bin, who, "--unlink"), who+": removed "+segment+"; the next process creates it afresh")
		if _, err := os.Lstat(segment); !os.IsNotExist(err) {
			t.Errorf("%s --unlink left %s behind (%v)", who, segment, err)
		}
	}
	unlink(t, "parent")
	roundTrip(t, "parent")
	if st, err := os.Stat(segment); err != nil || st.Size() <= 8192 || st.Size() > 8192+4096 {
		t.Errorf("after --unlink, the new build's segment: %v, want 8 KiB and a header", err)
	}

	// The Go parent, and the C child, clear a stale segment too: one with
	// a header of no build's, left under the name.
	garbage := func() {
		if err := os.WriteFile(segment, []byte(strings.Repeat("stale segment ", 1024)), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	garbage()
	unlink(t, "parent-go")
	roundTrip(t, "parent-go")
	garbage()
	unlink(t, "child")
	roundTrip(t, "parent")
}
