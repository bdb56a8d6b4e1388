// Command speedbench measures shmemgen's own speed as a user meets it: whole
// processes, each paired in the same round with the yardstick, a plain copy
// of the files new writes (rm -rf COPY && cp -r DIR COPY), and prints the
// medians and the paired ratios beside the targets. Run it from the
// repository's root:
//
//	go run ./internal/speedbench
//
// It builds shmemgen from the tree it is run in (or takes -bin), then runs
// -n rounds; in each, every command runs once in a fresh process, in an
// order that rotates from round to round so that none always follows
// another. With -base OLD, an older build's commands run in the same
// rounds, beside the same yardstick: a before and after that one burst of
// load elsewhere cannot tilt. Unless -gobench=false, it then runs the
// in-process Go benchmarks (rendering, a process's first rendering, new
// and generate with nothing to do) and adds their numbers. It is a benchmark: it fails only when a command does,
// never on a number.
package main

import (
	"bufio"
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
)

func main() {
	log := func(format string, args ...any) { fmt.Fprintf(os.Stderr, "speedbench: "+format+"\n", args...) }
	n := flag.Int("n", 21, "rounds (at least 15)")
	bin := flag.String("bin", "", "measure this shmemgen binary instead of building one from the current tree")
	base := flag.String("base", "", "also measure this shmemgen binary, an older build, in the same rounds")
	dir := flag.String("dir", "", "work in this directory (default: a new one in the system's temporary directory, removed afterwards)")
	gobench := flag.Bool("gobench", true, "also run the in-process Go benchmarks (BenchmarkRender, BenchmarkRenderFirst, BenchmarkRenderFirstCached, BenchmarkNew, BenchmarkGenerateUpToDate)")
	flag.Parse()
	if *n < 15 {
		log("-n %d: at least 15 rounds, for medians worth the name", *n)
		os.Exit(2)
	}
	if err := run(*n, *bin, *base, *dir, *gobench); err != nil {
		log("%v", err)
		os.Exit(1)
	}
}

// A command is one row of the table: how to run it once, with any
// preparation that is not timed.
type command struct {
	name    string
	target  string
	prepare func() error
	argv    []string
	env     []string // added to the environment
}

func run(rounds int, bin, base, work string, gobench bool) error {
	if work == "" {
		tmp, err := os.MkdirTemp("", "speedbench-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		work = tmp
	}
	work, err := filepath.Abs(work)
	if err != nil {
		return err
	}
	if bin == "" {
		bin = filepath.Join(work, "shmemgen")
		// Built as a user's go install builds it: no test hooks, no race
		// detector.
		if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
			return fmt.Errorf("go build (run speedbench from the repository's root): %v\n%s", err, out)
		}
	}
	ref := filepath.Join(work, "ref")      // the project generate finds up to date, and cp copies
	copyDir := filepath.Join(work, "copy") // the yardstick's copy
	fresh := filepath.Join(work, "new")    // where new writes, emptied before each run
	if err := newProject(bin, ref); err != nil {
		return err
	}
	yardstick := command{name: "yardstick: rm -rf COPY && cp -r DIR COPY",
		argv: []string{"sh", "-c", `rm -rf "$1" && cp -r "$2" "$1"`, "sh", copyDir, ref}}
	cmds := append([]command{yardstick}, shmemgen(bin, "", ref, fresh)...)
	if base != "" {
		// A project of its own: an older build renders other files, and
		// two builds sharing one project would each find the other's
		// output stale and rewrite it, every round.
		refBase := ref + "-base"
		if err := newProject(base, refBase); err != nil {
			return err
		}
		cmds = append(cmds, shmemgen(base, " [-base]", refBase, fresh+"-base")...)
	}

	load0 := loadavg()
	start := time.Now()
	times := make([][]time.Duration, len(cmds))
	cpu := make([][]time.Duration, len(cmds))
	// Two warm-up rounds fill the page cache and are not counted.
	for r := -2; r < rounds; r++ {
		for k := range cmds {
			i := (k + max(r, 0)) % len(cmds)
			d, c, err := timeOne(cmds[i])
			if err != nil {
				return err
			}
			if r >= 0 {
				times[i] = append(times[i], d)
				cpu[i] = append(cpu[i], c)
			}
		}
	}
	load1 := loadavg()

	fmt.Printf("shmemgen's own speed: whole processes, %d paired rounds, medians\n", rounds)
	fmt.Printf("machine: %s, %d cores, %s; load average %s before, %s after\n", cpuModel(), runtime.NumCPU(), goVersion(), load0, load1)
	// What a reader of a pasted table needs to reproduce it.
	fmt.Printf("run: %s UTC at %s: speedbench %s\n\n", start.UTC().Format("2006-01-02 15:04"), commit(), strings.Join(os.Args[1:], " "))
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 1, ' ', 0)
	fmt.Fprintln(tw, "| command\t| median ms\t| min–max ms\t| × yardstick\t| target\t| CPU ms\t|")
	fmt.Fprintln(tw, "|---\t|---\t|---\t|---\t|---\t|---\t|")
	for i, c := range cmds {
		var ratios []float64
		for r := range times[i] {
			ratios = append(ratios, float64(times[i][r])/float64(times[0][r]))
		}
		fmt.Fprintf(tw, "| %s\t| %.1f\t| %.1f–%.1f\t| %.2f\t| %s\t| %.1f\t|\n", c.name, ms(median(times[i])), ms(slices.Min(times[i])), ms(slices.Max(times[i])), medianF(ratios), c.target, ms(median(cpu[i])))
	}
	tw.Flush()
	fmt.Println("\n× yardstick is the median of each round's ratio to the yardstick's run in the same round;")
	fmt.Println("CPU ms is user+system time, the process's and its children's.")

	if !gobench {
		return nil
	}
	fmt.Println()
	fmt.Printf("in process (go %s), medians:\n", strings.Join(goBenchArgs, " "))
	return goBenchmarks()
}

