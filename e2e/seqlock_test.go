package e2e

import (
	"bufio"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/shmemgen/shmemgen/internal/testenv"
)

// readExports are the exports that read without the lock: their own code
// (the fast path) must hold no interlocked instruction. Each falls back to
// a locked read in a separate, never-inlined function, named here, which
// the export must call or jump to: that is where the fast path ends.
var readExports = map[string]string{
	"GetSharedMem":     "shmemgen_get_locked",
	"SharedMemLength":  "shmemgen_length_locked",
	"ReadSharedBytes":  "shmemgen_read_bytes_locked",
	"ReadSharedRecord": "shmemgen_read_record_locked",
}

// lockedInstruction matches a disassembled instruction that locks the bus:
// a lock prefix, or an xchg with a memory operand (implicitly locked).
// "xchg %ax,%ax" is a 2-byte no-op the compiler pads with.
var lockedInstruction = regexp.MustCompile(`\block\b|\bxchg\b[^#]*\(`)

// disassembly returns the instructions of each function objdump finds in
// the library at path, by name (a 386 PE's leading underscore removed).
func disassembly(t *testing.T, objdump, path string) map[string][]string {
	t.Helper()
	out, err := exec.Command(objdump, "-d", "--no-show-raw-insn", path).Output()
	if err != nil {
		t.Fatalf("%s -d %s: %v", objdump, path, err)
	}
	fns := map[string][]string{}
	start := regexp.MustCompile(`^[0-9a-f]+ <([^>]+)>:$`)
	var fn string
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		l := sc.Text()
		if m := start.FindStringSubmatch(l); m != nil {
			fn = strings.TrimPrefix(m[1], "_")
			continue
		}
		if fn != "" && strings.Contains(l, ":\t") {
			fns[fn] = append(fns[fn], l)
		}
	}
	return fns
}

// checkReadsTakeNoLock checks the read exports of the library at path: no
// locked instruction in their own code, and a call or jump to their
// locked fallback. want are the exports the library has. The write export
// must show a locked instruction, or the check proves nothing.
func checkReadsTakeNoLock(t *testing.T, objdump, path string, want ...string) {
	t.Helper()
	fns := disassembly(t, objdump, path)
	for _, name := range want {
		code, ok := fns[name]
		if !ok {
			t.Errorf("%s: no function %s in the disassembly", path, name)
			continue
		}
		fallback := false
		for _, l := range code {
			if lockedInstruction.MatchString(l) {
				t.Errorf("%s: %s takes a locked instruction on its fast path: %s", path, name, strings.TrimSpace(l))
			}
			fallback = fallback || strings.Contains(l, "<"+readExports[name]) || strings.Contains(l, "<_"+readExports[name])
		}
		if !fallback {
			t.Errorf("%s: %s never calls %s: the fast path is not delimited as this test assumes", path, name, readExports[name])
		}
	}
	locked := false
	for _, l := range fns["SetSharedMem"] {
		locked = locked || lockedInstruction.MatchString(l)
	}
	if !locked {
		t.Errorf("%s: SetSharedMem shows no locked instruction either: the check has no power", path)
	}
}

// TestReadsTakeNoLock disassembles the built libraries (Linux x86-64,
// Windows amd64 and 386) and checks that the read exports take no lock
// and no interlocked instruction on their fast path (issue 19 item 4):
// the lock, and the 386's cmpxchg8b for a 64-bit load, are in the
// fallback only.
func TestReadsTakeNoLock(t *testing.T) {
	serial(t)
	win.require(t)
	testenv.RequireTool(t, "x86_64-w64-mingw32-objdump")
	testenv.RequireTool(t, "i686-w64-mingw32-objdump")
	all := []string{"GetSharedMem", "SharedMemLength", "ReadSharedBytes"}
	rec := filepath.Join(sharedProject(t, "record", recordArgs...), "bin")
	checkReadsTakeNoLock(t, "x86_64-w64-mingw32-objdump", filepath.Join(rec, "shmem.dll"), append(all, "ReadSharedRecord")...)
	if lin.available() {
		testenv.RequireTool(t, "objdump")
		checkReadsTakeNoLock(t, "objdump", filepath.Join(rec, "libshmem.so"), append(all, "ReadSharedRecord")...)
	}
	x86 := filepath.Join(x86Project(t), "bin", "386", "shmem.dll")
	checkReadsTakeNoLock(t, "i686-w64-mingw32-objdump", x86, all...)
}

// TestRecordReadersNeverWait: a writer holds the lock half-way through a
// record write (its source runs into a trap page and it sleeps there 1.5
// s): every read of the record and of the string meanwhile returns at once
// with the last complete values and status 0, the writer still holding the
// lock when 300 ms of reads end (each under 500 ms: a read that waited for
// the writer would wait out its 1.5 s); once the writer finishes, its
// record reads.
func TestRecordReadersNeverWait(t *testing.T) {
	serial(t)
	overHosts(t, func(t *testing.T, h *host) {
		freshRecord(t, h)
		bin := filepath.Join(sharedProject(t, "record", recordArgs...), "bin")
		h.cProgram(t, bin, "record", false)
		r := h.run(t, bin, h.Prog("record"), "hold")
		reads := regexp.MustCompile(`reads=(\d+)`).FindStringSubmatch(r.stdout)
		if reads == nil {
			t.Fatalf("no reads line: %s", r)
		}
		n, _ := strconv.Atoi(reads[1])
		if n < minReads {
			t.Errorf("only %d reads while the writer held the lock (want at least %d): %s", n, minReads, r)
		}
		wantOutput(t, r,
			"written: ok=1 status=0",
			"while held: reads="+reads[1]+" whole=1 under_500ms=1 still_held=1",
			"slow write: ok=1 status=0",
			"after: ok=1 status=0 count=1111111111111111",
		)
	})
}

