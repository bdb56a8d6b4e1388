package e2e

import (
	"path/filepath"
	"testing"
)

// TestHugeMapping builds a 5 GiB mapping: a size over 4 GiB must reach
// CreateFileMapping split into its high and low DWORDs (the DLL refuses a
// section smaller than it asked for), and the payload must work at the
// last offset the byte exports can name. Wine backs the section sparsely,
// so this costs no real memory.
func TestHugeMapping(t *testing.T) {
	bin := filepath.Join(newProject(t, "huge", "--name", `Local\shmemgen-e2e-huge`, "--size", "5GiB"), "bin")
	cProgram(t, bin, "huge", filepath.Join(bin, "shmem.dll"))
	wantOutput(t, run(t, bin, "huge.exe"),
		"size: 5368709120 status=0",
		"set: ok=1 get: ok=1 text=huge",
		"byte at 0xFFFFFFFF: write=1 read=1 value=0x5a",
	)
}
