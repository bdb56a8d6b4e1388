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

// BenchmarkDLL is not a test: it measures, from a C host under Wine, how
// long the generated DLL takes to attach to a 4 KiB and a 1 GiB mapping
// (LoadLibrary until the first export returns), and what a set+get pair
// costs with the lock, beside the sample's C DLL, which has no lock. It
// prints a table and reports each number as a metric; run it with
//
//	go test ./e2e -run '^$' -bench . -benchtime 1x
//
// The numbers are Wine's: every lock operation is a round trip to
// wineserver, and so is much of a cgo callback from a C thread, which
// Windows does in the kernel or in the process. The "call" row, an export
// that takes no lock, shows how much of a pair is the callback alone.
func BenchmarkDLL(b *testing.B) {
	targets := []struct {
		name, heading, bin string
		pairs              int // set+get pairs (or calls) per run: ~100 ms worth
	}{
		{"4KiB", "shmem 4KiB", filepath.Join(defaultProject(b), "bin"), 1000},
		{"1GiB", "shmem 1GiB", filepath.Join(sharedProject(b, "bench-1GiB", "--size", "1GiB"), "bin"), 1000},
	}
	if os.Getenv(sampleEnv) != "" {
		targets = append(targets, struct {
			name, heading, bin string
			pairs              int
		}{"sample", "sample (C)", sampleDLL(b, b.TempDir()), 200000})
	} else {
		b.Logf("no sample column: %s is not set", sampleEnv)
	}
	for _, t := range targets {
		if t.name == "sample" {
			cProgram(b, t.bin, "bench", "-DSAMPLE")
		} else {
			cProgram(b, t.bin, "bench")
		}
	}
	rows := []string{"attach, ms", "set+get, 21 chars, µs", "set+get, 2000 chars, µs", "call, no lock, µs"}
	b.ResetTimer()

	var cells [][]string // by row, then target
	for range b.N {
		cells = make([][]string, len(rows))
		for _, t := range targets {
			// A Go DLL never unloads, so each attach is a process of its own.
			pairs := strconv.Itoa(t.pairs)
			values := []float64{
				benchMedian(b, t.bin, "attach_us", "attach") / 1000,
				benchMedian(b, t.bin, "pair_ns", "pair", pairs, "21") / 1000,
				benchMedian(b, t.bin, "pair_ns", "pair", pairs, "2000") / 1000,
				-1, // the sample has no export to call without the string
			}
			if t.name != "sample" {
				values[3] = benchMedian(b, t.bin, "call_ns", "call", pairs) / 1000
			}
			for i, unit := range []string{"attach-%s-ms", "pair21-%s-us", "pair2000-%s-us", "call-%s-us"} {
				cell := "-"
				if values[i] >= 0 {
					b.ReportMetric(values[i], fmt.Sprintf(unit, t.name))
					cell = strconv.FormatFloat(values[i], 'f', 3, 64)
				}
				cells[i] = append(cells[i], cell)
			}
		}
	}
	b.ReportMetric(0, "ns/op") // the wall time of the whole run says nothing

	var table strings.Builder
	fmt.Fprintf(&table, "\nmedians of %d runs under Wine\n%-26s", runs, "")
	for _, t := range targets {
		fmt.Fprintf(&table, " %12s", t.heading)
	}
	for i, row := range rows {
		fmt.Fprintf(&table, "\n%-26s", row)
		for _, c := range cells[i] {
			fmt.Fprintf(&table, " %12s", c)
		}
	}
	b.Log(table.String())
}

// benchMedian runs bench.exe with args in bin, runs times, and returns the
// median of the numbers it printed as key=value.
func benchMedian(b *testing.B, bin, key string, args ...string) float64 {
	b.Helper()
	re := regexp.MustCompile(`(?m)^` + key + `=([0-9.]+)$`)
	var values []float64
	for range runs {
		r := run(b, bin, "bench.exe", args...)
		m := re.FindStringSubmatch(r.stdout)
		if r.status != 0 || m == nil {
			b.Fatalf("bench.exe %v in %s: want %s=N, got %s", args, bin, key, r)
		}
		v, _ := strconv.ParseFloat(m[1], 64)
		values = append(values, v)
	}
	slices.Sort(values)
	return values[len(values)/2]
}
