package e2e

import (
	"path/filepath"
	"testing"
)

// TestNameSquatting has a squatter hold one of the DLL's three names
// before the DLL loads, in each shape that Windows refuses the DLL: an
// object of another type under the name (ERROR_INVALID_HANDLE), or one of
// the right type whose DACL grants nothing (ERROR_ACCESS_DENIED). Every
// call must fail with SQUATTED, not with a Win32 code that hides the
// cause, and not for the process's life: once the squatter is gone, setup,
// retrying in the background, succeeds, and so do calls.
func TestNameSquatting(t *testing.T) {
	serial(t)
	win.require(t)
	bin := filepath.Join(defaultProject(t), "bin")
	cProgram(t, bin, "squatlock")
	for _, shape := range []string{
		"lock-event", "lock-dacl", "wake-mutex", "wake-dacl", "section-mutex", "section-dacl",
	} {
		t.Run(shape, func(t *testing.T) {
			wantOutput(t, run(t, bin, "squatlock.exe", shape),
				"squatter holds "+shape,
				"set: ok=0 status=SQUATTED",
				"set: ok=0 status=SQUATTED",
				`get: ok=0 status=SQUATTED text=""`,
				"size: 0 status=SQUATTED",
				"squatter killed",
				"set: ok=1 status=0",
				`get: ok=1 status=0 text="after"`,
			)
		})
	}
}
