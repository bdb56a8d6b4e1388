package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// Every number is the median of runs processes: under Wine on a shared
// machine one run can be several times slower than the next.
const runs = 5

// contendMillis is how long the 8 processes of a contended run go on.
const contendMillis = 1000

// benchTarget is one column of the benchmark: a DLL, the Linux library,
// or, for comparison on Linux, a pipe or a Unix socket.
type benchTarget struct {
	name, heading, bin string
	host               *host
	sample             bool
	ipc                string // "pipe" or "socket": not a library at all
}

// lib reports whether t is a generated library (not the sample, not ipc).
func (t benchTarget) lib() bool { return !t.sample && t.ipc == "" }

// BenchmarkDLL is not a test: it measures, from C hosts under Wine (or on
// Windows), the generated DLL at 4 KiB and 1 GiB beside the sample's C
// DLL, which has no lock, and on Linux, natively, the same project's
// libshmem.so beside a pipe and a Unix socket round trip of the same
// messages, in one run, and prints a table with each cell's ratio to the
// sample's. Run it with
//
//	go test ./e2e -run '^$' -bench . -benchtime 1x
//
// with SHMEMGEN_SAMPLE_DIR set for the sample's column. Rows: attach
// (LoadLibrary until the first export returns), set+get pairs of 21 and
// 2000 characters, a 4 KiB byte write+read pair, a call that takes no
// lock, calls per millisecond with 4 writer and 4 reader processes
// contending (stress.exe), how soon a write wakes a waiter in the wait
// export, and how long the set after a lock holder's death takes to take
// the lock over.
func BenchmarkDLL(b *testing.B) {
	var targets []benchTarget
	if win.available() {
		targets = append(targets,
			benchTarget{name: "4KiB", heading: "shmem 4KiB", bin: filepath.Join(defaultProject(b), "bin"), host: win},
			benchTarget{name: "1GiB", heading: "shmem 1GiB", bin: filepath.Join(sharedProject(b, "bench-1GiB", "--size", "1GiB"), "bin"), host: win})
		if os.Getenv(sampleEnv) != "" {
			targets = append(targets, benchTarget{name: "sample", heading: "sample (C)", bin: sampleDLL(b, b.TempDir()), host: win, sample: true})
		} else {
			b.Logf("no sample column: %s is not set", sampleEnv)
		}
	} else {
		b.Logf("no Windows columns: %v", win.unavailable())
	}
	if lin.available() {
		bin := filepath.Join(defaultProject(b), "bin")
		targets = append(targets,
			benchTarget{name: "linux-4KiB", heading: "linux shmem 4KiB", bin: bin, host: lin},
			benchTarget{name: "linux-pipe", heading: "linux pipe", bin: bin, host: lin, ipc: "pipe"},
			benchTarget{name: "linux-socket", heading: "linux unix socket", bin: bin, host: lin, ipc: "socket"})
	} else {
		b.Logf("no Linux columns: %v", lin.unavailable())
	}
	if len(targets) == 0 {
		win.require(b)
	}
	for _, t := range targets {
		switch {
		case t.sample:
			t.host.cProgram(b, t.bin, "bench", false, "-DSAMPLE")
			t.host.cProgram(b, t.bin, "stress", false, "-DSAMPLE", filepath.Join(t.bin, "dllmem.dll"))
		case t.ipc != "":
			t.host.cProgram(b, t.bin, "ipc", false)
		default:
			t.host.cProgram(b, t.bin, "bench", false)
			t.host.cProgram(b, t.bin, "stress", true)
			t.host.cProgram(b, t.bin, "lock", false)
			t.host.cProgram(b, t.bin, "wait", true)
		}
	}
	const pairs = "200000"
	rows := []benchRow{
		{"attach, ms", "attach-%s-ms", func(t benchTarget) float64 {
			if t.ipc != "" {
				return -1
			}
			return benchMedian(b, t, "attach_us", "bench", "attach") / 1000
		}},
		// A pipe's or a socket's cell is a round trip to another
		// process and back: the message handed over, as a set+get is.
		{"set+get, 21 chars, ns", "pair21-%s-ns", func(t benchTarget) float64 {
			if t.ipc != "" {
				return benchMedian(b, t, "pair_ns", "ipc", t.ipc, "20000", "21")
			}
			return benchMedian(b, t, "pair_ns", "bench", "pair", pairs, "21")
		}},
		{"set+get, 2000 chars, ns", "pair2000-%s-ns", func(t benchTarget) float64 {
			if t.ipc != "" {
				return benchMedian(b, t, "pair_ns", "ipc", t.ipc, "20000", "2000")
			}
			return benchMedian(b, t, "pair_ns", "bench", "pair", "20000", "2000")
		}},
		{"bytes 4 KiB w+r, ns", "bytes4k-%s-ns", func(t benchTarget) float64 {
			if !t.lib() {
				return -1 // the sample has no byte exports
			}
			return benchMedian(b, t, "bytes_ns", "bench", "bytes", "20000", "4096")
		}},
		{"call, no lock, ns", "call-%s-ns", func(t benchTarget) float64 {
			if !t.lib() {
				return -1 // the sample has no export to call without the string
			}
			return benchMedian(b, t, "call_ns", "bench", "call", pairs)
		}},
		{"4w+4r contended, calls/ms", "contended-%s-calls-per-ms", func(t benchTarget) float64 {
			if t.ipc != "" {
				return -1
			}
			return contended(b, t)
		}},
		{"wait export wake-up, µs", "wakeup-%s-us", func(t benchTarget) float64 {
			if !t.lib() {
				return -1 // no wait export
			}
			return benchMedian(b, t, "median_us", "wait", "latency", "50")
		}},
		{"takeover after death, ms", "takeover-%s-ms", func(t benchTarget) float64 {
			if !t.lib() {
				return -1 // no lock
			}
			return benchMedian(b, t, "takeover_ms", "lock", "takeover")
		}},
	}
	b.ResetTimer()

	cells := make([][]float64, len(rows)) // by row, then target
	for range b.N {
		for i, row := range rows {
			cells[i] = cells[i][:0]
			for _, t := range targets {
				v := row.measure(t)
				if v >= 0 {
					b.ReportMetric(v, fmt.Sprintf(row.metric, t.name))
				}
				cells[i] = append(cells[i], v)
			}
		}
	}
	b.ReportMetric(0, "ns/op") // the wall time of the whole run says nothing
	b.Log(benchTable(targets, rows, cells))
}

