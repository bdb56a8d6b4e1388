package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestVerifyCommand runs "shmemgen verify" as a user would, on a good
// project and on one whose child has been broken.
func TestVerifyCommand(t *testing.T) {
	win.require(t)
	dir := newProject(t, "verify")
	out, err := exec.Command(shmemgen, "verify", dir).CombinedOutput()
	if err != nil || strings.Count(string(out), "ok  ") != 2 {
		t.Fatalf("shmemgen verify on a good project: %v\n%s", err, out)
	}

	child := filepath.Join(dir, "hosts", "c", "child.c")
	src, err := os.ReadFile(child)
	if err != nil {
		t.Fatal(err)
	}
	broken := strings.Replace(string(src), "read from shared memory: ", "read: ", 1)
	if err := os.WriteFile(child, []byte(broken), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(shmemgen, "verify", dir)
	out, err = cmd.CombinedOutput()
	if cmd.ProcessState.ExitCode() != 1 || !strings.Contains(string(out), "parent.exe did not round-trip") {
		t.Errorf("shmemgen verify on a broken child: want exit 1 naming parent.exe, got %v\n%s", err, out)
	}
}