var (
	recWriterLine = regexp.MustCompile(`^writer: writes=(\d+) failed=(\d+)$`)
	recReaderLine = regexp.MustCompile(`^reader: records=(\d+) strings=(\d+) bad=(\d+) failed=(\d+) abandoned=(\d+) abandoned_records=(\d+) changes=(\d+)$`)
)

// recordStress runs "record stress MS [kill]" on h and checks its tally: no
// call failed, no read was inconsistent, no record read said ABANDONED,
// every reader read and saw the record change.
func recordStress(t *testing.T, h *host, kill bool) {
	freshRecord(t, h)
	bin := filepath.Join(sharedProject(t, "record", recordArgs...), "bin")
	h.cProgram(t, bin, "record", false)
	args := []string{"stress", strconv.Itoa(stressMillis)}
	if kill {
		args = append(args, "kill")
	}
	r := h.run(t, bin, h.Prog("record"), args...)
	if r.status != 0 {
		t.Fatalf("record stress failed: %s", r)
	}
	atoi := func(s string) int { n, _ := strconv.Atoi(s); return n }
	writers, readers, exits, kills, diedWriting := 0, 0, 0, 0, 0
	killsLine := regexp.MustCompile(`^kills=(\d+) died_writing=(\d+)$`)
	for _, l := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
		switch {
		case recWriterLine.MatchString(l):
			m := recWriterLine.FindStringSubmatch(l)
			writers++
			// With kill, the last writer may start near the end.
			if (!kill && atoi(m[1]) < minReads) || atoi(m[2]) != 0 {
				t.Errorf("writer: %s", l)
			}
		case recReaderLine.MatchString(l):
			m := recReaderLine.FindStringSubmatch(l)
			readers++
			// With kill, the writer restarts (slowly under Wine): fewer
			// changes, but some.
			if changes := atoi(m[7]); atoi(m[1]) < minReads || atoi(m[2]) < minReads || changes < 3 || (!kill && changes < 10) {
				t.Errorf("a reader did too little, or saw too few changes, to prove anything: %s", l)
			}
			if atoi(m[3]) != 0 || atoi(m[4]) != 0 || atoi(m[6]) != 0 {
				t.Errorf("inconsistent, failed, or abandoned record reads: %s", l)
			}
			if !kill && atoi(m[5]) != 0 {
				t.Errorf("ABANDONED with no writer killed: %s", l)
			}
		case strings.HasPrefix(l, "exit="):
			exits++
			if l != "exit=0x0" {
				t.Errorf("a worker: %s", l)
			}
		case killsLine.MatchString(l):
			m := killsLine.FindStringSubmatch(l)
			kills, diedWriting = atoi(m[1]), atoi(m[2])
		default:
			t.Errorf("unexpected line %q", l)
		}
	}
	if writers < 1 || readers != 4 || exits != 5 || (kill && diedWriting < 3) {
		t.Errorf("want a writer line, 4 reader lines, 5 exits (and with kill, 3 kills or more in a write): %s", r)
	}
	// The driver stops the writer before it kills, and kills only with a
	// write marked but after 200 looks: nearly every kill is in a write.
	// Aiming a kill at a marked write without stopping the writer first
	// hit one in four here, and none in 252 on a busy CI machine; reading
	// the mark after the kill rather than while the writer is stopped
	// counted 2 of 10 under Wine, a reader having taken the lock over.
	if kill && diedWriting*2 < kills {
		t.Errorf("%d of %d kills in a write: the driver's aim is off", diedWriting, kills)
	}
	t.Logf("%s", r.stdout)
}

// TestRecordStress: one writer rewrites the record and the string as fast
// as it can, every field and the pattern derived from one counter, while
// 4 reader processes check every read: none inconsistent, none failed.
func TestRecordStress(t *testing.T) {
	serial(t)
	overHosts(t, func(t *testing.T, h *host) { recordStress(t, h, false) })
}

// TestRecordStressKilledWriters is TestRecordStress with the writer killed
// again and again, once it has written 1000 records, stopped at a moment it
// has a write marked (the driver counts the kills of a writer it stopped
// with the mark, and goes on past the stress time until there are 3 such):
// record reads
// are never handed half a record, and never say ABANDONED (the latch keeps
// the last complete record); a string read may say ABANDONED, but one
// that says nothing is whole.
func TestRecordStressKilledWriters(t *testing.T) {
	serial(t)
	overHosts(t, func(t *testing.T, h *host) { recordStress(t, h, true) })
}
