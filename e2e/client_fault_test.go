package e2e

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestClientKeepsBuffersAlive calls the generated Go client the way it
// failed (issue 17, item 3): goroutines churn the heap with the collector
// at GOGC=1 while another process, trapwriter, holds the lock 30 ms at a
// time, so that a call waits inside the library with nothing but a uintptr
// pointing at its buffer; and each call starts on a fresh goroutine's stack
// at a varying depth, so that some stacks grow, and move, between the
// conversion and the call. Set with fresh strings, WriteBytes with fresh
// slices, ReadBytes into stack arrays and Wait with its generation must
// all read back what they wrote, without a crash. The client before the
// fix handed the library freed memory: Set was TRUNCATED and Get read
// thousands of units of the churn's garbage, ReadBytes filled a stack
// that had moved, and the host crashed. The run must show that sets
// waited for the lock and that stacks moved during calls, or it proves
// nothing. The Linux client passes Go pointers in cgo calls, which keep
// them: there the test shows it.
func TestClientKeepsBuffersAlive(t *testing.T) {
	serial(t)
	overHosts(t, func(t *testing.T, h *host) {
		dir := defaultProject(t)
		bin := filepath.Join(dir, "bin")
		h.cProgram(t, bin, "trapwriter", true)
		clientProgram(t, h, dir, "goclient")
		r := h.run(t, bin, h.Prog("goclient"), "churn", "3000")
		t.Logf("%s", strings.TrimSpace(r.stdout))
		m := regexp.MustCompile(`(?m)^rounds=(\d+) slow_sets=(\d+) stack_moves=(\d+) failed=0$`).FindStringSubmatch(r.stdout)
		if r.status != 0 || m == nil {
			t.Fatalf("the client passed the library a buffer it no longer had:\n%s", r)
		}
		// The run proves something only if calls waited for the lock, and
		// stacks moved under calls.
		if slow, _ := strconv.Atoi(m[2]); slow < 5 {
			t.Errorf("only %d sets waited for trapwriter's lock: the test has no power\n%s", slow, r)
		}
		if moves, _ := strconv.Atoi(m[3]); moves == 0 {
			t.Errorf("no stack moved during a call: the test has no power\n%s", r)
		}
	})
}

// TestClientGetKeepsAbandoned lets a writer die half-way through
// overwriting the shared string (issue 17, item 4). The Go client's Get
// calls the length export, which takes the dead writer's lock over and is
// told ABANDONED, then the get export, which is not: Get must return the
// torn string and an error that errors.Is matches to StatusAbandoned.
func TestClientGetKeepsAbandoned(t *testing.T) {
	serial(t)
	overHosts(t, func(t *testing.T, h *host) {
		dir := defaultProject(t)
		bin := filepath.Join(dir, "bin")
		h.cProgram(t, bin, "trapwriter", true)
		clientProgram(t, h, dir, "goclient")
		r := h.run(t, bin, h.Prog("goclient"), "torn")
		for _, want := range []string{
			"writer: exit=7\n",
			`get: text="TORNre the writer died" abandoned=true` + "\n",
		} {
			if r.status != 0 || !strings.Contains(r.stdout, want) {
				t.Errorf("want %q, got %s", want, r)
			}
		}
	})
}

// clientProgram builds testdata/NAME, a program that uses a project's
// client package, into dir's bin for h. It is built as a package of the
// project through an overlay, so nothing is written into the project, which
// other tests share.
func clientProgram(t *testing.T, h *host, dir, name string) {
	t.Helper()
	src, err := filepath.Abs(filepath.Join("testdata", name, "main.go"))
	if err != nil {
		t.Fatal(err)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		t.Fatal(err)
	}
	pkg := "e2e-" + name
	overlay, err := json.Marshal(map[string]any{
		"Replace": map[string]string{filepath.Join(abs, pkg, "main.go"): src},
	})
	if err != nil {
		t.Fatal(err)
	}
	overlayFile := filepath.Join(t.TempDir(), "overlay.json")
	if err := os.WriteFile(overlayFile, overlay, 0o644); err != nil {
		t.Fatal(err)
	}
	build := exec.Command("go", "build", "-overlay", overlayFile, "-o", filepath.Join(abs, "bin", h.Prog(name)), "./"+pkg)
	build.Dir = abs
	build.Env = append(os.Environ(), "GOOS="+h.System, "GOARCH=amd64", "CGO_ENABLED=0")
	if h.System == "linux" {
		// The Linux client is cgo: dlopen and the trampolines.
		build.Env = append(os.Environ(), "GOOS=linux", "CGO_ENABLED=1")
	}
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build testdata/%s in %s: %v\n%s", name, dir, err, out)
	}
}
