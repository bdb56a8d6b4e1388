package e2e

import (
	"bytes"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestVerifyLinuxSegment: shmemgen verify's Linux round trips create the
// segment, which outlives them; verify must remove the one it created, so
// that it leaves nothing to stand in the way of the next build, and must
// leave alone one that was there before it: here a stale one, on which
// verify fails saying what is in the way and how to clear it. The two
// projects have names of their own, and each verify a Wine prefix of its
// own, so they run side by side.
func TestVerifyLinuxSegment(t *testing.T) {
	lin.require(t)
	win.require(t)
	alone(t)
	project := func(what string) (dir, segment string) {
		base, segment := linuxSegment(t, what)
		return generatedProject(t, what, "--os", "windows,linux", "--name", `Local\`+base), segment
	}
	cleanDir, cleanSegment := project("verify-clean")
	staleDir, staleSegment := project("verify-stale")
	stale := bytes.Repeat([]byte("not this build's "), 512)
	if err := os.WriteFile(staleSegment, stale, 0o600); err != nil {
		t.Fatal(err)
	}

	type verified struct {
		out []byte
		err error
	}
	verify := func(dir string) verified {
		out, err := exec.Command(shmemgen, "verify", "--pair", "c", dir).CombinedOutput()
		return verified{out, err}
	}
	done := make(chan verified)
	go func() { done <- verify(staleDir) }()
	clean := verify(cleanDir)
	staled := <-done

	if clean.err != nil || !strings.Contains(string(clean.out), "c-linux") {
		t.Fatalf("shmemgen verify --pair c, on a project with linux: %v\n%s", clean.err, clean.out)
	}
	if _, err := os.Lstat(cleanSegment); !os.IsNotExist(err) {
		t.Errorf("shmemgen verify left %s behind (%v): the segment it created must go with it", cleanSegment, err)
	}

	if staled.err == nil {
		t.Errorf("shmemgen verify on a stale segment passed:\n%s", staled.out)
	}
	for _, want := range []string{"verify failed at step c-linux", staleSegment, "bin/parent --unlink"} {
		if !strings.Contains(string(staled.out), want) {
			t.Errorf("shmemgen verify on a stale segment: want it to name %q, got %v\n%s", want, staled.err, staled.out)
		}
	}
	if got, err := os.ReadFile(staleSegment); err != nil || !bytes.Equal(got, stale) {
		t.Errorf("shmemgen verify removed or changed %s, which was there before it: %v", staleSegment, err)
	}
}
