package main

import (
	"bufio"
	"bytes"
	"context"
	"debug/elf"
	"debug/pe"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/shmemgen/shmemgen/answers"
	"github.com/shmemgen/shmemgen/config"
	"github.com/shmemgen/shmemgen/internal/wine"
)

func verifyCommand() *cli.Command {
	return &cli.Command{
		Name:      "verify",
		Usage:     "build a generated project and prove its ABI and its round trip",
		UsageText: "shmemgen verify [--text TEXT] [--pair c|go|all] [--keep-prefix] [--json] [DIR]",
		ArgsUsage: "[DIR]",
		Description: `Verifies the shmemgen project in DIR (the argument or --dir; default: the nearest
directory upward from the working directory that holds a shmemgen.yaml). verify EXECUTES THE PROJECT'S OWN BUILD SCRIPT (build.sh, or
build.ps1 on Windows): run it only on a project you trust. Then, step by step:

   build    runs the build script, showing its progress
   exports  the DLL's export table holds exactly the exports shmemgen.yaml names,
            and nothing else (no cgo internals)
   imports  the DLL imports only system DLLs (KERNEL32, msvcrt, ADVAPI32, ...)
   wine     elsewhere than Windows: makes a private Wine prefix with the
            ProcessPrng stub Go programs need under Wine 8
   c, go    runs each parent with TEXT and checks that its child printed it
   exports-linux, c-linux, go-linux
            for a project whose --os includes linux, on Linux: the same for
            bin/lib<dll>.so (its dynamic symbol table) and the Linux hosts,
            run natively

Each step prints a line as it starts, if it takes a while, and one with its
duration when it ends; a round trip that passes prints "ok". A failing step
ends the run: verify exits 1 naming it. The last line sums the run up:
"verify: ok, N steps, TIME" or "verify: FAILED at STEP, N steps, TIME".
With --json, the report is printed as one JSON document on stdout, and the
progress goes to stderr. Under Wine, mingw-w64 and Wine must be installed
(apt-get install mingw-w64 wine wine64); the prefix is removed afterwards
unless --keep-prefix.

Examples:

   shmemgen verify
   shmemgen new -o jobs && shmemgen verify jobs
   shmemgen verify --pair go --text 'hello, world' --keep-prefix jobs
   shmemgen verify --json jobs | jq '.steps[] | select(.ok | not)'`,
		OnUsageError: onUsageError,
		Flags: []cli.Flag{
			dirFlag(),
			&cli.StringFlag{Name: "text", Value: verifyText, Usage: "`TEXT` each parent writes and each child must print"},
			&cli.StringFlag{Name: "pair", Value: "all", Usage: "which parent and child to run: c, go or all"},
			&cli.BoolFlag{Name: "keep-prefix", Usage: "under Wine, keep the prefix for inspection and print how to use it"},
			&cli.BoolFlag{Name: "json", Usage: "print the report as one JSON document"},
		},
		Action: runVerify,
	}
}

// verifyTimeout bounds the build and the runs, which take under a minute.
const verifyTimeout = 10 * time.Minute

// verifyText crosses the command line, the DLL and the console output: it
// holds non-ASCII and a surrogate pair.
const verifyText = "shmemgen verify: ünïcödé 😀"

// verifyPair is a parent and the child it starts, and the step that runs
// them.
type verifyPair struct{ step, parent, child string }

// verifyPairs are the pairs to run by --pair.
var verifyPairs = map[string][]verifyPair{
	"c":   {{"c", "parent.exe", "child.exe"}},
	"go":  {{"go", "parent-go.exe", "child-go.exe"}},
	"all": {{"c", "parent.exe", "child.exe"}, {"go", "parent-go.exe", "child-go.exe"}},
}

// verifyReport is what verify found, as --json prints it.
type verifyReport struct {
	Dir   string       `json:"dir"`
	DLL   string       `json:"dll"`
	OK    bool         `json:"ok"`
	Steps []verifyStep `json:"steps"`
	// Prefix is the Wine prefix kept with --keep-prefix.
	Prefix string `json:"prefix,omitempty"`
}

// verifyStep is one step of the report.
type verifyStep struct {
	Name    string  `json:"name"`
	OK      bool    `json:"ok"`
	Seconds float64 `json:"seconds"`
	Detail  string  `json:"detail,omitempty"`
	Error   string  `json:"error,omitempty"`
}

