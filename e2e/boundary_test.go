package e2e

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestBoundaries drives the default DLL's exports at every edge the issue
// names, from a C caller built against its header: every cut is reported
// as TRUNCATED, the length export agrees with what a get reads, and strings
// of every length and alignment survive the 8-at-a-time copy.
func TestBoundaries(t *testing.T) {
	serial(t)
	overHosts(t, func(t *testing.T, h *host) {
		bin := filepath.Join(defaultProject(t), "bin")
		h.cProgram(t, bin, "edge", true)
		boundaries(t, h.run(t, bin, h.Prog("edge")))
	})
}

func boundaries(t *testing.T, r result) {
	if r.status != 0 {
		t.Fatalf("edge crashed or failed: %s", r)
	}
	want := []string{
		"set NULL: ok=0 status=BAD_ARGUMENT",
		"get NULL: ok=0 status=BAD_ARGUMENT",
		"get cch 0: ok=0 status=BAD_ARGUMENT len=-1 sentinel=1", // nothing written
		"get cch 1: ok=1 status=TRUNCATED len=0 sentinel=1",     // just the terminator
		"get cch 2: ok=1 status=TRUNCATED len=1 sentinel=1",     // one character and the terminator
		"get cch 6: ok=1 status=0 len=5 sentinel=1",             // exactly enough
		"set empty: ok=1 status=0 length=0 len=0 sentinel=1",
		"set capacity-1: ok=1 status=0 length=2047 len=2047 sentinel=1", // fits exactly
		"set capacity: ok=1 status=TRUNCATED length=2047 len=2047 sentinel=1",
		"set 3x capacity: ok=1 status=TRUNCATED length=2047 len=2047 sentinel=1",
		"surrogates: ok=1 same=1",
		"get keeps surrogate pairs whole: ok=1 status=TRUNCATED len=1 sentinel=1",
		"set keeps surrogate pairs whole: ok=1 status=TRUNCATED length=2046 len=2046 sentinel=1",
		"alignments: differ=0",
	}
	got := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("edge printed:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
