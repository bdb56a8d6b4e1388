package e2e

import (
	"path/filepath"
	"testing"
)

// TestHugeMapping builds a 5 GiB mapping: a size over 4 GiB must reach
// CreateFileMapping split into its high and low DWORDs (the DLL refuses a
// section smaller than it asked for), and the payload must work at the
// last byte, past 4 GiB, through the byte exports' 64-bit offsets. Wine backs the section sparsely,
// so this costs no real memory. The project is golden/huge's.
func TestHugeMapping(t *testing.T) {
	alone(t) // its own mapping name
	win.require(t)
	bin := filepath.Join(newProject(t, "huge", goldenArgs("huge")...), "bin")
	cProgram(t, bin, "huge", filepath.Join(bin, "shmem.dll"))
	wantOutput(t, run(t, bin, "huge.exe"),
		"size: 5368709120 status=0",
		"set: ok=1 get: ok=1 text=huge",
		"byte at 0xFFFFFFFF: write=1 read=1 value=0x5a",
		"byte at 0x100000000: write=1 read=1 value=0x5b",
		"byte at 0x13FFFFFFF: write=1 read=1 value=0x5c",
		"byte past the end: write=0 status=BAD_ARGUMENT",
	)
}
