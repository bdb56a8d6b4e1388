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

// benchTarget is one DLL the benchmark measures.
type benchTarget struct {
	name, heading, bin string
	sample             bool
}

// BenchmarkDLL is not a test: it measures, from C hosts under Wine, the
// generated DLL at 4 KiB and 1 GiB beside the sample's C DLL, which has no
// lock, in one run, and prints a table with each cell's ratio to the
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
	targets := []benchTarget{
		{name: "4KiB", heading: "shmem 4KiB", bin: filepath.Join(defaultProject(b), "bin")},
		{name: "1GiB", heading: "shmem 1GiB", bin: filepath.Join(sharedProject(b, "bench-1GiB", "--size", "1GiB"), "bin")},
	}
	if os.Getenv(sampleEnv) != "" {
		targets = append(targets, benchTarget{name: "sample", heading: "sample (C)", bin: sampleDLL(b, b.TempDir()), sample: true})
	} else {
		b.Logf("no sample column: %s is not set", sampleEnv)
	}
	for _, t := range targets {
		if t.sample {
			cProgram(b, t.bin, "bench", "-DSAMPLE")
			cProgram(b, t.bin, "stress", "-DSAMPLE", filepath.Join(t.bin, "dllmem.dll"))
		} else {
			cProgram(b, t.bin, "bench")
			cProgram(b, t.bin, "stress", filepath.Join(t.bin, "shmem.dll"))
			cProgram(b, t.bin, "lock")
			cProgram(b, t.bin, "wait", filepath.Join(t.bin, "shmem.dll"))
		}
	}
	const pairs = "200000"
	rows := []benchRow{
		{"attach, ms", "attach-%s-ms", func(t benchTarget) float64 {
			return benchMedian(b, t.bin, "attach_us", "bench.exe", "attach") / 1000
		}},
		{"set+get, 21 chars, ns", "pair21-%s-ns", func(t benchTarget) float64 {
			return benchMedian(b, t.bin, "pair_ns", "bench.exe", "pair", pairs, "21")
		}},
		{"set+get, 2000 chars, ns", "pair2000-%s-ns", func(t benchTarget) float64 {
			return benchMedian(b, t.bin, "pair_ns", "bench.exe", "pair", "20000", "2000")
		}},
		{"bytes 4 KiB w+r, ns", "bytes4k-%s-ns", func(t benchTarget) float64 {
			if t.sample {
				return -1 // the sample has no byte exports
			}
			return benchMedian(b, t.bin, "bytes_ns", "bench.exe", "bytes", "20000", "4096")
		}},
		{"call, no lock, ns", "call-%s-ns", func(t benchTarget) float64 {
			if t.sample {
				return -1 // the sample has no export to call without the string
			}
			return benchMedian(b, t.bin, "call_ns", "bench.exe", "call", pairs)
		}},
		{"4w+4r contended, calls/ms", "contended-%s-calls-per-ms", func(t benchTarget) float64 {
			return contended(b, t.bin)
		}},
		{"wait export wake-up, µs", "wakeup-%s-us", func(t benchTarget) float64 {
			if t.sample {
				return -1 // no wait export
			}
			return benchMedian(b, t.bin, "median_us", "wait.exe", "latency", "50")
		}},
		{"takeover after death, ms", "takeover-%s-ms", func(t benchTarget) float64 {
			if t.sample {
				return -1 // no lock
			}
			return benchMedian(b, t.bin, "takeover_ms", "lock.exe", "takeover")
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
	fmt.Fprintf(&table, "\nmedians of %d runs under Wine; (×N) is the ratio to the sample's C DLL\n%-28s", runs, "")
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

// contended runs stress.exe drive in bin, runs times, and returns the
// median of the calls per millisecond its 8 processes made together.
func contended(b *testing.B, bin string) float64 {
	b.Helper()
	var values []float64
	for range runs {
		s := parseStress(b, run(b, bin, "stress.exe", "drive", strconv.Itoa(contendMillis)))
		values = append(values, float64(sum(s.writes)+sum(s.reads)+sum(s.failed))/contendMillis)
	}
	slices.Sort(values)
	return values[len(values)/2]
}

// benchMedian runs exe with args in bin, runs times, and returns the
// median of the numbers it printed as key=value, a word of a line.
func benchMedian(b *testing.B, bin, key, exe string, args ...string) float64 {
	b.Helper()
	re := regexp.MustCompile(`(?m)(?:^|\s)` + key + `=([0-9.]+)(?:\s|$)`)
	var values []float64
	for range runs {
		r := run(b, bin, exe, args...)
		m := re.FindStringSubmatch(r.stdout)
		if r.status != 0 || m == nil {
			b.Fatalf("%s %v in %s: want %s=N, got %s", exe, args, bin, key, r)
		}
		v, _ := strconv.ParseFloat(m[1], 64)
		values = append(values, v)
	}
	slices.Sort(values)
	return values[len(values)/2]
}