// stepError is a failed step: verify exits 1 naming it.
type stepError struct {
	step string
	err  error
}

func (e *stepError) Error() string { return fmt.Sprintf("verify failed at step %s: %v", e.step, e.err) }
func (e *stepError) Unwrap() error { return e.err }

// verifier runs steps, printing progress to w and recording the report.
type verifier struct {
	w      io.Writer
	report verifyReport
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
	s := verifyStep{Name: name, OK: err == nil, Seconds: took.Round(time.Millisecond).Seconds(), Detail: detail}
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
		return &stepError{name, err}
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
	var failed *stepError
	switch {
	case err == nil:
		fmt.Fprintf(v.w, "verify: ok, %s\n", steps)
	case errors.As(err, &failed):
		fmt.Fprintf(v.w, "verify: FAILED at %s, %s\n", failed.step, steps)
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

func runVerify(c *cli.Context) error {
	pairs, ok := verifyPairs[c.String("pair")]
	if !ok {
		return usagef("--pair %s must be c, go or all", config.Quote(c.String("pair")))
	}
	dir, err := findProject(c)
	if err != nil {
		return err
	}
	// verify runs the project's build script: only in a project shmemgen
	// made, never in whatever directory has a dll/ folder.
	if _, err := os.Stat(filepath.Join(dir, answers.FileName)); errors.Is(err, fs.ErrNotExist) {
		return usagef("%s is not a shmemgen project: it has no %s (verify runs a project's own build script, so only in a project shmemgen new made)", dir, answers.FileName)
	} else if err != nil {
		return err
	}
	a, _, err := loadAnswers(dir)
	if err != nil {
		return err
	}

	v := &verifier{w: c.App.Writer, report: verifyReport{Dir: dir, DLL: a.Inputs.DLL + ".dll"}}
	if c.Bool("json") {
		v.w = c.App.ErrWriter
	}
	start := time.Now()
	err = verify(c.Context, v, dir, a.Inputs, pairs, c.String("text"), c.Bool("keep-prefix"))
	v.report.OK = err == nil
	v.summary(err, time.Since(start))
	if c.Bool("json") {
		data, jerr := json.MarshalIndent(v.report, "", "  ")
		if jerr != nil {
			return jerr
		}
		fmt.Fprintf(c.App.Writer, "%s\n", data)
	}
	return err
}

// verify runs every step in turn and stops at the first that fails.
func verify(ctx context.Context, v *verifier, dir string, cfg config.Config, pairs []verifyPair, text string, keepPrefix bool) error {
	ctx, cancel := context.WithTimeout(ctx, verifyTimeout)
	defer cancel()
	bin, err := filepath.Abs(filepath.Join(dir, "bin"))
	if err != nil {
		return err
	}

	script := "bash build.sh"
	if runtime.GOOS == "windows" {
		script = "powershell -File build.ps1"
	}
	if err := v.step("build", "running "+script, true, func() (string, error) {
		return "built bin/", build(ctx, dir, v.w)
	}); err != nil {
		return err
	}
	if cfg.HasOS("windows") {
		if err := verifyWindows(ctx, v, bin, cfg, pairs, text, keepPrefix); err != nil {
			return err
		}
	}
	if cfg.HasOS("linux") && runtime.GOOS == "linux" {
		if err := verifyLinux(ctx, v, bin, cfg, pairs, text); err != nil {
			return err
		}
	}
	return nil
}

// verifyWindows checks the Windows side: each DLL's exports and imports,
// and the round trips, under Wine elsewhere than Windows.
func verifyWindows(ctx context.Context, v *verifier, bin string, cfg config.Config, pairs []verifyPair, text string, keepPrefix bool) error {
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
		if err := v.step("exports"+suffix, "", false, func() (string, error) { return checkExports(dll, cfg) }); err != nil {
			return err
		}
		if err := v.step("imports"+suffix, "", false, func() (string, error) { return checkImports(dll) }); err != nil {
			return err
		}
	}
	if !cfg.HasArch("amd64") {
		bin = filepath.Join(bin, "386")
	}

	var host *windowsHost
	what := "running the programs directly"
	if runtime.GOOS != "windows" {
		what = "making a private Wine prefix with the ProcessPrng stub"
	}
	if err := v.step("wine", what, runtime.GOOS != "windows", func() (string, error) {
		var err error
		host, err = newWindowsHost(keepPrefix)
		if err != nil {
			return "", err
		}
		return host.describe, nil
	}); err != nil {
		return err
	}
	defer host.close()
	v.report.Prefix = host.prefix

	want := "Child process read from shared memory: " + text
	for _, pair := range pairs {
		parent, child := pair.parent, pair.child
		err := v.step(pair.step, fmt.Sprintf("running %s -> %s", parent, child), true, func() (string, error) {
			// The child's path is given in full: the parents' default finds
			// it beside them too, but a quoted full path also proves TEXT
			// arrives.
			cmd := host.command(ctx, filepath.Join(bin, parent), `"`+host.path(filepath.Join(bin, child))+`"`, text)
			var stdout, stderr bytes.Buffer
			cmd.Dir, cmd.Stdout, cmd.Stderr = bin, &stdout, &stderr
			err := cmd.Run()
			out := strings.ReplaceAll(stdout.String(), "\r\n", "\n")
			if err != nil || !strings.Contains(out, want+"\n") {
				return "", fmt.Errorf("%s did not round-trip (%v):\n%s%s", parent, err, out, stderr.String())
			}
			return fmt.Sprintf("%s -> %s: the child read back %s", parent, child, config.Quote(text)), nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// verifyLinux checks the Linux side, natively: the .so's dynamic export
// table, as for the DLL, and the round trips of the Linux hosts (bin/parent
// and bin/child for c, bin/parent-go and bin/child-go for go).
func verifyLinux(ctx context.Context, v *verifier, bin string, cfg config.Config, pairs []verifyPair, text string) error {
	so := filepath.Join(bin, "lib"+cfg.DLL+".so")
	if err := v.step("exports-linux", "", false, func() (string, error) {
		got, err := elfExports(so)
		if err != nil {
			return "", err
		}
		return compareExports(so, got, cfg)
	}); err != nil {
		return err
	}
	// The round trips create the segment, whose name outlives the hosts: a
	// segment verify made is removed when it ends, so that none is left to
	// stand in the way of a build with another size or layout. One that was
	// there before is someone's, and is left alone.
	segment := "/dev/shm" + cfg.POSIXName()
	if _, err := os.Lstat(segment); errors.Is(err, fs.ErrNotExist) {
		defer os.Remove(segment)
	}
	want := "Child process read from shared memory: " + text
	for _, pair := range pairs {
		parent := strings.TrimSuffix(pair.parent, ".exe")
		child := strings.TrimSuffix(pair.child, ".exe")
		err := v.step(pair.step+"-linux", fmt.Sprintf("running %s -> %s", parent, child), true, func() (string, error) {
			// The Linux parents run a given command line with /bin/sh -c:
			// the child's path is quoted for it.
			line := "'" + strings.ReplaceAll(filepath.Join(bin, child), "'", `'\''`) + "'"
			cmd := exec.CommandContext(ctx, filepath.Join(bin, parent), line, text)
			var stdout, stderr bytes.Buffer
			cmd.Dir, cmd.Stdout, cmd.Stderr = bin, &stdout, &stderr
			err := cmd.Run()
			if err != nil || !strings.Contains(stdout.String(), want+"\n") {
				return "", fmt.Errorf("%s did not round-trip (%v):\n%s%s", parent, err, stdout.String(), stderr.String())
			}
			return fmt.Sprintf("%s -> %s: the child read back %s", parent, child, config.Quote(text)), nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// elfExports lists the symbols a shared library defines and exports: its
// dynamic symbols that are defined and not local.
func elfExports(so string) ([]string, error) {
	f, err := elf.Open(so)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	syms, err := f.DynamicSymbols()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Base(so), err)
	}
	var names []string
	for _, sym := range syms {
		if sym.Section != elf.SHN_UNDEF && elf.ST_BIND(sym.Info) != elf.STB_LOCAL {
			names = append(names, sym.Name)
		}
	}
	slices.Sort(names)
	return names, nil
}

// build runs the project's own build script for this system, passing its
// output on to progress, each line indented, as it comes.
func build(ctx context.Context, dir string, progress io.Writer) error {
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

// checkExports compares the DLL's export table with the exports the
// answers name: exactly those, nothing missing, nothing else (cgo's own
// _cgo_* and crosscall names included).
func checkExports(dll string, cfg config.Config) (string, error) {
	got, err := wine.Exports(dll)
	if err != nil {
		return "", err
	}
	return compareExports(dll, got, cfg)
}

// compareExports compares a library's exports, got, with the exports the
// answers name.
func compareExports(dll string, got []string, cfg config.Config) (string, error) {
	var want []string
	for _, e := range cfg.Exports() {
		want = append(want, e[1])
	}
	slices.Sort(want)
	var missing, extra []string
	for _, name := range want {
		if !slices.Contains(got, name) {
			missing = append(missing, name)
		}
	}
	for _, name := range got {
		if !slices.Contains(want, name) {
			extra = append(extra, name)
		}
	}
	var problems []string
	if len(missing) > 0 {
		problems = append(problems, "missing "+strings.Join(missing, ", "))
	}
	if len(extra) > 0 {
		problems = append(problems, "not in "+answers.FileName+": "+strings.Join(extra, ", "))
	}
	if len(problems) > 0 {
		return "", fmt.Errorf("%s: export table %s", filepath.Base(dll), strings.Join(problems, "; "))
	}
	return fmt.Sprintf("%s exports exactly %s", filepath.Base(dll), strings.Join(want, ", ")), nil
}

// systemDLLs are the DLLs every Windows has, lowercased: the only ones the
// DLL may import, so that a host needs nothing but it.
var systemDLLs = []string{
	"advapi32.dll", "bcrypt.dll", "bcryptprimitives.dll", "crypt32.dll", "dbghelp.dll",
	"iphlpapi.dll", "kernel32.dll", "kernelbase.dll", "msvcrt.dll", "ntdll.dll",
	"ole32.dll", "oleaut32.dll", "powrprof.dll", "secur32.dll", "shell32.dll",
	"ucrtbase.dll", "user32.dll", "userenv.dll", "winmm.dll", "ws2_32.dll",
}

// checkImports checks that the DLL imports only system DLLs: a MinGW
// runtime DLL (libgcc_s_seh-1.dll, libwinpthread-1.dll) would have to ship
// beside it.
func checkImports(dll string) (string, error) {
	f, err := pe.Open(dll)
	if err != nil {
		return "", err
	}
	defer f.Close()
	// debug/pe's ImportedLibraries is unimplemented; every imported
	// symbol, as SYMBOL:DLL, names its DLL.
	syms, err := f.ImportedSymbols()
	if err != nil {
		return "", fmt.Errorf("%s: import table: %w", filepath.Base(dll), err)
	}
	var libs []string
	for _, sym := range syms {
		if _, lib, ok := strings.Cut(sym, ":"); ok && !slices.Contains(libs, lib) {
			libs = append(libs, lib)
		}
	}
	slices.Sort(libs)
	if len(libs) == 0 {
		return "", fmt.Errorf("%s has no import table: not a DLL that Go and mingw-w64 built", filepath.Base(dll))
	}
	var bad []string
	for _, lib := range libs {
		l := strings.ToLower(lib)
		if !slices.Contains(systemDLLs, l) && !strings.HasPrefix(l, "api-ms-win-") {
			bad = append(bad, lib)
		}
	}
	if len(bad) > 0 {
		return "", fmt.Errorf("%s imports %s, not a system DLL", filepath.Base(dll), strings.Join(bad, ", "))
	}
	return fmt.Sprintf("%s imports only system DLLs: %s", filepath.Base(dll), strings.Join(libs, ", ")), nil
}

// windowsHost runs Windows programs: directly on Windows, else under Wine
// in a fresh private prefix that close removes, unless kept.
type windowsHost struct {
	command func(ctx context.Context, exe string, args ...string) *exec.Cmd
	// path is how Windows programs see a local path.
	path  func(string) string
	close func()
	// describe says where the programs run; prefix is the kept prefix.
	describe, prefix string
}

func newWindowsHost(keep bool) (*windowsHost, error) {
	if runtime.GOOS == "windows" {
		return &windowsHost{
			command:  exec.CommandContext,
			path:     func(p string) string { return p },
			close:    func() {},
			describe: "Windows: the programs run directly",
		}, nil
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
	h := &windowsHost{
		command:  prefix.Command,
		path:     wine.Path,
		describe: "a private prefix with the ProcessPrng stub",
		close: func() {
			prefix.Close()
			os.RemoveAll(tmp)
		},
	}
	if keep {
		h.prefix = dir
		h.describe = fmt.Sprintf("kept prefix %s (run a program in it: WINEPREFIX=%s wine bin/parent.exe)", dir, dir)
		h.close = func() { prefix.Close() }
	}
	return h, nil
}
