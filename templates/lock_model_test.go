package templates

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/shmemgen/shmemgen/internal/ci"
)

// lock.pml models the lock and wait protocol of project/dll/core.c.tmpl and
// its platform headers. These tests keep the two in step (TestModelQuotes),
// check the model with spin (TestModel), and check that the properties can
// fail at all (TestModelMutants).

// quoteRE matches a model step's quote: /* FILE FUNCTION: C STATEMENT */.
var quoteRE = regexp.MustCompile(`/\* (core\.c|platform_linux\.h|platform_windows\.h) ([^:]+?): (.+?) \*/`)

// modelled lists, per template, the functions that lock.pml must model: a
// function of them with no quote left means the model lost a step.
var modelled = map[string][]string{
	"core.c": {
		"shmemgen_acquire", "shmemgen_acquire_contended", "shmemgen_take_over",
		"shmemgen_recover", "shmemgen_release", "shmemgen_release_contended",
		"shmemgen_writing", "shmemgen_written", "shmemgen_cover", "shmemgen_torn",
		"shmemgen_wrote", "shmemgen_announce", "shmemgen_done",
		"shmemgen_bump", "shmemgen_begin", "shmemgen_moved", "shmemgen_relatch",
		"shmemgen_get_locked", "shmemgen_read_bytes_locked", "shmemgen_read_record_locked",
		"shmemgen_write_record",
		"{{ .Set }}", "{{ .Get }}", "{{ .WriteBytes }}", "{{ .ReadBytes }}", "{{ .Wait }}", "{{ .Record.Read }}", "shmemgen_spin",
	},
	"platform_linux.h": {
		"shmemgen_wake_ticket", "shmemgen_sleep", "shmemgen_futex_wait", "shmemgen_wake",
		"shmemgen_await", "shmemgen_notify",
	},
	"platform_windows.h": {
		"shmemgen_sleep", "shmemgen_wake", "shmemgen_await", "shmemgen_unnote", "shmemgen_notify",
	},
}

// TestModelQuotes checks that every C statement lock.pml quotes is still in
// the function it names, whitespace aside, so that a change to the C that
// the model does not follow fails here.
func TestModelQuotes(t *testing.T) {
	model, err := os.ReadFile("lock.pml")
	if err != nil {
		t.Fatal(err)
	}
	bodies := map[string]string{} // "file function" -> its body, normalised
	body := func(file, fn string) (string, error) {
		key := file + " " + fn
		if b, ok := bodies[key]; ok {
			return b, nil
		}
		src, err := os.ReadFile(filepath.Join("project", "dll", file+".tmpl"))
		if err != nil {
			return "", err
		}
		b, err := functionBody(string(src), fn)
		if err != nil {
			return "", fmt.Errorf("%s: %w", file, err)
		}
		bodies[key] = normalise(b)
		return bodies[key], nil
	}
	quoted := map[string]bool{}
	n := 0
	for i, line := range strings.Split(string(model), "\n") {
		for _, m := range quoteRE.FindAllStringSubmatch(line, -1) {
			n++
			file, fn, stmt := m[1], m[2], m[3]
			quoted[file+" "+fn] = true
			b, err := body(file, fn)
			if err != nil {
				t.Errorf("lock.pml:%d: %v", i+1, err)
				continue
			}
			if !strings.Contains(b, normalise(stmt)) {
				t.Errorf("lock.pml:%d: %s %s no longer has %q: update the model to the C", i+1, file, fn, stmt)
			}
		}
	}
	if n == 0 {
		t.Fatal("lock.pml quotes no C statement")
	}
	for file, fns := range modelled {
		for _, fn := range fns {
			if !quoted[file+" "+fn] {
				t.Errorf("lock.pml quotes nothing of %s %s", file, fn)
			}
		}
	}
	t.Logf("%d quotes of %d functions", n, len(quoted))
}

