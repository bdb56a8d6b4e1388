package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestVerifyCommand runs "shmemgen verify" as a user would, on a good
// project and on one whose child has been broken. Under Wine each verify
// makes a prefix of its own, so the two run side by side, beside the
// other tests that are alone; natively they would share the names.
func TestVerifyCommand(t *testing.T) {
	if win.Wine {
		alone(t) // verify's own prefixes
	} else {
		serial(t)
	}
	win.require(t)
	// verify builds the project itself: a built copy would be built again.
	dir := generatedProject(t, "verify")
	brokenDir := generatedProject(t, "verify")

	child := filepath.Join(brokenDir, "hosts", "c", "child.c")
	src, err := os.ReadFile(child)
	if err != nil {
		t.Fatal(err)
	}
	broken := strings.Replace(string(src), "read from shared memory: ", "read: ", 1)
	if err := os.WriteFile(child, []byte(broken), 0o644); err != nil {
		t.Fatal(err)
	}

	type verified struct {
		out  []byte
		err  error
		code int
	}
	verify := func(dir string) verified {
		cmd := exec.Command(shmemgen, "verify", dir)
		out, err := cmd.CombinedOutput()
		return verified{out, err, cmd.ProcessState.ExitCode()}
	}
	var good, bad verified
	if win.Wine {
		done := make(chan struct{})
		go func() {
			defer close(done)
			bad = verify(brokenDir)
		}()
		good = verify(dir)
		<-done
	} else {
		good, bad = verify(dir), verify(brokenDir)
	}

	if good.err != nil || strings.Count(string(good.out), "ok  ") != 2 || !strings.Contains(string(good.out), "\nverify: ok, 6 steps, ") {
		t.Errorf("shmemgen verify on a good project: %v\n%s\nwant two ok lines and the summary verify: ok, 6 steps", good.err, good.out)
	}
	if bad.code != 1 || !strings.Contains(string(bad.out), "parent.exe did not round-trip") || !strings.Contains(string(bad.out), "\nverify: FAILED at c, 5 steps, ") {
		t.Errorf("shmemgen verify on a broken child: want exit 1 naming parent.exe, and the summary verify: FAILED at c, 5 steps; got %v\n%s", bad.err, bad.out)
	}
}
