package e2e

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestAbandonedLock kills a process, with TerminateProcess, while it holds
// the lock: the next set must take the abandoned lock, succeed, and say so
// through the status export. The holder takes the header's lock word
// without loading the DLL, as any program following the protocol may.
func TestAbandonedLock(t *testing.T) {
	overHosts(t, func(t *testing.T, h *host) {
		bin := filepath.Join(defaultProject(t), "bin")
		wantAbandoned(t, h, bin)
	})
}

// wantAbandoned runs lock abandon in bin on h.
func wantAbandoned(t *testing.T, h *host, bin string) {
	t.Helper()
	h.cProgram(t, bin, "lock", false)
	wantOutput(t, h.run(t, bin, h.prog("lock"), "abandon"),
		"size: 4096",
		"set: ok=1 status=0",
		`get: ok=1 status=0 text="before"`,
		"holder holds the lock",
		"holder killed",
		"set: ok=1 status=ABANDONED",
		// Only the call that took the abandoned lock reports it.
		`get: ok=1 status=0 text="after"`,
	)
}

// TestAbandonedLockNoWait is TestAbandonedLock with --lock-timeout 0s: a
// call that may not wait must still notice that the holder is dead, or the
// lock would stay with it for ever.
func TestAbandonedLockNoWait(t *testing.T) {
	overHosts(t, func(t *testing.T, h *host) {
		wantAbandoned(t, h, filepath.Join(sharedProject(t, "timeout-0s", withOS("--lock-timeout", "0s")...), "bin"))
	})
}

// TestLockTimeout keeps the lock held by another, live, process: with a
// 200 ms --lock-timeout every export that needs the lock gives up with the
// timeout status (how long it waited is not checked: timing under Wine on
// a loaded machine proves nothing). Once the holder is killed the lock
// works again, reporting the abandonment.
func TestLockTimeout(t *testing.T) {
	overHosts(t, func(t *testing.T, h *host) {
		bin := filepath.Join(sharedProject(t, "timeout-200ms", withOS("--lock-timeout", "200ms")...), "bin")
		h.cProgram(t, bin, "lock", false)
		lockTimeout(t, h.run(t, bin, h.prog("lock"), "timeout"))
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
		"set: ok=1 status=ABANDONED",
		`get: ok=1 status=0 text="after"`,
	)
}

// TestLockStateAtLoad loads the DLL while the setup mutex is abandoned, or
// held past the timeout. An abandonment setup took must still be reported,
// once, by the first call; a timeout must not disable the DLL for good:
// setup goes on in the background, and takes the mutex the moment its
// holder dies, which the next call reports.
//
// late.exe and its holder create the setup mutex themselves: with --trust
// header, since under Wine their mutex has no owner, which --trust owner
// would refuse as SQUATTED before waiting for it.
func TestLockStateAtLoad(t *testing.T) {
	win.require(t)
	bin := filepath.Join(sharedProject(t, "timeout-200ms-header", "--lock-timeout", "200ms", "--trust", "header"), "bin")
	cProgram(t, bin, "lock")
	cProgram(t, bin, "late")
	wantOutput(t, run(t, bin, "late.exe", "abandoned"),
		"set: ok=1 status=ABANDONED",
		"set: ok=1 status=0",
	)
	wantOutput(t, run(t, bin, "late.exe", "held"),
		"set: ok=0 status=LOCK_TIMEOUT",
		"set: ok=1 status=ABANDONED",
		"set: ok=1 status=0",
	)
}

// TestFaultKillsTheCaller gives set and write-bytes a source that turns
// unreadable partway. The exports are C and do not catch the fault: the
// caller dies, as it would in memcpy, while it holds the lock. The next
// caller must take the lock over and report ABANDONED, with what the dead
// one managed to write (set copies as it reads: the 'B's up to the fault).
func TestFaultKillsTheCaller(t *testing.T) {
	win.require(t)
	bin := filepath.Join(defaultProject(t), "bin")
	cProgram(t, bin, "fault", filepath.Join(bin, "shmem.dll"))
	wantOutput(t, run(t, bin, "fault.exe"),
		"crash in set: exit=0xc0000005",
		"get: ok=1 status=ABANDONED text=1000 x B",
		"get: ok=1 status=0",
		"crash in write: exit=0xc0000005",
		"set: ok=1 status=ABANDONED",
	)
}

// TestWait drives the wait export: its edges, a waiter in another process
// woken by each of a series of writes (how fast is logged; the benchmark
// reports it), and a burst of writes that a waiter passing back each
// generation must account for in full.
func TestWait(t *testing.T) {
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
	wantOutput(t, h.run(t, bin, h.prog("wait"), "edges"),
		"wait NULL: ok=0 status=BAD_ARGUMENT",
		"wait from 0: ok=1 status=0 generation=1",
		"wait 50 ms, no write: ok=0 status="+timeoutStatus[h.system]+" unchanged=1",
		"after a set: ok=1 generation+1",
		"after a byte write, an empty one and a failed one: ok=1 generation+1",
	)
	r := h.run(t, bin, h.prog("wait"), "latency", "50")
	if r.status != 0 || !regexp.MustCompile(`(?m)^waiter: wakes=50 seen=50 median_us=\d+ max_us=\d+\nwaiter exit=0$`).MatchString(r.stdout) {
		t.Errorf("latency: want 50 wakes for 50 writes, got %s", r)
	}
	t.Logf("wake-up: %s", strings.TrimSpace(r.stdout))
	wantOutput(t, h.run(t, bin, h.prog("wait"), "burst", "10000"),
		"waiter: seen=10000",
		"waiter exit=0",
	)
}