// functionBody returns the definition of fn in the C source src: from the
// line, at the margin, that names it before a parenthesis and does not end
// in a semicolon, to the next closing brace at the margin.
func functionBody(src, fn string) (string, error) {
	lines := strings.Split(src, "\n")
	name := regexp.MustCompile(`(^|[^A-Za-z0-9_])` + regexp.QuoteMeta(fn) + `\(`)
	for i, l := range lines {
		if l == "" || strings.ContainsAny(l[:1], " \t#/*}") || strings.HasSuffix(l, ";") || !name.MatchString(l) {
			continue
		}
		for j := i + 1; j < len(lines); j++ {
			if lines[j] == "}" {
				return strings.Join(lines[i:j+1], "\n"), nil
			}
		}
		return "", fmt.Errorf("%s has no closing brace", fn)
	}
	return "", fmt.Errorf("no function %s", fn)
}

func normalise(s string) string { return strings.Join(strings.Fields(s), " ") }

// A modelRun is one spin verification: the model's variant (-D flags for
// spin), and either a safety search (claim "") or an LTL claim's search for
// acceptance cycles under weak fairness.
type modelRun struct {
	name    string
	defines string
	claim   string
	// violated says that spin must find a counterexample, and why: a path
	// the design admits and documents. Any other run must find none.
	violated string
	// large marks a search long enough to pay for compiling pan with
	// -O1 (see verify): today only wait/linux's, 8 million states visited.
	large bool
}

// modelRuns are the checks, about 55 s of CPU in all here. Each of the 3
// processes makes one call (two for the note-wake writer), which is enough
// for every interleaving of a holder and two contenders, of a dead holder
// and two processes racing to take over, and of a waiter and two writes.
var modelRuns = []modelRun{
	// (a) mutual exclusion, and no lost wake-up for the lock: with nobody
	// dying and no slice ending, a sleeper that no release woke would be
	// stuck for ever, an invalid end state.
	{name: "lock-wake/linux", defines: "-DLINUX -DDATA=0 -DDEATHS=0 -DLOCK_SLICE=0 -DLOCK_TIMEOUT=0"},
	{name: "lock-wake/windows", defines: "-DWINDOWS -DDATA=0 -DDEATHS=0 -DLOCK_SLICE=0 -DLOCK_TIMEOUT=0"},
	// (a), (b) takeover only of dead holders, with up to two deaths and
	// futex waits that return early (EINTR).
	{name: "lock-death/linux", defines: "-DLINUX -DDATA=0 -DDEATHS=2 -DSPURIOUS=1"},
	// (f) lock progress: with deaths, every acquire gets the lock or
	// times out, futex waits that return early (EINTR) included: the
	// holder check goes by the clock, not by sleeps that timed out, so a
	// stream of them cannot put it off (the model found that it could).
	{name: "lock-progress/linux", defines: "-DLINUX -DDATA=0 -DDEATHS=2 -DSPURIOUS=1", claim: "lock_progress"},
	{name: "lock-progress/windows", defines: "-DWINDOWS -DDATA=0 -DDEATHS=2", claim: "lock_progress"},
	// (e) torn data, read without the lock: two writers that may die and
	// a reader that reads by the sequence count, and falls back to the
	// lock (and may take it over). The bookkeeping is the same C on both
	// systems, so Windows's smaller state space stands for both. (Three
	// processes that each write or read, with reads taking no lock, are
	// more states than the memory bound.)
	{name: "torn/windows", defines: "-DWINDOWS -DDATA=1 -DWRITERS=2 -DREADERS=1 -DREADS=0 -DDEATHS=2 -DMORTALS=3"},
	// (g) the record's latch: a reader never reads a copy half-written,
	// and a takeover leaves both copies the last complete record.
	{name: "latch/windows", defines: "-DWINDOWS -DDATA=1 -DLATCH=1 -DWRITERS=2 -DREADERS=1 -DREADS=0 -DDEATHS=2 -DMORTALS=3"},
	// (c) no lost wake-up for the wait export, slices off: a waiter asleep
	// on a generation that a write has passed must be woken by a writer.
	// On Linux it holds strictly: the futex is on note_seq, read before
	// waiting is set. (On the generation, as first written, it did not: a
	// writer's announce, late after its release, cleared the waiting that
	// a waiter had set for its next sleep, after it had seen that
	// writer's generation; the next write woke nobody.)
	{name: "note-wake/linux", defines: "-DLINUX -DWRITERS=1 -DWAITERS=2 -DOPS=2 -DKINDS=1 -DREADS=0 -DDEATHS=0 -DNOTE_SLICE=0", claim: "note_wake"},
	{name: "note-wake/windows", defines: "-DWINDOWS -DWRITERS=1 -DWAITERS=2 -DOPS=2 -DKINDS=1 -DREADS=0 -DDEATHS=0 -DNOTE_SLICE=0", claim: "note_wake",
		violated: "a waiter that read the generation just before a write sleeps just after another waiter reset the note event that write set: the late wake the wait export's comment documents, to the end of the 100 ms slice"},
	// (c), weaker, with slices: every wait call whose caller has not seen
	// the generation returns, writers dying included; (d) each wake is
	// owed to a waiting = 1 no other wake was owed to, with waiters that
	// die or time out.
	{name: "wait/linux", defines: "-DLINUX -DWRITERS=2 -DWAITERS=1 -DKINDS=1 -DREADS=0 -DDEATHS=1 -DWAIT_TIMEOUT=1", claim: "wait_returns", large: true},
	{name: "wait/windows", defines: "-DWINDOWS -DWRITERS=2 -DWAITERS=1 -DKINDS=1 -DREADS=0 -DDEATHS=1 -DWAIT_TIMEOUT=1", claim: "wait_returns"},
}

