package e2e

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// BenchmarkBindings is not a test: it measures, on Linux, natively, what a
// call costs from each binding (C#, Python, Rust) beside the same call
// from C, in one run, in a project of its own with the bindings and a
// record (examples/custom's Reading), and prints a table of medians with
// each cell's ratio to C's. Run it with
//
//	go test ./e2e -run '^$' -bench Bindings -benchtime 1x -v
//
// Each cell is the median of runs fresh processes of a program in
// testdata/bindbench, which times its loop with the process's CPU time
// (CLOCK_PROCESS_CPUTIME_ID): on a machine shared with other work a wall
// clock would time that work too. Rows: a 21-character set+get pair, a
// record read, a call of the size export; for Python also the pair through
// a careful hand-written ctypes binding and a bare ctypes call, which
// bound what any ctypes binding can do. The C# programs run a second time
// with MONO_THREADS_SUSPEND=preemptive: Mono's default (hybrid) suspend
// makes every P/Invoke a GC transition, most of a C# call's cost.
func BenchmarkBindings(b *testing.B) {
	lin.require(b)
	requireBindingTools(b)
	base := fmt.Sprintf("shmemgen-e2e-bindbench-%d", os.Getpid())
	segment := "/dev/shm/" + base
	os.Remove(segment)
	b.Cleanup(func() { os.Remove(segment) })

	dir := filepath.Join(b.TempDir(), "proj")
	args := []string{"new", "--os", "windows,linux", "--name", `Local\` + base, "--bindings", "csharp,python,rust",
		"--record", "Reading", "--field", "count:u64", "--field", "temp:f64", "--field", "label:utf16[16]", "--field", "ok:bool",
		"--out", dir}
	if out, err := exec.Command(shmemgen, args...).CombinedOutput(); err != nil {
		b.Fatalf("shmemgen new: %v\n%s", err, out)
	}
	build := exec.Command(bash(), "build.sh", "linux")
	build.Dir = dir
	build.Env = lin.buildEnv()
	if out, err := build.CombinedOutput(); err != nil {
		b.Fatalf("./build.sh linux: %v\n%s", err, out)
	}
	bin := filepath.Join(dir, "bin")
	p := func(name string) string { return filepath.Join(bin, name) }
	src, err := filepath.Abs(filepath.Join("testdata", "bindbench"))
	if err != nil {
		b.Fatal(err)
	}
	testdata, _ := filepath.Abs("testdata")

	// The record rows need the bindings' record API, which a binding
	// without it leaves out: the programs are built with it where the
	// generated binding has it.
	has := func(file, api string) bool {
		data, err := os.ReadFile(filepath.Join(dir, "bindings", file))
		return err == nil && bytes.Contains(data, []byte(api))
	}
	rustRecord := has("rust/src/lib.rs", "fn read_record_into")
	csRecord := has("csharp/SharedMem.cs", "void ReadRecord(out ")
	pyRecord := has("python/sharedmem.py", "def read_record(")
	rustc := []string{"rustc", "--edition", "2021", "-O", "-D", "warnings", "--extern", "sharedmem=" + p("obj/libsharedmem.rlib"), "-o", p("bench-rs"), filepath.Join(src, "bench.rs")}
	if rustRecord {
		rustc = append(rustc, "--cfg", "record")
	}
	mcs := []string{"mcs", "-nologo", "-unsafe", "-optimize+", "-warnaserror+", "-out:" + p("bench-cs.exe"), filepath.Join(dir, "bindings", "csharp", "SharedMem.cs"), filepath.Join(src, "Bench.cs")}
	if csRecord {
		mcs = append(mcs, "-define:RECORD")
	}
	for _, argv := range [][]string{
		{envOr("CC", "gcc"), "-O2", "-Wall", "-Wextra", "-Werror", "-I", bin, "-iquote", testdata, "-iquote", filepath.Join(dir, "hosts", "c"), "-o", p("bench"), filepath.Join(src, "bench.c"), "-ldl"},
		rustc, mcs,
	} {
		if out, err := exec.Command(argv[0], argv[1:]...).CombinedOutput(); err != nil {
			b.Fatalf("%q: %v\n%s", argv, err, out)
		}
	}
	data, err := os.ReadFile(filepath.Join(src, "bench.py"))
	if err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(p("bench.py"), data, 0o755); err != nil {
		b.Fatal(err)
	}

	preemptive := []string{"MONO_THREADS_SUSPEND=preemptive"}
	columns := []bindColumn{
		{heading: "C", argv: []string{p("bench")}, record: true},
		{heading: "C#", argv: []string{"mono", p("bench-cs.exe")}, record: csRecord},
		{heading: "C# preemptive", argv: []string{"mono", p("bench-cs.exe")}, env: preemptive, record: csRecord},
		{heading: "Rust", argv: []string{p("bench-rs")}, record: rustRecord},
		{heading: "Python", argv: []string{"python3", p("bench.py")}, record: pyRecord, python: true},
	}
	const n, pyN = "2000000", "200000" // Python's calls cost 100 times C's
	rows := []bindRow{
		{"set+get, 21 chars, ns", "pair_ns", func(c bindColumn) []string { return []string{"pair", c.n(n, pyN), "21"} }},
		{"record read, ns", "record_ns", func(c bindColumn) []string {
			if !c.record {
				return nil
			}
			return []string{"record", c.n(n, pyN)}
		}},
		{"call (size export), ns", "call_ns", func(c bindColumn) []string { return []string{"call", c.n(n, pyN)} }},
		{"hand-written ctypes set+get, ns", "hand_ns", func(c bindColumn) []string {
			if !c.python {
				return nil
			}
			return []string{"hand", pyN, "21"}
		}},
		{"bare ctypes call, ns", "noop_ns", func(c bindColumn) []string {
			if !c.python {
				return nil
			}
			return []string{"noop", pyN}
		}},
	}
	b.ResetTimer()
	cells := make([][]float64, len(rows))
	for range b.N {
		for i, row := range rows {
			cells[i] = cells[i][:0]
			for _, c := range columns {
				v := -1.0
				if args := row.args(c); args != nil {
					v = bindMedian(b, segment, c, row.key, args)
					b.ReportMetric(v, strings.NewReplacer(" ", "-", "#", "sharp").Replace(fmt.Sprintf("%s-%s", row.key, c.heading)))
				}
				cells[i] = append(cells[i], v)
			}
		}
	}
	b.ReportMetric(0, "ns/op")
	b.Log(bindTable(columns, rows, cells))
}

// bindColumn is a language's bench program.
type bindColumn struct {
	heading string
	argv    []string
	env     []string
	record  bool // built with the record's rows
	python  bool
}

// n is the loop count for c: fewer for Python, whose calls cost more.
func (c bindColumn) n(compiled, python string) string {
	if c.python {
		return python
	}
	return compiled
}

// bindRow is a row of the table: the program's arguments for a column
// (nil: not measured there) and the key=value it prints.
type bindRow struct {
	label, key string
	args       func(c bindColumn) []string
}

// bindMedian runs c's program with args runs times, each in a fresh
// process on a fresh segment, and returns the median of key's values.
func bindMedian(b *testing.B, segment string, c bindColumn, key string, args []string) float64 {
	b.Helper()
	re := regexp.MustCompile(`(?m)^` + key + `=([0-9.]+)$`)
	var values []float64
	for range runs {
		os.Remove(segment)
		cmd := exec.Command(c.argv[0], append(c.argv[1:len(c.argv):len(c.argv)], args...)...)
		cmd.Env = append(os.Environ(), c.env...)
		cmd.Dir = b.TempDir()
		var stdout, stderr strings.Builder
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		m := re.FindStringSubmatch(stdout.String())
		if err != nil || m == nil {
			b.Fatalf("%q %q: %v, want %s=N\nstdout:\n%s\nstderr:\n%s", c.argv, args, err, key, stdout.String(), stderr.String())
		}
		v, _ := strconv.ParseFloat(m[1], 64)
		values = append(values, v)
	}
	slices.Sort(values)
	return values[len(values)/2]
}

// bindTable lays the cells out, each with its ratio to C's in its row.
func bindTable(columns []bindColumn, rows []bindRow, cells [][]float64) string {
	var t strings.Builder
	fmt.Fprintf(&t, "\nmedians of %d runs, CPU time, Linux native; (×N) is the ratio to C's in the row (to C's set+get for the hand-written pair, to C's call for the bare ctypes call)\n%-34s", runs, "")
	for _, c := range columns {
		fmt.Fprintf(&t, " %18s", c.heading)
	}
	for i, row := range rows {
		fmt.Fprintf(&t, "\n%-34s", row.label)
		base := cells[i][0]
		switch row.key {
		case "hand_ns":
			base = cells[0][0]
		case "noop_ns":
			base = cells[2][0]
		}
		for j, v := range cells[i] {
			cell := "-"
			if v >= 0 {
				cell = strconv.FormatFloat(v, 'f', 1, 64)
				if j > 0 && base > 0 {
					cell += fmt.Sprintf(" (×%.1f)", v/base)
				}
			}
			fmt.Fprintf(&t, " %18s", cell)
		}
	}
	return t.String()
}
