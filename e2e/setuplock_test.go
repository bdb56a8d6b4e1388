package e2e

import (
	"path/filepath"
	"testing"
)

// TestFailedSetupFreesTheLock makes setup fail after it took the setup
// mutex, and then takes the mutex from the failed process's main thread
// and from a child, while the failed process and its DLL live on: a setup
// that closed the mutex's handle before releasing it would keep the mutex
// owned by a Go thread that never exits, and every other process would
// wait out the lock timeout and then report a spurious ABANDONED.
func TestFailedSetupFreesTheLock(t *testing.T) {
	serial(t)
	win.require(t)
	freed := []string{
		"set: ok=0 status=BAD_LAYOUT",
		"this process: free",
		"child: free",
	}

	t.Run("squatter", func(t *testing.T) {
		// --trust header, so that the squatter's ownerless (under Wine)
		// section reaches the header check, which fails after the mutex
		// was taken.
		bin := filepath.Join(headerProject(t), "bin")
		cProgram(t, bin, "setuplock")
		wantOutput(t, run(t, bin, "setuplock.exe", "squat"), freed...)
	})

	t.Run("two builds of one name with different sizes", func(t *testing.T) {
		small := filepath.Join(defaultProject(t), "bin")
		big := filepath.Join(sharedProject(t, "size-8KiB", "--size", "8KiB"), "bin")
		cProgram(t, small, "setuplock")
		cProgram(t, big, "setuplock")
		want := append([]string{"first: ok=1 status=0 size=4096"}, freed...)
		want = append(want, `first: ok=1 status=0 text="first"`)
		wantOutput(t, run(t, small, "setuplock.exe", "first", winPath(big)), want...)
	})
}
