package e2e

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestBoundaries drives the default DLL's exports at every edge the issue
// names, from a C caller built against its header.
func TestBoundaries(t *testing.T) {
	dir := defaultProject(t)
	bin := filepath.Join(dir, "bin")
	mingw(t, "x86_64-w64-mingw32-gcc", "-O2", "-Wall", "-Werror", "-I", bin, "-o", filepath.Join(bin, "edge.exe"),
		filepath.Join("testdata", "edge.c"), filepath.Join(bin, "shmem.dll"))
	r := run(t, bin, "edge.exe")
	if r.status != 0 {
		t.Fatalf("edge.exe crashed or failed: %s", r)
	}
	want := []string{
		"set NULL: ok=0",
		"get NULL: ok=0",
		"set bad pointer: ok=0",
		"get bad pointer: ok=0",
		"get cch 0: ok=0 len=-1 sentinel=1",        // nothing written
		"get cch 1: ok=1 len=0 sentinel=1",         // just the terminator
		"get cch 2: ok=1 len=1 sentinel=1",         // one character and the terminator
		"set empty: ok=1 len=0 sentinel=1",         //
		"set capacity-1: ok=1 len=2047 sentinel=1", // fits exactly
		"set capacity: ok=1 len=2047 sentinel=1",   // cut to fit
		"set 3x capacity: ok=1 len=2047 sentinel=1",
		"surrogates: ok=1 same=1",
		"get keeps surrogate pairs whole: ok=1 len=1 sentinel=1",
		"set keeps surrogate pairs whole: ok=1 len=2046 sentinel=1",
	}
	got := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("edge.exe printed:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
