package e2e

import (
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestAbandonedLock kills a process, with TerminateProcess or SIGKILL,
// while it holds the lock in the middle of a write: the next call must
// take the lock over, and every read of what it was writing, by the call
// that took the lock over and by every call after it, must say ABANDONED
// until writes cover it; writes succeed whole. A holder that was not
// writing dies without a trace. The holder takes the header's lock word
// without loading the DLL, as any program following the protocol may.
func TestAbandonedLock(t *testing.T) {
	serial(t)
	overHosts(t, func(t *testing.T, h *host) {
		bin := filepath.Join(defaultProject(t), "bin")
		wantAbandoned(t, h, bin)
		wantOutput(t, h.run(t, bin, h.Prog("lock"), "quiet"),
			"size: 4096",
			"set: ok=1 status=0",
			`get: ok=1 status=0 text="before"`,
			"holder holds the lock",
			"holder killed",
			`get: ok=1 status=0 text="before"`,
			"set: ok=1 status=0",
			`get: ok=1 status=0 text="after"`,
		)
	})
}

// wantAbandoned runs lock abandon in bin on h.
func wantAbandoned(t *testing.T, h *host, bin string) {
	t.Helper()
	h.cProgram(t, bin, "lock", false)
	wantOutput(t, h.run(t, bin, h.Prog("lock"), "abandon"),
		"size: 4096",
		"set: ok=1 status=0",
		`get: ok=1 status=0 text="before"`,
		"holder holds the lock",
		"holder killed",
		// The call that took the lock over, and every read after it.
		`get: ok=1 status=ABANDONED text="before"`,
		`get: ok=1 status=ABANDONED text="before"`,
		"read all bytes: ok=1 status=ABANDONED",
		// A set covers its text and terminator: the string reads clean,
		// the rest of the payload does not, until a write covers it.
		"set: ok=1 status=0",
		`get: ok=1 status=0 text="after"`,
		"read all bytes: ok=1 status=ABANDONED",
		"write all bytes: ok=1 status=0",
		"read all bytes: ok=1 status=0",
	)
}

// TestAbandonedLockNoWait is TestAbandonedLock with --lock-timeout 0s: a
// call that may not wait must still notice that the holder is dead, or the
// lock would stay with it for ever.
func TestAbandonedLockNoWait(t *testing.T) {
	serial(t)
	overHosts(t, func(t *testing.T, h *host) {
		wantAbandoned(t, h, filepath.Join(sharedProject(t, "timeout-0s", withOS("--lock-timeout", "0s")...), "bin"))
	})
}

// TestLockTimeout keeps the lock held by another, live, process: with a
// 200 ms --lock-timeout every export that needs the lock gives up with the
// timeout status (how long it waited is not checked: timing under Wine on
// a loaded machine proves nothing). Once the holder is killed the lock
// works again.
func TestLockTimeout(t *testing.T) {
	serial(t)
	overHosts(t, func(t *testing.T, h *host) {
		bin := filepath.Join(sharedProject(t, "timeout-200ms", withOS("--lock-timeout", "200ms")...), "bin")
		h.cProgram(t, bin, "lock", false)
		lockTimeout(t, h.run(t, bin, h.Prog("lock"), "timeout"))
	})
}

func lockTimeout(t *testing.T, r result) {
	t.Helper()
	wantOutput(t, r,
		"size: 4096",
		"holder holds the lock",
		"set: ok=0 status=LOCK_TIMEOUT",
		`get: ok=0 status=LOCK_TIMEOUT text=""`,
		"write bytes: ok=0 status=LOCK_TIMEOUT",
		`read bytes: ok=0 status=LOCK_TIMEOUT bytes="?"`,
		"length: 0 status=LOCK_TIMEOUT",
		"size: 4096", // needs no lock
		"holder killed",
		"set: ok=1 status=0",
		`get: ok=1 status=0 text="after"`,
	)
}

// TestLockStateAtLoad loads the DLL while the setup mutex is abandoned, or
// held past the timeout. An abandoned setup mutex says nothing of the
// data (setup never touches the payload): no call reports it. A timeout
// must not disable the DLL for good: setup goes on in the background, and
// takes the mutex the moment its holder dies.
//
// late.exe and its holder create the setup mutex themselves: with --trust
// header, since under Wine their mutex has no owner, which --trust owner
// would refuse as SQUATTED before waiting for it.
func TestLockStateAtLoad(t *testing.T) {
	serial(t)
	win.require(t)
	bin := filepath.Join(sharedProject(t, "timeout-200ms-header", "--lock-timeout", "200ms", "--trust", "header"), "bin")
	cProgram(t, bin, "lock")
	cProgram(t, bin, "late")
	wantOutput(t, run(t, bin, "late.exe", "abandoned"),
		"set: ok=1 status=0",
		"set: ok=1 status=0",
	)
	wantOutput(t, run(t, bin, "late.exe", "held"),
		"set: ok=0 status=LOCK_TIMEOUT",
		"set: ok=1 status=0",
		"set: ok=1 status=0",
	)
}

// TestFaultKillsTheCaller gives set and write-bytes a source that turns
// unreadable partway. The exports are C and do not catch the fault: the
// caller dies, as it would in memcpy, while it holds the lock, half-way
// through its write. The next caller must take the lock over, and every
// read of what the dead one was writing must say ABANDONED, in whichever
// process, until a write covers it (set copies as it reads: the 'B's up to
// the fault are there).
func TestFaultKillsTheCaller(t *testing.T) {
	serial(t)
	overHosts(t, func(t *testing.T, h *host) {
		bin := filepath.Join(defaultProject(t), "bin")
		h.cProgram(t, bin, "fault", true)
		wantOutput(t, h.run(t, bin, h.Prog("fault")),
			"set: ok=1 status=0",
			"died in set: exit=3",
			"get: ok=1 status=ABANDONED length=1000 Bs=1000",
			"get: ok=1 status=ABANDONED length=1000 Bs=1000",
			"set: ok=1 status=0",
			"get: ok=1 status=0 length=5 Bs=0",
			"died in write: exit=3",
			"get: ok=1 status=ABANDONED",
			"read all bytes: ok=1 status=ABANDONED",
			"set: ok=1 status=0",
			"get: ok=1 status=0 length=5 Bs=0",
			"read all bytes: ok=1 status=ABANDONED",
			"write all bytes: ok=1 status=0",
			"read all bytes: ok=1 status=0",
		)
	})
}

// TestWait drives the wait export: its edges, a waiter in another process
// woken by each of a series of writes (how fast is logged; the benchmark
// reports it), and a burst of writes that a waiter passing back each
// generation must account for in full.
func TestWait(t *testing.T) {
	serial(t)
	overHosts(t, func(t *testing.T, h *host) {
		bin := filepath.Join(defaultProject(t), "bin")
		waitExport(t, h, bin)
	})
}

// timeoutStatus is the status a wait that timed out leaves, per system:
// ERROR_TIMEOUT on both.
var timeoutStatus = map[string]string{"windows": "win32:1460", "linux": "status:1460"}

func waitExport(t *testing.T, h *host, bin string) {
	h.cProgram(t, bin, "wait", true)
	wantOutput(t, h.run(t, bin, h.Prog("wait"), "edges"),
		"wait NULL: ok=0 status=BAD_ARGUMENT",
		"wait from 0: ok=1 status=0 generation=1",
		"wait 50 ms, no write: ok=0 status="+timeoutStatus[h.System]+" unchanged=1",
		"its text: ERROR_TIMEOUT: the wait timed out",
		"after a set: ok=1 generation+1",
		"after a byte write, an empty one and a failed one: ok=1 generation+1",
		"a wait that finds a write at once: ok=1 generation+1 waiting=0",
	)
	r := h.run(t, bin, h.Prog("wait"), "latency", "50")
	if r.status != 0 || !regexp.MustCompile(`(?m)^waiter: wakes=50 seen=50 median_us=\d+ max_us=\d+\nwaiter exit=0$`).MatchString(r.stdout) {
		t.Errorf("latency: want 50 wakes for 50 writes, got %s", r)
	}
	t.Logf("wake-up: %s", strings.TrimSpace(r.stdout))
	wantOutput(t, h.run(t, bin, h.Prog("wait"), "burst", "10000"),
		"waiter: seen=10000",
		"waiter exit=0",
	)
	deadWaiter(t, h, bin)
}

// deadWaiter kills a waiter in its wait: the flag it left costs the next
// write one wake and nothing after (the header's waiting is 0 again, so
// no write after makes a system call), and an idle wait then sleeps
// rather than drains wakes: it uses a fraction of the CPU it waits.
func deadWaiter(t *testing.T, h *host, bin string) {
	t.Helper()
	r := h.run(t, bin, h.Prog("wait"), "dead", "100000")
	idle := regexp.MustCompile(`(?m)^idle 2 s wait: ok=0 status=(\S+) cpu_ms=(\d+)$`).FindStringSubmatch(r.stdout)
	want := "waiting after the waiter died: 1\nwaiting after a write: 0\nwaiting after 100000 writes: 0\n"
	if r.status != 0 || !strings.HasPrefix(r.stdout, want) || idle == nil || idle[1] != timeoutStatus[h.System] {
		t.Fatalf("got %s\nwant stdout to start\n%sidle 2 s wait: ok=0 status=%s cpu_ms=N", r, want, timeoutStatus[h.System])
	}
	t.Logf("after a dead waiter: %s", strings.Join(strings.Fields(r.stderr), " "))
	if cpu, _ := strconv.Atoi(idle[2]); cpu > 500 {
		t.Errorf("an idle 2 s wait after a dead waiter used %d ms of CPU: it drains wakes instead of sleeping\n%s", cpu, r)
	}
}