// needTools stops t unless spin and a C compiler are installed: it skips,
// or under CI fails.
func needTools(t *testing.T) {
	t.Helper()
	for _, tool := range []string{"spin", "cc"} {
		if _, err := exec.LookPath(tool); err != nil {
			ci.SkipOrFail(t, fmt.Errorf("the lock model needs %s (Debian: apt-get install spin gcc): %w", tool, err))
		}
	}
}

// TestModel checks lock.pml with spin, one run per property and platform.
func TestModel(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: spin checks every property on both platforms (~25 s)")
	}
	needTools(t)
	model, err := os.ReadFile("lock.pml")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range modelRuns {
		t.Run(r.name, func(t *testing.T) {
			t.Parallel()
			res, err := verify(t, model, r.defines, r.claim, r.large)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s", res.summary)
			switch {
			case r.violated == "" && res.errors != 0:
				t.Errorf("spin found a counterexample:\n%s\n%s", res.output, res.trail)
			case r.violated != "" && res.errors == 0:
				t.Errorf("spin found no counterexample where the design admits one (%s): if the design changed, update this run", r.violated)
			case r.violated != "":
				t.Logf("found, as expected: %s\n%s", r.violated, res.trail)
			}
		})
	}
}

// modelMutants are changes to the model that break one property each: a
// check that finds nothing wrong with them checks nothing.
var modelMutants = []struct {
	name, from, to, defines, claim string
}{
	{"take-over-live", `:: !alive[HOLDER(seen)] && lock == seen ->`, `:: lock == seen ->`,
		"-DDATA=0 -DDEATHS=1", ""},
	{"ticket-after-word", "ticket = wake_seq;\n#endif\n\t\t\t\t/* core.c shmemgen_acquire_contended: LONGLONG seen = *word; */\n\t\t\t\tseen = lock;",
		"skip;\n#endif\n\t\t\t\tseen = lock; ticket = wake_seq;",
		"-DLINUX -DDATA=0 -DDEATHS=0 -DLOCK_SLICE=0 -DLOCK_TIMEOUT=0", ""},
	{"take-free-lock-uncontended", `:: lock == 0 -> lock = ID | CONTENDED; ok = 1; GOT_LOCK`, `:: lock == 0 -> lock = ID; ok = 1; GOT_LOCK`,
		"-DWINDOWS -DDATA=0 -DDEATHS=0 -DLOCK_SLICE=0 -DLOCK_TIMEOUT=0", ""},
	{"recover-no-torn", "\t\ttorn_to = t;\n", "\t\tskip;\n",
		"-DWINDOWS -DDATA=1 -DWRITERS=2 -DREADERS=1 -DREADS=0 -DDEATHS=1 -DMORTALS=3", ""},
	// A reader that takes its copy without checking the count again.
	{"read-no-recheck", ":: seq == seen -> /* the fast path's answer */", ":: true -> /* the fast path's answer */",
		"-DWINDOWS -DDATA=1 -DWRITERS=2 -DREADERS=1 -DREADS=0 -DDEATHS=0", ""},
	// A writer that changes the payload without making the count odd.
	{"write-no-bump", "seq++; /* odd: the change begins */", "skip; /* odd: the change begins */",
		"-DWINDOWS -DDATA=1 -DWRITERS=2 -DREADERS=1 -DREADS=0 -DDEATHS=0", ""},
	// A latch reader that reads the copy being written.
	{"latch-other-copy", "v = rec[seen % 2];", "v = rec[1 - seen % 2];",
		"-DWINDOWS -DDATA=1 -DLATCH=1 -DWRITERS=2 -DREADERS=1 -DREADS=0 -DDEATHS=0", ""},
	// A latch writer that writes copy 0 without making the count odd.
	{"latch-no-bump", "record_seq++; /* odd: readers read copy 1 */", "skip;",
		"-DWINDOWS -DDATA=1 -DLATCH=1 -DWRITERS=2 -DREADERS=1 -DREADS=0 -DDEATHS=0", ""},
	// A takeover that leaves copy 0 as a dead writer left it.
	{"no-relatch", "\t\trec[0] = rec[1];\n", "\t\tskip;\n",
		"-DWINDOWS -DDATA=1 -DLATCH=1 -DWRITERS=2 -DREADERS=1 -DREADS=0 -DDEATHS=1 -DMORTALS=3", ""},
	{"announce-keeps-waiting", `:: waiting -> waiting = 0; owed = setters`, `:: waiting -> owed = setters`,
		"-DLINUX -DWRITERS=2 -DWAITERS=1 -DKINDS=1 -DREADS=0 -DDEATHS=1 -DWAIT_TIMEOUT=1", ""},
	{"no-lock-slice", "#define LOCK_SLICE 1\n", "#define LOCK_SLICE 0\n",
		"-DWINDOWS -DDATA=0 -DDEATHS=1 -DLOCK_TIMEOUT=0", "lock_progress"},
	// The first design's futex on the generation, which lost a wake.
	{"note-futex-on-generation", `:: note_seq != ticket -> woke = 1 /* EAGAIN: a note came */`, `:: generation != wcur[me] -> woke = 1`,
		"-DLINUX -DWRITERS=1 -DWAITERS=2 -DOPS=2 -DKINDS=1 -DREADS=0 -DDEATHS=0 -DNOTE_SLICE=0", "note_wake"},
	// The holder checked only after a sleep that timed out: a stream of
	// early returns puts the check off for ever.
	{"check-only-after-slice", ":: else -> naps++\n", ":: else -> skip\n",
		"-DLINUX -DDATA=0 -DDEATHS=2 -DSPURIOUS=1 -DLOCK_TIMEOUT=0", "lock_progress"},
}

