// Package verify proves a built shmemgen project: its libraries' export
// and import tables against the exports shmemgen.yaml names (PE for the
// DLL, ELF for the .so), and its round trips, each parent starting its
// child, on the hosts that run its programs (Host: Wine or Windows itself
// for the Windows build, Linux natively for the Linux build). shmemgen
// verify runs it all (Run); the end-to-end tests use the same inspection
// and hosts.
package verify

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"time"

	"github.com/shmemgen/shmemgen/config"
	"github.com/shmemgen/shmemgen/gen"
	"github.com/shmemgen/shmemgen/internal/wine"
)

// Timeout bounds the build and the runs, which take under a minute.
const Timeout = 10 * time.Minute

// DefaultText crosses the command line, the DLL and the console output: it
// holds non-ASCII and a surrogate pair.
const DefaultText = "shmemgen verify: ünïcödé 😀"

// Pair is a parent and the child it starts, and the step that runs them,
// by their Windows file names.
type Pair struct{ Step, Parent, Child string }

var pairs = map[string][]Pair{
	"c":   {{"c", "parent.exe", "child.exe"}},
	"go":  {{"go", "parent-go.exe", "child-go.exe"}},
	"all": {{"c", "parent.exe", "child.exe"}, {"go", "parent-go.exe", "child-go.exe"}},
}

// Pairs are the pairs --pair name runs: c, go or all.
func Pairs(name string) ([]Pair, bool) {
	p, ok := pairs[name]
	return p, ok
}

// Options are what to verify and how.
type Options struct {
	// Dir is the project; Inputs are its answers file's.
	Dir    string
	Inputs config.Config
	Pairs  []Pair
	// Text is what each parent writes and each child must print.
	Text string
	// KeepPrefix keeps the Wine prefix, for inspection.
	KeepPrefix bool
	// Progress receives a line per step, and the build's output.
	Progress io.Writer
}

// Report is what verify found, as --json prints it.
type Report struct {
	Dir   string `json:"dir"`
	DLL   string `json:"dll"`
	OK    bool   `json:"ok"`
	Steps []Step `json:"steps"`
	// Prefix is the Wine prefix kept with KeepPrefix.
	Prefix string `json:"prefix,omitempty"`
}

// Step is one step of the report.
type Step struct {
	Name    string  `json:"name"`
	OK      bool    `json:"ok"`
	Seconds float64 `json:"seconds"`
	Detail  string  `json:"detail,omitempty"`
	Error   string  `json:"error,omitempty"`
}

// StepError is a failed step: verify exits 1 naming it.
type StepError struct {
	Step string
	Err  error
}

func (e *StepError) Error() string { return fmt.Sprintf("verify failed at step %s: %v", e.Step, e.Err) }
func (e *StepError) Unwrap() error { return e.Err }

// Run runs every step in turn, stops at the first that fails, and ends
// with the line that sums the run up. The report holds every step run.
func Run(ctx context.Context, opts Options) (Report, error) {
	v := &verifier{w: opts.Progress, report: Report{Dir: opts.Dir, DLL: opts.Inputs.DLL + ".dll"}}
	start := time.Now()
	err := v.run(ctx, opts)
	v.report.OK = err == nil
	v.summary(err, time.Since(start))
	return v.report, err
}

// verifier runs steps, printing progress to w and recording the report.
type verifier struct {
	w      io.Writer
	report Report
}

// step runs f as the step name. long steps announce themselves with what
// when they start; every step prints one line when it ends, with its time.
// f returns a detail for the report and the line; a round trip's line
// starts with "ok  ", what a user came for. A failure's line is short: the
// error that ends the run says why.
func (v *verifier) step(name, what string, long bool, f func() (string, error)) error {
	if long {
		fmt.Fprintf(v.w, "verify: %s: %s\n", name, what)
	}
	start := time.Now()
	detail, err := f()
	took := time.Since(start)
	s := Step{Name: name, OK: err == nil, Seconds: took.Round(time.Millisecond).Seconds(), Detail: detail}
	if err != nil {
		s.Error = err.Error()
		fmt.Fprintf(v.w, "FAIL %s (%s)\n", name, roundDuration(took))
	} else if roundTrip[name] {
		fmt.Fprintf(v.w, "ok  %s (%s)\n", detail, roundDuration(took))
	} else {
		fmt.Fprintf(v.w, "verify: %s: %s (%s)\n", name, detail, roundDuration(took))
	}
	v.report.Steps = append(v.report.Steps, s)
	if err != nil {
		return &StepError{name, err}
	}
	return nil
}

// roundTrip names the steps that run a pair, on either system.
var roundTrip = map[string]bool{"c": true, "go": true, "c-linux": true, "go-linux": true}

