package e2e

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestHolderAlive holds the lock, inside a real export, with processes
// that look dead to a simple check but are not, or are dead but look
// alive. On Linux a holder whose main thread ended (pthread_exit) while
// another of its threads writes shows as a zombie in /proc: the lock must
// wait for it, never take it over (had it, the holder's write would count
// after the set, and the set would say ABANDONED). Everywhere, a holder
// that dies with exit code 259, Windows' STILL_ACTIVE, while the driver
// keeps a handle to it open, must be taken over, and its write read as
// ABANDONED, not waited for until the timeout.
func TestHolderAlive(t *testing.T) {
	serial(t)
	overHosts(t, func(t *testing.T, h *host) {
		bin := filepath.Join(defaultProject(t), "bin")
		h.cProgram(t, bin, "alive", true)
		if h.System == "linux" {
			wantOutput(t, h.run(t, bin, h.Prog("alive"), "thread"),
				"holder inside the lock",
				"set: ok=1 status=0 writes=2",
				"holder exit=0",
			)
		}
		code := map[string]string{"windows": "259", "linux": "3"}[h.System] // 259 & 0xff on Linux
		wantOutput(t, h.run(t, bin, h.Prog("alive"), "exit259"),
			"holder inside the lock",
			"holder exit="+code,
			"read its bytes: ok=1 status=ABANDONED",
			`get: ok=1 status=0 text="before"`,
		)
	})
}

// TestLastErrorKept calls every export with a sentinel in the caller's
// last error (GetLastError, errno) and wants it there after: on the fast
// paths, on failures, waiting for a live holder, taking the lock over
// from a dead one, and in a wait that times out.
func TestLastErrorKept(t *testing.T) {
	serial(t)
	overHosts(t, func(t *testing.T, h *host) {
		bin := filepath.Join(defaultProject(t), "bin")
		h.cProgram(t, bin, "lasterror", true)
		r := h.run(t, bin, h.Prog("lasterror"))
		lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
		if r.status != 0 || len(lines) != 17 {
			t.Fatalf("want 17 lines, one per call: got %s", r)
		}
		for _, line := range lines {
			if !strings.HasSuffix(line, ": kept") {
				t.Errorf("%s", line)
			}
		}
	})
}
