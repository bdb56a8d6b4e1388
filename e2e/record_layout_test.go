package e2e

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// otherRecordArgs make a build of recordArgs' project for another layout:
// the same name, so the same mapping, and a record of the same size whose
// field half is signed: another layout hash.
func otherRecordArgs() []string {
	args := slices.Clone(recordArgs)
	i := slices.Index(args, "half:u16")
	args[i] = "half:i16"
	return args
}

// TestRecordOtherLayout: a library built for another record layout that
// finds the mapping refuses it with BAD_LAYOUT, whose text names its own
// layout hash, on each system. The first build's process keeps the mapping
// open while the other's loads: on Windows a mapping goes with its last
// handle. (TestRecordBadLayout forges the header on Linux; here two real
// builds meet.)
func TestRecordOtherLayout(t *testing.T) {
	serial(t)
	overHosts(t, func(t *testing.T, h *host) {
		freshRecord(t, h)
		bin := filepath.Join(sharedProject(t, "record", recordArgs...), "bin")
		otherBin := filepath.Join(sharedProject(t, "record-other", otherRecordArgs()...), "bin")
		h.cProgram(t, bin, "holdmap", true)
		h.cProgram(t, otherBin, "holdmap", true)
		other, err := filepath.Rel(bin, filepath.Join(otherBin, h.Prog("holdmap")))
		if err != nil {
			t.Fatal(err)
		}
		hash := recordHash(t, otherBin)
		if hash == recordHash(t, bin) {
			t.Fatalf("both builds have layout hash %s", hash)
		}
		r := h.run(t, bin, h.Prog("holdmap"), "hold", filepath.ToSlash(other))
		text := regexp.MustCompile(`(?m)^its text: (.*)$`).FindStringSubmatch(r.stdout)
		want := []string{"attached: ok=1 status=0", "record read: ok=0 status=BAD_LAYOUT", "byte read: ok=0 status=BAD_LAYOUT", "other exit=0"}
		got := regexp.MustCompile(`(?m)^its text: .*\n`).ReplaceAllString(r.stdout, "")
		if r.status != 0 || strings.TrimSpace(got) != strings.Join(want, "\n") || text == nil ||
			!strings.HasPrefix(text[1], "BAD_LAYOUT: ") || !strings.Contains(text[1], "record layout hash other than this build's "+hash) {
			t.Errorf("got %s\nwant stdout:\n%s\nand a BAD_LAYOUT text naming the other build's hash %s", r, strings.Join(want, "\n"), hash)
		}
	})
}

// recordHash is the record layout hash of the build in bin, from its
// header.
func recordHash(t *testing.T, bin string) string {
	t.Helper()
	src, err := os.ReadFile(filepath.Join(bin, "shmem.h"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^#define SHMEM_RECORD_LAYOUT_HASH (0x[0-9a-f]{16})ULL$`).FindSubmatch(src)
	if m == nil {
		t.Fatalf("%s/shmem.h defines no SHMEM_RECORD_LAYOUT_HASH", bin)
	}
	return string(m[1])
}
