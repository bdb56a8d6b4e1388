package e2e

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shmemgen/shmemgen/internal/ci"
	"github.com/shmemgen/shmemgen/internal/wine"
	"github.com/shmemgen/shmemgen/verify"
)

// host is where a test's programs are built and run: verify's Host (a
// generated project's Windows build under Wine on Linux, or natively on
// Windows, or its Linux build natively on Linux), with the compilers for
// the tests' own programs and what this machine must have to be it. Tests
// say which system they exercise (win or lin); the Windows tests run on
// whichever Windows host this machine has.
type host struct {
	verify.Host
	cc, cxx string // C and C++ compilers for this host's programs
	cflags  []string
	ldlibs  []string // libraries every test program links with
	// missing says what this machine lacks to be this host, or nil.
	missing func() error
}

// win is the Windows host: Wine here, the machine itself on Windows. Its
// programs are compiled as the generated hosts are, with
// WIN32_LEAN_AND_MEAN, which halves the time gcc spends in windows.h
// (about half a second a program).
var win = func() *host {
	cflags := []string{"-municode", "-DWIN32_LEAN_AND_MEAN"}
	if runtime.GOOS == "windows" {
		return &host{
			Host: verify.WindowsHost,
			cc:   envOr("CC", "gcc"), cxx: envOr("CXX", "g++"), cflags: cflags,
			missing: func() error { return tools(envOr("CC", "gcc"), envOr("CXX", "g++"), bash()) },
		}
	}
	return &host{
		Host: verify.WineHost,
		cc:   wine.MinGWCC, cxx: "x86_64-w64-mingw32-g++", cflags: cflags,
		missing: wine.Available,
	}
}()

// lin is the Linux host: only Linux itself.
var lin = &host{
	Host: verify.LinuxHost,
	cc:   envOr("CC", "gcc"), cxx: envOr("CXX", "g++"), ldlibs: []string{"-ldl", "-pthread"},
	missing: func() error {
		if runtime.GOOS != "linux" {
			return notHere{fmt.Sprintf("the Linux build runs on Linux only, not %s", runtime.GOOS)}
		}
		if !hasOS() {
			return notHere{"this shmemgen has no --os: no Linux backend to test"}
		}
		return tools(envOr("CC", "gcc"))
	},
}

// notHere is why a host cannot be on this machine at all, as opposed to a
// missing tool: it skips, under CI too.
type notHere struct{ why string }

func (e notHere) Error() string { return e.why }

// hosts is every host a scenario that both systems share runs on.
var hosts = []*host{win, lin}

func envOr(key, fallback string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return fallback
}

// bash is the shell that runs build.sh: on Windows, Git Bash rather than
// WSL's bash.exe, which may come first on PATH; SHMEMGEN_BASH names it.
func bash() string { return envOr("SHMEMGEN_BASH", "bash") }