// benchRow is one row of the table: what it measures, and how.
type benchRow struct {
	label, metric string                      // metric takes the target's name
	measure       func(t benchTarget) float64 // < 0: not measured
}

// benchTable lays the cells out, each with its ratio to the sample's cell
// in the same row when there is one.
func benchTable(targets []benchTarget, rows []benchRow, cells [][]float64) string {
	sample := slices.IndexFunc(targets, func(t benchTarget) bool { return t.sample })
	var table strings.Builder
	fmt.Fprintf(&table, "\nmedians of %d runs; Windows columns under %s, Linux ones native; (×N) is the ratio to the sample's C DLL\n%-28s",
		runs, win.Name, "")
	for _, t := range targets {
		fmt.Fprintf(&table, " %20s", t.heading)
	}
	for i, row := range rows {
		fmt.Fprintf(&table, "\n%-28s", row.label)
		for j, v := range cells[i] {
			cell := "-"
			if v >= 0 {
				cell = strconv.FormatFloat(v, 'f', 1, 64)
				if sample >= 0 && j != sample && cells[i][sample] > 0 {
					cell += fmt.Sprintf(" (×%.2f)", v/cells[i][sample])
				}
			}
			fmt.Fprintf(&table, " %20s", cell)
		}
	}
	return table.String()
}

// contended runs stress drive for t, runs times, and returns the median
// of the calls per millisecond its 8 processes made together.
func contended(b *testing.B, t benchTarget) float64 {
	b.Helper()
	var values []float64
	for range runs {
		t.host.fresh(b)
		s := parseStress(b, t.host.run(b, t.bin, t.host.Prog("stress"), "drive", strconv.Itoa(contendMillis)))
		values = append(values, float64(sum(s.writes)+sum(s.reads)+sum(s.failed))/contendMillis)
	}
	slices.Sort(values)
	return values[len(values)/2]
}