// newProject writes the default project into dir with bin, afresh.
func newProject(bin, dir string) error {
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	if out, err := exec.Command(bin, "new", "--out", dir).CombinedOutput(); err != nil {
		return fmt.Errorf("%s new: %v\n%s", bin, err, out)
	}
	return nil
}

// shmemgen returns the commands that time bin, their names ending in
// suffix: new into fresh, emptied before each run, and generate on ref, a
// project it finds up to date, both by its fast path and, with --dry-run,
// by rendering it.
func shmemgen(bin, suffix, ref, fresh string) []command {
	// The commands remember across runs which Go sources gofmt leaves
	// alone (internal/gofmtcache), in the user's cache: every run but a
	// user's first render of these sources finds them there. The second
	// new finds none, as that first render does.
	emptyCache := fresh + "-cache"
	return []command{
		{name: "shmemgen new --out DIR" + suffix, target: "≤ 2× yardstick",
			prepare: func() error { return os.RemoveAll(fresh) },
			argv:    []string{bin, "new", "--out", fresh}},
		{name: "shmemgen new --out DIR, an empty cache" + suffix,
			prepare: func() error { return errors.Join(os.RemoveAll(fresh+"-cold"), os.RemoveAll(emptyCache)) },
			argv:    []string{bin, "new", "--out", fresh + "-cold"},
			env:     []string{"XDG_CACHE_HOME=" + emptyCache}},
		{name: "shmemgen new --dry-run" + suffix, argv: []string{bin, "new", "--out", fresh + "-dry", "--dry-run"}},
		{name: "shmemgen generate (nothing to do)" + suffix, target: "≤ 20 ms", argv: []string{bin, "generate", "--dir", ref}},
		// --dry-run prints every file, so it never takes the fast path
		// that tells an up-to-date project without rendering it.
		{name: "shmemgen generate --dry-run (render and plan)" + suffix, argv: []string{bin, "generate", "--dir", ref, "--dry-run"}},
		{name: "shmemgen version (start-up)" + suffix, argv: []string{bin, "version"}},
	}
}

// timeOne runs c once and returns how long the process took, from start to
// exit, and the CPU time it and its children used.
func timeOne(c command) (time.Duration, time.Duration, error) {
	if c.prepare != nil {
		if err := c.prepare(); err != nil {
			return 0, 0, err
		}
	}
	cmd := exec.Command(c.argv[0], c.argv[1:]...)
	if c.env != nil {
		cmd.Env = append(os.Environ(), c.env...)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	start := time.Now()
	err := cmd.Run()
	d := time.Since(start)
	if err != nil {
		return 0, 0, fmt.Errorf("%s: %v\n%s", strings.Join(c.argv, " "), err, stderr.Bytes())
	}
	return d, cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime(), nil
}

var benchLine = regexp.MustCompile(`^(Benchmark\w+?)(-\d+)?\s+\d+\s+([0-9.]+) ns/op`)

// goBenchArgs runs the in-process benchmarks: rendering in a process
// that has rendered before, a process's first render without gofmt's
// cache and with it, and the commands in process.
var goBenchArgs = []string{"test", "-run", "^$", "-bench",
	"BenchmarkRender$|BenchmarkRenderFirst$|BenchmarkRenderFirstCached$|BenchmarkNew$|BenchmarkGenerateUpToDate$",
	"-count", "5", "./gen", "."}

// goBenchmarks runs the in-process benchmarks and prints the median of
// each.
func goBenchmarks() error {
	cmd := exec.Command("go", goBenchArgs...)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return fmt.Errorf("go test -bench: %v\n%s", err, out)
	}
	byName := map[string][]float64{}
	var names []string
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		m := benchLine.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		ns, err := strconv.ParseFloat(m[3], 64)
		if err != nil {
			return err
		}
		if _, ok := byName[m[1]]; !ok {
			names = append(names, m[1])
		}
		byName[m[1]] = append(byName[m[1]], ns)
	}
	targets := map[string]string{"BenchmarkRender": "≤ 3 ms"}
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 1, ' ', 0)
	fmt.Fprintln(tw, "| benchmark\t| median ms/op\t| runs\t| target\t|")
	fmt.Fprintln(tw, "|---\t|---\t|---\t|---\t|")
	for _, name := range names {
		fmt.Fprintf(tw, "| %s\t| %.2f\t| %d\t| %s\t|\n", name, medianF(byName[name])/1e6, len(byName[name]), targets[name])
	}
	return tw.Flush()
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func medianF(fs []float64) float64 {
	s := slices.Clone(fs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func loadavg() string {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	return strings.Join(strings.Fields(string(data))[:3], " ")
}

func cpuModel() string {
	data, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return runtime.GOARCH
	}
	for line := range strings.Lines(string(data)) {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return runtime.GOARCH
}

// commit names the tree measured: its commit, and "+changes" when the
// work tree differs from it.
func commit() string {
	out, err := exec.Command("git", "rev-parse", "--short", "HEAD").Output()
	if err != nil {
		return "an unknown commit"
	}
	c := strings.TrimSpace(string(out))
	if diff, err := exec.Command("git", "status", "--porcelain", "--untracked-files=no").Output(); err == nil && len(bytes.TrimSpace(diff)) > 0 {
		c += "+changes"
	}
	return c
}

func goVersion() string {
	out, err := exec.Command("go", "env", "GOVERSION").Output()
	if err != nil {
		return runtime.Version()
	}
	return strings.TrimSpace(string(out))
}