// summary prints the line that ends the run, after its steps: ok, or the
// step it failed at, with how many steps ran and how long it all took.
func (v *verifier) summary(err error, took time.Duration) {
	n := len(v.report.Steps)
	steps := fmt.Sprintf("%d steps, %s", n, roundDuration(took))
	if n == 1 {
		steps = "1 step, " + roundDuration(took).String()
	}
	var failed *StepError
	switch {
	case err == nil:
		fmt.Fprintf(v.w, "verify: ok, %s\n", steps)
	case errors.As(err, &failed):
		fmt.Fprintf(v.w, "verify: FAILED at %s, %s\n", failed.Step, steps)
	default:
		fmt.Fprintf(v.w, "verify: FAILED, %s\n", steps)
	}
}

func roundDuration(d time.Duration) time.Duration {
	if d < time.Second {
		return d.Round(time.Millisecond)
	}
	return d.Round(100 * time.Millisecond)
}

// run runs the steps: the build, then each system's.
func (v *verifier) run(ctx context.Context, opts Options) error {
	ctx, cancel := context.WithTimeout(ctx, Timeout)
	defer cancel()
	bin, err := filepath.Abs(filepath.Join(opts.Dir, "bin"))
	if err != nil {
		return err
	}

	script := "bash build.sh"
	if runtime.GOOS == "windows" {
		script = "powershell -File build.ps1"
	}
	if err := v.step("build", "running "+script, true, func() (string, error) {
		return "built bin/", Build(ctx, opts.Dir, v.w)
	}); err != nil {
		return err
	}
	if opts.Inputs.Record != nil {
		if err := v.step("record", "", false, func() (string, error) { return CheckRecordHash(bin, opts.Inputs) }); err != nil {
			return err
		}
	}
	if opts.Inputs.HasOS("windows") {
		if err := v.windows(ctx, bin, opts); err != nil {
			return err
		}
	}
	if opts.Inputs.HasOS("linux") && runtime.GOOS == "linux" {
		if err := v.linux(ctx, bin, opts); err != nil {
			return err
		}
	}
	return nil
}

// windows checks the Windows side: each DLL's exports and imports, and the
// round trips, under Wine elsewhere than Windows.
func (v *verifier) windows(ctx context.Context, bin string, opts Options) error {
	cfg := opts.Inputs
	// Each architecture built has its own DLL: amd64's in bin/, 386's in
	// bin/386/, whose exports must be just as exact (undecorated __cdecl
	// names) and whose imports just as clean. The round trips run from
	// bin/, or from bin/386/ in a project built for 386 alone.
	for _, arch := range cfg.Arches() {
		suffix, dir := "", bin
		if arch == "386" {
			suffix, dir = "-386", filepath.Join(bin, "386")
		}
		dll := filepath.Join(dir, cfg.DLL+".dll")
		if err := v.step("exports"+suffix, "", false, func() (string, error) { return CheckExports(dll, cfg) }); err != nil {
			return err
		}
		if err := v.step("imports"+suffix, "", false, func() (string, error) { return CheckImports(dll) }); err != nil {
			return err
		}
	}
	if !cfg.HasArch("amd64") {
		bin = filepath.Join(bin, "386")
	}

	var s *windowsSession
	what := "running the programs directly"
	if runtime.GOOS != "windows" {
		what = "making a private Wine prefix with the ProcessPrng stub"
	}
	if err := v.step("wine", what, runtime.GOOS != "windows", func() (string, error) {
		var err error
		s, err = newWindowsSession(opts.KeepPrefix)
		if err != nil {
			return "", err
		}
		return s.describe, nil
	}); err != nil {
		return err
	}
	defer s.close()
	v.report.Prefix = s.kept
	return v.roundTrips(ctx, s.host, bin, "", opts)
}