func tools(names ...string) error {
	var missing []string
	for _, n := range names {
		if _, err := exec.LookPath(n); err != nil {
			missing = append(missing, n)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("not found on PATH: %s", strings.Join(missing, ", "))
	}
	return nil
}

// hostsEnv names the variable that limits the tests to some hosts, by
// name, comma-separated: SHMEMGEN_E2E_HOSTS=linux runs only the Linux
// suite. A host left out skips, under CI too: that is a choice, not a
// missing tool.
const hostsEnv = "SHMEMGEN_E2E_HOSTS"

// chosen reports whether hostsEnv leaves h in.
func (h *host) chosen() bool {
	v := os.Getenv(hostsEnv)
	return v == "" || slices.Contains(strings.Split(v, ","), h.Name)
}

// require skips tb when this machine cannot be h, or fails it under CI.
func (h *host) require(tb testing.TB) {
	tb.Helper()
	if !h.chosen() {
		tb.Skipf("%s: left out by %s=%s", h.Name, hostsEnv, os.Getenv(hostsEnv))
	}
	if err := h.missing(); err != nil {
		if errors.As(err, new(notHere)) {
			tb.Skipf("%s: %v", h.Name, err)
		}
		ci.SkipOrFail(tb, fmt.Errorf("%s: %w", h.Name, err))
	}
}

// available reports whether this machine can be h, without a test.
func (h *host) available() bool { return h.unavailable() == nil }

// unavailable says why this machine cannot be h, or nil.
func (h *host) unavailable() error {
	if !h.chosen() {
		return fmt.Errorf("left out by %s=%s", hostsEnv, os.Getenv(hostsEnv))
	}
	return h.missing()
}

// path is an absolute path as h's programs see it.
func (h *host) path(p string) string {
	abs, err := filepath.Abs(p)
	if err != nil {
		panic(err)
	}
	return h.Path(abs)
}

// command makes the command that runs exe with args in dir: a program
// file in dir, or one found on the host's search path. The Wine host runs
// it in the package's prefix.
func (h *host) command(tb testing.TB, ctx context.Context, dir, exe string, args ...string) *exec.Cmd {
	tb.Helper()
	run := h.Host
	if run.Wine {
		run = run.InPrefix(winePrefix(tb))
	}
	return run.Command(ctx, dir, exe, args...)
}

// result is what a program did.
type result struct {
	stdout, stderr string
	status         int
}

// run runs exe in dir on h and returns its output with Windows line
// endings folded.
func (h *host) run(tb testing.TB, dir, exe string, args ...string) result {
	tb.Helper()
	return h.runEnv(tb, nil, dir, exe, args...)
}

// runEnv is run with env's variables ("NAME=value") added to the
// program's environment: t.Setenv panics in a parallel test, and every
// test here is one (serial, alone).
func (h *host) runEnv(tb testing.TB, env []string, dir, exe string, args ...string) result {
	tb.Helper()
	h.require(tb)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := h.command(tb, ctx, dir, exe, args...)
	if env != nil {
		cmd.Env = append(cmd.Environ(), env...)
	}
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if ctx.Err() != nil {
		tb.Fatalf("%s %s %v: timed out\nstdout:\n%s\nstderr:\n%s", h.Name, exe, args, stdout.String(), stderr.String())
	}
	status := 0
	if exit, ok := err.(*exec.ExitError); ok {
		status = exit.ExitCode()
	} else if err != nil {
		tb.Fatalf("%s %s: %v", h.Name, exe, err)
	}
	fold := func(s string) string { return strings.ReplaceAll(s, "\r\n", "\n") }
	return result{fold(stdout.String()), fold(stderr.String()), status}
}

// cProgram compiles testdata/<name>.c into a program in bin, beside the
// library it uses, against the generated header in bin, with the warnings
// the generated hosts are held to. With link, the program links against
// the project's library (dll names it); otherwise it loads it at run time
// (lib.h, with the project's hosts/c/load.h) or not at all. Extra args go
// last (-D...).
func (h *host) cProgram(tb testing.TB, bin, name string, link bool, extra ...string) string {
	tb.Helper()
	h.require(tb)
	exe := filepath.Join(bin, name+h.Exe())
	args := append([]string{"-O2", "-Wall", "-Wextra", "-Werror"}, h.cflags...)
	args = append(args, "-I", bin, "-iquote", "testdata")
	if project, ok := projectOf(bin); ok {
		// lib.h loads the library with the project's own load.h.
		args = append(args, "-iquote", filepath.Join(project, "hosts", "c"))
	}
	args = append(args, "-o", exe, filepath.Join("testdata", name+".c"))
	if link {
		args = append(args, h.linkArgs(bin, "shmem")...)
	}
	args = append(args, extra...)
	args = append(args, h.ldlibs...)
	h.compile(tb, h.cc, args...)
	return exe
}

// projectOf returns the project that bin (its bin/ or bin/386/) is in:
// the nearest directory upward that holds shmemgen.yaml.
func projectOf(bin string) (string, bool) {
	for dir := bin; ; {
		if _, err := os.Stat(filepath.Join(dir, "shmemgen.yaml")); err == nil {
			return dir, true
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", false
		}
		dir = parent
	}
}

// linkArgs links a program in bin against the library dll in bin, found
// there at run time too.
func (h *host) linkArgs(bin, dll string) []string {
	if h.System == "linux" {
		return []string{filepath.Join(bin, h.Lib(dll)), "-Wl,-rpath,$ORIGIN"}
	}
	return []string{filepath.Join(bin, h.Lib(dll))}
}

// compile runs a compiler, failing tb with its output.
func (h *host) compile(tb testing.TB, compiler string, args ...string) {
	tb.Helper()
	if out, err := exec.Command(compiler, args...).CombinedOutput(); err != nil {
		tb.Fatalf("%s %s: %v\n%s", compiler, strings.Join(args, " "), err, out)
	}
}

// buildEnv is the environment build.sh runs with on h.
func (h *host) buildEnv() []string {
	env := append(os.Environ(), "CFLAGS=-O2 -Wall -Wextra -Werror")
	if runtime.GOOS == "windows" {
		// Native mingw-w64 (as on windows-latest) names its tools without
		// the target prefix.
		for _, kv := range []string{"CC=gcc", "DLLTOOL=dlltool", "WINDRES=windres"} {
			if k, _, _ := strings.Cut(kv, "="); os.Getenv(k) == "" {
				env = append(env, kv)
			}
		}
	}
	return env
}

// hasOS reports whether the shmemgen under test generates for more than
// one system (--os).
func hasOS() bool {
	hasOSOnce.Do(func() {
		out, _ := exec.Command(shmemgen, "new", "--help").CombinedOutput()
		hasOSFlag = strings.Contains(string(out), "--os")
	})
	return hasOSFlag
}

// withOS is args with --os windows,linux, for a project both hosts share,
// where this shmemgen has --os.
func withOS(args ...string) []string {
	if !hasOS() {
		return args
	}
	return append([]string{"--os", "windows,linux"}, args...)
}

// fresh gives a Linux test the POSIX shared memory of the default
// project's name, which outlives its processes, fresh: removed before the
// test and after it (shm_unlink is an unlink in /dev/shm). On Windows a
// mapping goes with the last process that has it, so there is nothing to
// do.
func (h *host) fresh(tb testing.TB) {
	tb.Helper()
	if h.System != "linux" {
		return
	}
	const segment = "/dev/shm/dllmemfilemap"
	remove := func() {
		if err := os.Remove(segment); err != nil && !errors.Is(err, os.ErrNotExist) {
			tb.Errorf("removing %s: %v", segment, err)
		}
	}
	remove()
	tb.Cleanup(remove)
}

// overHosts runs f as a subtest on each host, named after it: a scenario
// both systems share. A host this machine lacks skips its subtest (or
// fails it under CI). The subtests run side by side, and overHosts returns
// when both are done: the names of one system's programs cannot meet the
// other's (Wine's live in its wineserver, Linux's in /dev/shm), and each
// host's programs and files in a shared bin/ have names of their own.
func overHosts(t *testing.T, f func(t *testing.T, h *host)) {
	t.Helper()
	var each sync.WaitGroup
	for _, h := range hosts {
		each.Go(func() {
			t.Run(h.Name, func(t *testing.T) {
				h.require(t)
				h.fresh(t)
				f(t, h)
			})
		})
	}
	each.Wait()
}

// exitCommand is a child command for a parent that exits with code and
// prints nothing: cmd.exe on Windows, a script in dir on Linux.
func (h *host) exitCommand(tb testing.TB, dir string, code int) string {
	tb.Helper()
	if h.System == "windows" {
		return fmt.Sprintf("cmd.exe /c exit %d", code)
	}
	script := filepath.Join(dir, fmt.Sprintf("exit%d.sh", code))
	if err := os.WriteFile(script, fmt.Appendf(nil, "#!/bin/sh\nexit %d\n", code), 0o755); err != nil {
		tb.Fatal(err)
	}
	return script
}