// benchMedian runs the program name with args for t, runs times, and
// returns the median of the numbers it printed as key=value, a word of a
// line.
func benchMedian(b *testing.B, t benchTarget, key, name string, args ...string) float64 {
	b.Helper()
	re := regexp.MustCompile(`(?m)(?:^|\s)` + key + `=([0-9.]+)(?:\s|$)`)
	var values []float64
	for range runs {
		t.host.fresh(b)
		r := t.host.run(b, t.bin, t.host.Prog(name), args...)
		m := re.FindStringSubmatch(r.stdout)
		if r.status != 0 || m == nil {
			b.Fatalf("%s %v in %s: want %s=N, got %s", name, args, t.bin, key, r)
		}
		v, _ := strconv.ParseFloat(m[1], 64)
		values = append(values, v)
	}
	slices.Sort(values)
	return values[len(values)/2]
}

// pingRounds is how many round trips a ping-pong run times, after a tenth
// as many of warm-up: a sleeping wake under Wine takes tens of
// microseconds, so that a run stays within seconds.
const pingRounds = "20000"

// pingMetrics are what pingpong.c prints, one-way nanoseconds: mean_ns is
// iceoryx2's figure (the run's time over twice the rounds), the rest are
// quantiles of each round trip halved.
var pingMetrics = []string{"mean_ns", "median_ns", "p90_ns", "p99_ns", "max_ns"}

// pingColumn is one column of BenchmarkWakeLatency: a mode of pingpong.c
// run from bin on host.
type pingColumn struct {
	name, heading, bin, mode string
	host                     *host
}

// BenchmarkWakeLatency is not a test: it measures how soon a write reaches
// a waiter in another process, as iceoryx2 measures its publish-subscribe
// latency (two processes bounce a counter, one-way latency = round trip /
// 2; e2e/testdata/pingpong.c), through the wait export as built (it spins
// for up to 20 µs before it sleeps), through the same library built with
// the spin off (-DSHMEMGEN_WAIT_SPIN_US=0, from a cgo file added to the
// project's dll/), and through a pipe, in one run, under Wine and on Linux.
// It prints each metric's median over 5 runs, with its ratio to the pipe's
// on the same system, and how many writes found the other side asleep.
// Run it with
//
//	go test ./e2e -run '^$' -bench WakeLatency -benchtime 1x -v
func BenchmarkWakeLatency(b *testing.B) {
	spin := filepath.Join(defaultProject(b), "bin")
	sleep := filepath.Join(noSpinProject(b), "bin")
	var columns []pingColumn
	for _, h := range hosts {
		if !h.available() {
			b.Logf("no %s columns: %v", h.Name, h.unavailable())
			continue
		}
		h.cProgram(b, spin, "pingpong", true)
		h.cProgram(b, sleep, "pingpong", true)
		columns = append(columns,
			pingColumn{h.Name + "-spin", h.Name + " wait, spin", spin, "shm", h},
			pingColumn{h.Name + "-sleep", h.Name + " wait, no spin", sleep, "shm", h},
			pingColumn{h.Name + "-pipe", h.Name + " pipe", spin, "pipe", h})
	}
	if len(columns) == 0 {
		win.require(b)
	}
	b.ResetTimer()
	cells := map[string]map[string]float64{} // column, metric
	slept := map[string]string{}
	for range b.N {
		for _, c := range columns {
			cells[c.name], slept[c.name] = pingMedians(b, c)
			for k, v := range cells[c.name] {
				b.ReportMetric(v, c.name+"-"+k)
			}
		}
	}
	b.ReportMetric(0, "ns/op")
	var table strings.Builder
	fmt.Fprintf(&table, "\none-way latency, ns, medians of %d runs of %s round trips; Windows under %s, Linux native; (×N) is the ratio to the pipe's on the same system\n%-12s", runs, pingRounds, win.Name, "")
	for _, c := range columns {
		fmt.Fprintf(&table, " %22s", c.heading)
	}
	for _, m := range pingMetrics {
		fmt.Fprintf(&table, "\n%-12s", strings.TrimSuffix(m, "_ns"))
		for _, c := range columns {
			v := cells[c.name][m]
			cell := strconv.FormatFloat(v, 'f', 0, 64)
			if pipe := cells[c.host.Name+"-pipe"][m]; c.mode != "pipe" && pipe > 0 {
				cell += fmt.Sprintf(" (×%.3f)", v/pipe)
			}
			fmt.Fprintf(&table, " %22s", cell)
		}
	}
	fmt.Fprintf(&table, "\n%-12s", "slept")
	for _, c := range columns {
		fmt.Fprintf(&table, " %22s", slept[c.name])
	}
	b.Log(table.String())
}

