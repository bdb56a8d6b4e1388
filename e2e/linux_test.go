package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// linuxSquatting is TestSquatting on Linux, where a name outlives its
// processes: a segment that another program, or a crashed run of another
// layout, left under the name must be refused, untouched, with the layout
// status; one another user owns, even with a valid header, with SQUATTED.
func linuxSquatting(t *testing.T) {
	lin.require(t)
	bin := filepath.Join(defaultProject(t), "bin")
	shm := lin.cProgram(t, bin, "shm", false)
	refused := []string{
		"set: ok=0 status=BAD_LAYOUT",
		`get: ok=0 status=BAD_LAYOUT text=""`,
		"size: 0 status=BAD_LAYOUT",
		"segment untouched: 1",
	}
	for _, kind := range []string{"garbage", "small", "version"} {
		t.Run(kind, func(t *testing.T) {
			lin.fresh(t)
			wantOutput(t, lin.run(t, bin, "shm", "create", kind), "created "+kind)
			wantOutput(t, lin.run(t, bin, "shm", "call"), refused...)
		})
	}
	// The control: a segment made as the header's protocol says, by the
	// same user, is no squatter.
	t.Run("valid header", func(t *testing.T) {
		lin.fresh(t)
		wantOutput(t, lin.run(t, bin, "shm", "create", "valid"), "created valid")
		wantOutput(t, lin.run(t, bin, "shm", "call"),
			"set: ok=1 status=0",
			`get: ok=1 status=0 text="squatted"`,
			"size: 4096 status=0",
			"segment untouched: 0",
		)
	})
	// Another owner can only be shown from root: root opens anyone's
	// segment, and the library must refuse it by its owner.
	t.Run("another owner", func(t *testing.T) {
		if os.Geteuid() != 0 {
			t.Skip("a segment of another user's can only be made here as root (setpriv to nobody)")
		}
		setpriv, err := exec.LookPath("setpriv")
		if err != nil {
			t.Skip("no setpriv to create the segment as nobody")
		}
		lin.fresh(t)
		// nobody cannot reach the test's private directories: its own copy.
		dir, err := os.MkdirTemp("", "shmemgen-squatter-")
		if err != nil {
			t.Fatal(err)
		}
		defer os.RemoveAll(dir)
		data, err := os.ReadFile(shm)
		if err != nil {
			t.Fatal(err)
		}
		squatter := filepath.Join(dir, "shm")
		if err := os.WriteFile(squatter, data, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		// It loads no library: create makes the segment and exits. Valid:
		// a header the library would accept from its own user; empty: a
		// segment whose creator died before its ftruncate, which the
		// library sets up only for its own user.
		for _, kind := range []string{"valid", "empty"} {
			lin.fresh(t)
			out, err := exec.Command(setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", squatter, "create", kind).CombinedOutput()
			if err != nil {
				t.Fatalf("creating the segment as nobody: %v\n%s", err, out)
			}
			wantOutput(t, lin.run(t, bin, "shm", "call"),
				"set: ok=0 status=SQUATTED",
				`get: ok=0 status=SQUATTED text=""`,
				"size: 0 status=SQUATTED",
				"segment untouched: 1",
			)
			if st, err := os.Stat("/dev/shm/dllmemfilemap"); err != nil || kind == "empty" && st.Size() != 0 {
				t.Errorf("another user's %s segment, after a call: %v, want it untouched", kind, err)
			}
		}
	})
}

// TestUnlink: a POSIX name outlives its processes. The unlink export
// removes it, after which the next process gets a fresh, zeroed segment at
// generation 1; a stale segment of another layout under the name is
// reported, not misread, and the unlink export removes it too. An unlink
// called the moment the library is loaded, before its setup has run, is
// not undone by that setup, which would create the name again behind it
// (a process that goes on works on a segment no other process can open,
// as it would after any unlink). On Windows
// the export is a no-op that returns TRUE and the data stays while a
// process has the mapping.
func TestUnlink(t *testing.T) {
	serial(t)
	if !hasOS() {
		t.Skip("this shmemgen has no --os, and no unlink export")
	}
	overHosts(t, func(t *testing.T, h *host) {
		bin := filepath.Join(defaultProject(t), "bin")
		if h.System == "windows" {
			h.cProgram(t, bin, "unlink", true)
			wantOutput(t, h.run(t, bin, h.Prog("unlink")), "unlink: ok=1 status=0", `get: ok=1 text="kept"`)
			return
		}
		h.cProgram(t, bin, "shm", false)
		wantOutput(t, h.run(t, bin, "shm", "set", "outlives"), "set: ok=1 status=0")
		if _, err := os.Stat("/dev/shm/dllmemfilemap"); err != nil {
			t.Errorf("the segment did not outlive its process: %v", err)
		}
		wantOutput(t, h.run(t, bin, "shm", "unlink"), "unlink: ok=1 gone=1")
		wantOutput(t, h.run(t, bin, "shm", "fresh"),
			`get: ok=1 status=0 text=""`,
			"payload zeroed: 1 generation=1",
		)
		// Before the library's setup: ten processes, since that setup
		// runs on a thread of its own as the library loads.
		for range 10 {
			h.fresh(t)
			wantOutput(t, h.run(t, bin, "shm", "unlink-set", "orphan"), "unlink: ok=1", "set: ok=1 status=0", "gone=1")
		}
		// A stale segment of another layout is refused, and unlinked.
		h.fresh(t)
		wantOutput(t, h.run(t, bin, "shm", "create", "version"), "created version")
		wantOutput(t, h.run(t, bin, "shm", "call"),
			"set: ok=0 status=BAD_LAYOUT",
			`get: ok=0 status=BAD_LAYOUT text=""`,
			"size: 0 status=BAD_LAYOUT",
			"segment untouched: 1",
		)
		wantOutput(t, h.run(t, bin, "shm", "unlink"), "unlink: ok=1 gone=1")
		wantOutput(t, h.run(t, bin, "shm", "fresh"),
			`get: ok=1 status=0 text=""`,
			"payload zeroed: 1 generation=1",
		)
	})
}
