package e2e

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// stressMillis is how long the 8 processes of a stress run hammer the
// mapping: long enough for thousands of overlapping calls, short enough
// that two runs add a few seconds to the suite.
const stressMillis = 3000

// minReads is the fewest whole strings each reader must have read for a
// run to count: a reader that read nothing would find nothing torn. Under
// Wine the generated DLL manages thousands per reader; this leaves room
// for a slow CI machine.
const minReads = 100

// stressRun is the tally of one run of stress.exe drive.
type stressRun struct {
	writes, reads, torn, failed, abandoned []int // per writer, per reader
	exits                                  []string
	// drive-kill only: writers killed, those that died holding the lock,
	// those nobody took over, and the slowest takeover.
	kills, diedHolding, stuck int
	takeoverMaxMs             float64
}

var (
	writerLine = regexp.MustCompile(`^writer [A-D]: writes=(\d+) failed=(\d+) abandoned=(\d+) status=\d+$`)
	readerLine = regexp.MustCompile(`^reader: reads=(\d+) torn=(\d+) empty=\d+ failed=(\d+) abandoned=(\d+) status=\d+$`)
	exitLine   = regexp.MustCompile(`^exit=(0x[0-9a-f]+)$`)
	killsLine  = regexp.MustCompile(`^kills=(\d+) died_holding=(\d+) stuck=(\d+) takeover_max_ms=([0-9.]+)$`)
)

// parseStress reads the driver's output, failing on any line it does not
// expect and on anything but 4 writers, 4 readers and 8 exit codes.
func parseStress(t testing.TB, r result) stressRun {
	t.Helper()
	if r.status != 0 {
		t.Fatalf("stress drive failed: %s", r)
	}
	var s stressRun
	atoi := func(x string) int { n, _ := strconv.Atoi(x); return n }
	for _, line := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
		if m := writerLine.FindStringSubmatch(line); m != nil {
			s.writes = append(s.writes, atoi(m[1]))
			s.failed = append(s.failed, atoi(m[2]))
			s.abandoned = append(s.abandoned, atoi(m[3]))
		} else if m := readerLine.FindStringSubmatch(line); m != nil {
			s.reads = append(s.reads, atoi(m[1]))
			s.torn = append(s.torn, atoi(m[2]))
			s.failed = append(s.failed, atoi(m[3]))
			s.abandoned = append(s.abandoned, atoi(m[4]))
		} else if m := exitLine.FindStringSubmatch(line); m != nil {
			s.exits = append(s.exits, m[1])
		} else if m := killsLine.FindStringSubmatch(line); m != nil {
			s.kills, s.diedHolding, s.stuck = atoi(m[1]), atoi(m[2]), atoi(m[3])
			s.takeoverMaxMs, _ = strconv.ParseFloat(m[4], 64)
		} else {
			t.Fatalf("unexpected line %q in %s", line, r)
		}
	}
	if len(s.writes) != 4 || len(s.reads) != 4 || len(s.exits) != 8 {
		t.Fatalf("want 4 writer, 4 reader and 8 exit lines, got %s", r)
	}
	return s
}

func sum(xs []int) int {
	n := 0
	for _, x := range xs {
		n += x
	}
	return n
}

// TestStress runs 4 writer and 4 reader processes at once, each writer
// setting its own letter 2,000 times over, each reader checking that every
// string it gets is one letter 2,000 times. With the lock no read is torn;
// the same run against the sample's unlocked DLL shows that the check
// does catch tearing when there is any (when SHMEMGEN_SAMPLE_DIR points at
// the sample).
func TestStress(t *testing.T) {
	serial(t)
	millis := fmt.Sprint(stressMillis)
	t.Run("generated DLL", func(t *testing.T) {
		overHosts(t, stressGenerated)
	})

	t.Run("sample DLL tears", func(t *testing.T) {
		win.require(t)
		sample := sampleDLL(t, t.TempDir())
		cProgram(t, sample, "stress", "-DSAMPLE", filepath.Join(sample, "dllmem.dll"))
		r := run(t, sample, "stress.exe", "drive", millis)
		s := parseStress(t, r)
		t.Logf("reads per reader %v, torn per reader %v", s.reads, s.torn)
		if sum(s.torn) == 0 {
			t.Errorf("no torn reads from the unlocked sample: the stress test has no power\n%s", r)
		}
	})
}

// stressGenerated is TestStress's run of the generated library on h.
func stressGenerated(t *testing.T, h *host) {
	bin := filepath.Join(defaultProject(t), "bin")
	h.cProgram(t, bin, "stress", true)
	r := h.run(t, bin, h.Prog("stress"), "drive", fmt.Sprint(stressMillis))
	s := parseStress(t, r)
	t.Logf("reads per reader %v, writes per writer %v, torn %d", s.reads, s.writes, sum(s.torn))
	for _, code := range s.exits {
		if code != "0x0" {
			t.Errorf("a worker exited with %s (a crash shows as an exception code)\n%s", code, r)
		}
	}
	if n := sum(s.torn); n != 0 {
		t.Errorf("%d torn reads\n%s", n, r)
	}
	if n := sum(s.failed); n != 0 {
		t.Errorf("%d calls failed\n%s", n, r)
	}
	for i := range 4 {
		if s.reads[i] < minReads || s.writes[i] < minReads {
			t.Errorf("worker %d did too little to prove anything (want at least %d each)\n%s", i, minReads, r)
		}
	}
}

// TestStressKilledHolders runs the stress test while, every 20-60 ms, the
// driver watches the lock word until a writer holds it, kills that writer,
// most often in the middle of a write, and starts another in its place.
// Every writer that died holding the lock must be noticed and the lock
// taken over (the driver watches the word change hands), and no call may
// fail: a lock left to a dead process would time the others out. A read
// after a writer died half-way may be torn until the next write covers
// it, but then it says ABANDONED, whoever reads it: a read that says
// nothing is never torn.
func TestStressKilledHolders(t *testing.T) {
	serial(t)
	overHosts(t, stressKilledHolders)
}

// stressKilledHolders is TestStressKilledHolders on h.
func stressKilledHolders(t *testing.T, h *host) {
	bin := filepath.Join(defaultProject(t), "bin")
	h.cProgram(t, bin, "stress", true)
	r := h.run(t, bin, h.Prog("stress"), "drive-kill", fmt.Sprint(stressMillis))
	s := parseStress(t, r)
	t.Logf("kills %d, died holding the lock %d, slowest takeover %.1f ms, ABANDONED reported %d (by survivors), reads per reader %v",
		s.kills, s.diedHolding, s.takeoverMaxMs, sum(s.abandoned), s.reads)
	for _, code := range s.exits {
		if code != "0x0" {
			t.Errorf("a surviving worker exited with %s\n%s", code, r)
		}
	}
	if s.diedHolding == 0 {
		t.Errorf("none of %d killed writers died holding the lock: the run proves nothing\n%s", s.kills, r)
	}
	if s.stuck != 0 {
		t.Errorf("%d of %d writers that died holding the lock were never taken over\n%s", s.stuck, s.diedHolding, r)
	}
	if n := sum(s.failed); n != 0 {
		t.Errorf("%d calls failed: a dead holder's lock was not taken over in time\n%s", n, r)
	}
	if n := sum(s.torn); n != 0 {
		t.Errorf("%d reads were torn and did not say ABANDONED\n%s", n, r)
	}
	for i := range 4 {
		if s.reads[i] < minReads {
			t.Errorf("reader %d read %d strings: the lock stalled (want at least %d)\n%s", i, s.reads[i], minReads, r)
		}
	}
}