// pingMedians runs pingpong for c, runs times, and returns the median of
// each metric, and the runs' slept counts (writes that found the other
// side's waiting flag set), as "a/b/c… of N".
func pingMedians(b *testing.B, c pingColumn) (map[string]float64, string) {
	b.Helper()
	values := map[string][]float64{}
	var slept []string
	sleptRE := regexp.MustCompile(`slept=(\d+) of (\d+)`)
	total := ""
	for range runs {
		c.host.fresh(b)
		r := c.host.run(b, c.bin, c.host.Prog("pingpong"), c.mode, pingRounds)
		for _, m := range pingMetrics {
			v := regexp.MustCompile(`(?:^|\s)` + m + `=([0-9.]+)(?:\s|$)`).FindStringSubmatch(r.stdout)
			if r.status != 0 || v == nil {
				b.Fatalf("pingpong %s in %s: want %s=N, got %s", c.mode, c.bin, m, r)
			}
			f, _ := strconv.ParseFloat(v[1], 64)
			values[m] = append(values[m], f)
		}
		if s := sleptRE.FindStringSubmatch(r.stdout); s != nil {
			slept = append(slept, s[1])
			total = s[2]
		}
	}
	medians := map[string]float64{}
	for m, vs := range values {
		slices.Sort(vs)
		medians[m] = vs[len(vs)/2]
	}
	if len(slept) == 0 {
		return medians, "-"
	}
	return medians, strings.Join(slept, "/") + " of " + total
}

// noSpinProject is the default project with the wait export's spin
// turned off at build time, the way docs/library.md says: a Go file of the
// project's own in dll/ whose cgo CFLAGS define SHMEMGEN_WAIT_SPIN_US=0.
func noSpinProject(tb testing.TB) string {
	tb.Helper()
	var args []string
	if hasOS() {
		args = []string{"--os", "windows,linux"}
	}
	requireAny(tb, args)
	p, err := sharedBuildFor("nospin", args)
	if err != nil {
		tb.Fatal(err)
	}
	addFile := func(dir string) error {
		return os.WriteFile(filepath.Join(dir, "dll", "nospin.go"),
			[]byte("package main\n\n// #cgo CFLAGS: -DSHMEMGEN_WAIT_SPIN_US=0\nimport \"C\"\n"), 0o644)
	}
	if err := p.build(filepath.Join(scratch, "projects", "nospin"), addFile); err != nil {
		tb.Fatal(err)
	}
	return p.dir
}

// TestPingPong checks BenchmarkWakeLatency's program, not its speed: 1000
// round trips through the wait export and through a pipe, on each system,
// every counter as sent (pingpong.c fails on one that is not, or on a
// generation that a write from elsewhere moved).
func TestPingPong(t *testing.T) {
	serial(t)
	overHosts(t, func(t *testing.T, h *host) {
		bin := filepath.Join(defaultProject(t), "bin")
		h.cProgram(t, bin, "pingpong", true)
		for _, mode := range []string{"shm", "pipe"} {
			r := h.run(t, bin, h.Prog("pingpong"), mode, "1000")
			want := `^mode=` + mode + ` rounds=1000 mean_ns=\d+ median_ns=\d+ p90_ns=\d+ p99_ns=\d+ max_ns=\d+( slept=\d+ of 2200)?\n$`
			if r.status != 0 || !regexp.MustCompile(want).MatchString(r.stdout) {
				t.Errorf("pingpong %s: want a line matching %s, got %s", mode, want, r)
			}
			t.Logf("%s", strings.TrimSpace(r.stdout))
		}
	})
}