// roundTrips runs each pair on h, from bin, as the step the pair names
// with suffix.
func (v *verifier) roundTrips(ctx context.Context, h Host, bin, suffix string, opts Options) error {
	want := "Child process read from shared memory: " + opts.Text
	for _, pair := range opts.Pairs {
		parent := h.Prog(strings.TrimSuffix(pair.Parent, ".exe"))
		child := h.Prog(strings.TrimSuffix(pair.Child, ".exe"))
		err := v.step(pair.Step+suffix, fmt.Sprintf("running %s -> %s", parent, child), true, func() (string, error) {
			// The child's path is given in full, as the parent's command
			// line: the parents' default finds it beside them too, but a
			// quoted full path also proves TEXT arrives.
			cmd := h.Command(ctx, bin, filepath.Join(bin, parent), h.ChildArg(h.Path(filepath.Join(bin, child))), opts.Text)
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			err := cmd.Run()
			out := strings.ReplaceAll(stdout.String(), "\r\n", "\n")
			if err != nil || !strings.Contains(out, want+"\n") {
				return "", fmt.Errorf("%s did not round-trip (%v):\n%s%s", parent, err, out, stderr.String())
			}
			return fmt.Sprintf("%s -> %s: the child read back %s", parent, child, config.Quote(opts.Text)), nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// linux checks the Linux side, natively: the .so's dynamic export table,
// as for the DLL, and the round trips of the Linux hosts (bin/parent and
// bin/child for c, bin/parent-go and bin/child-go for go).
func (v *verifier) linux(ctx context.Context, bin string, opts Options) error {
	so := filepath.Join(bin, LinuxHost.Lib(opts.Inputs.DLL))
	if err := v.step("exports-linux", "", false, func() (string, error) { return CheckLinuxExports(so, opts.Inputs) }); err != nil {
		return err
	}
	// The round trips create the segment, whose name outlives the hosts: a
	// segment verify made is removed when it ends, so that none is left to
	// stand in the way of a build with another size or layout. One that was
	// there before is someone's, and is left alone.
	segment := "/dev/shm" + opts.Inputs.POSIXName()
	if _, err := os.Lstat(segment); errors.Is(err, fs.ErrNotExist) {
		defer os.Remove(segment)
	}
	return v.roundTrips(ctx, LinuxHost, bin, "-linux", opts)
}

// CheckRecordHash reads the typed record's layout hash from the header
// the build put in bin (NAME.h's MACRO_RECORD_LAYOUT_HASH) and checks it
// against the one cfg's record has: the hash a running peer's library
// must have too, or the later of the two to load fails with BAD_LAYOUT.
// Its detail names both the record and the hash, for comparing with a
// peer's.
func CheckRecordHash(bin string, cfg config.Config) (string, error) {
	m := gen.NewModel(cfg)
	if m.Record == nil {
		return "", errors.New("the project has no record")
	}
	want := fmt.Sprintf("0x%016x", m.Record.LayoutHash)
	header := filepath.Join(bin, cfg.DLL+".h")
	src, err := os.ReadFile(header)
	if err != nil {
		return "", err
	}
	re := regexp.MustCompile(`(?m)^#define ` + regexp.QuoteMeta(m.MacroPrefix) + `_RECORD_LAYOUT_HASH (0x[0-9a-f]{16})ULL$`)
	found := re.FindSubmatch(src)
	if found == nil {
		return "", fmt.Errorf("%s defines no %s_RECORD_LAYOUT_HASH: it was built for no record; rebuild", header, m.MacroPrefix)
	}
	if got := string(found[1]); got != want {
		return "", fmt.Errorf("%s was built for record layout hash %s, but %s's record has %s: rebuild", header, got, "shmemgen.yaml", want)
	}
	return fmt.Sprintf("%s, layout hash %s: a library built for another layout refuses the mapping with BAD_LAYOUT", m.Record.Record.Name, want), nil
}

// Build runs the project's own build script for this system, passing its
// output on to progress, each line indented, as it comes.
func Build(ctx context.Context, dir string, progress io.Writer) error {
	cmd := exec.CommandContext(ctx, "bash", "build.sh")
	if runtime.GOOS == "windows" {
		cmd = exec.CommandContext(ctx, "powershell", "-NoProfile", "-ExecutionPolicy", "Bypass", "-File", "build.ps1")
	}
	cmd.Dir = dir
	pr, pw := io.Pipe()
	cmd.Stdout, cmd.Stderr = pw, pw
	done := make(chan struct{})
	var tail []string // the last lines, for the error
	go func() {
		defer close(done)
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			fmt.Fprintf(progress, "    %s\n", sc.Text())
			tail = append(tail, sc.Text())
			if len(tail) > 20 {
				tail = tail[1:]
			}
		}
		io.Copy(io.Discard, pr)
	}()
	err := cmd.Run()
	pw.Close()
	<-done
	if err != nil {
		return fmt.Errorf("%s: %w\n%s", strings.Join(cmd.Args, " "), err, strings.Join(tail, "\n"))
	}
	return nil
}

// windowsSession is the Windows host verify runs the programs on: Windows
// itself, or Wine in a fresh private prefix that close removes, unless
// kept.
type windowsSession struct {
	host  Host
	close func()
	// describe says where the programs run; kept is the kept prefix.
	describe, kept string
}

func newWindowsSession(keep bool) (*windowsSession, error) {
	if runtime.GOOS == "windows" {
		return &windowsSession{host: WindowsHost, close: func() {}, describe: "Windows: the programs run directly"}, nil
	}
	if err := wine.Available(); err != nil {
		return nil, fmt.Errorf("running Windows programs here needs Wine and mingw-w64: %w", err)
	}
	tmp, err := os.MkdirTemp("", "shmemgen-verify-")
	if err != nil {
		return nil, err
	}
	dir := filepath.Join(tmp, "prefix")
	prefix, err := wine.NewPrefix(dir)
	if err != nil {
		os.RemoveAll(tmp)
		return nil, fmt.Errorf("making a Wine prefix: %w", err)
	}
	s := &windowsSession{
		host:     WineHost.InPrefix(prefix),
		describe: "a private prefix with the ProcessPrng stub",
		close: func() {
			prefix.Close()
			os.RemoveAll(tmp)
		},
	}
	if keep {
		s.kept = dir
		s.describe = fmt.Sprintf("kept prefix %s (run a program in it: WINEPREFIX=%s wine bin/parent.exe)", dir, dir)
		s.close = func() { prefix.Close() }
	}
	return s, nil
}