// TestModelMutants checks that each mutant of lock.pml fails its property.
func TestModelMutants(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: spin compiles and checks each of the mutants (~40 s of CPU)")
	}
	needTools(t)
	model, err := os.ReadFile("lock.pml")
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range modelMutants {
		t.Run(m.name, func(t *testing.T) {
			t.Parallel()
			if strings.Count(string(model), m.from) != 1 {
				t.Fatalf("the mutant's text %q is not in lock.pml once: update the mutant", m.from)
			}
			mutant := strings.Replace(string(model), m.from, m.to, 1)
			res, err := verify(t, []byte(mutant), m.defines, m.claim, false)
			if err != nil {
				t.Fatal(err)
			}
			if res.errors == 0 {
				t.Errorf("spin finds nothing wrong with the mutant: %s", res.summary)
			}
		})
	}
}

// A result is what a verification found.
type result struct {
	errors  int
	summary string // states, depth and time
	output  string // pan's whole output
	trail   string // a counterexample's steps that change the header or the kernel's queues
}

// verify builds and runs pan for model, in a directory of its own: spin -a
// with defines, cc, then a safety search (claim "") or a search for
// acceptance cycles of the claim under weak fairness. An incomplete search
// (the depth or memory bound reached) is an error.
func verify(t *testing.T, model []byte, defines, claim string, large bool) (result, error) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "lock.pml"), model, 0o644); err != nil {
		return result{}, err
	}
	run := func(name string, args ...string) (string, error) {
		cmd := exec.Command(name, args...)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		if err != nil {
			return string(out), fmt.Errorf("%s %s: %w\n%s", name, strings.Join(args, " "), err, out)
		}
		return string(out), nil
	}
	flags := strings.Fields(defines)
	if _, err := run("spin", append(flags, "-a", "lock.pml")...); err != nil {
		return result{}, err
	}
	// -O1 makes pan run up to 2.5 times as fast but takes 3-6 s to
	// compile it, against 1-1.5 s at -O0, so it pays only for the longest
	// search: measured on 2 cores, wait/linux takes 1.4 + 18.3 s at -O0
	// and 5.9 + 7.5 s at -O1; latch/windows 1.3 + 0.9 s against 5.7 +
	// 0.8 s, and torn/windows and wait/windows are 2.5 s quicker at -O0.
	// MEMLIM (MB) keeps a model that grows from taking the machine.
	opt := "-O0"
	if large {
		opt = "-O1"
	}
	cc := []string{opt, "-w", "-DMEMLIM=2048", "-o", "pan", "pan.c"}
	pan := []string{"-n", "-m200000", "-w22"}
	if claim == "" {
		cc = append([]string{"-DSAFETY", "-DNOCLAIM"}, cc...)
	} else {
		pan = append(pan, "-a", "-f", "-N", claim)
	}
	if _, err := run("cc", cc...); err != nil {
		return result{}, err
	}
	out, err := run("./pan", pan...)
	if err != nil {
		return result{}, err
	}
	res := result{output: out}
	for _, bad := range []string{"max search depth too small", "-DMEMLIM bound", "out of memory", "VECTORSZ"} {
		if strings.Contains(out, bad) {
			return res, fmt.Errorf("the search was incomplete (%s):\n%s", bad, out)
		}
	}
	m := regexp.MustCompile(`errors: (\d+)`).FindStringSubmatch(out)
	if m == nil {
		return res, fmt.Errorf("pan printed no error count:\n%s", out)
	}
	res.errors, _ = strconv.Atoi(m[1])
	var summary []string
	for _, re := range []string{`depth reached \d+`, `[\d.e+]+ states, stored`, `elapsed time [\d.e+]+ seconds`} {
		summary = append(summary, regexp.MustCompile(re).FindString(out))
	}
	res.summary = strings.Join(summary, ", ")
	if res.errors != 0 {
		tr, err := run("spin", append(flags, "-t", "-p", "lock.pml")...)
		if err != nil {
			return res, err
		}
		res.trail = shared(tr)
	}
	return res, nil
}

// sharedRE matches a replayed step that changes what other processes see:
// the header, the events, the kernel's queues, a process's death.
var sharedRE = regexp.MustCompile(`\[(lock|generation|waiting|writing_from|writing_to|torn_from|torn_to|seq|record_seq|rec\[[^]]*\]|wake_seq|note_seq|wake_set|note_set|lockq\[[^]]*\]|noteq\[[^]]*\]|alive\[me\]) = |START OF CYCLE|violated`)

// shared keeps, of spin's replay of a trail, the steps that sharedRE
// matches, each as "proc N: line: step".
func shared(trail string) string {
	var b strings.Builder
	step := regexp.MustCompile(`proc\s+(\d+) \(Process:1\) lock\.pml:(\d+) \(state \d+\)\s+\[(.*)\]$`)
	sc := bufio.NewScanner(strings.NewReader(trail))
	for sc.Scan() {
		l := sc.Text()
		if !sharedRE.MatchString(l) {
			continue
		}
		if m := step.FindStringSubmatch(l); m != nil {
			p, _ := strconv.Atoi(m[1])
			fmt.Fprintf(&b, "  process %d, lock.pml:%s: %s\n", p-1, m[2], m[3])
		} else {
			fmt.Fprintf(&b, "  %s\n", strings.TrimSpace(l))
		}
	}
	if err := sc.Err(); err != nil && !errors.Is(err, bufio.ErrTooLong) {
		fmt.Fprintf(&b, "  (%v)\n", err)
	}
	return b.String()
}
