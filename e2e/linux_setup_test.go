package e2e

import (
	"bufio"
	"context"
	"io"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// defaultSegment is the default project's segment, which h.fresh removes.
const defaultSegment = "/dev/shm/dllmemfilemap"

// TestLinuxSetupDeadCreator: a creator killed during setup leaves a
// segment without its header, of its user's. The next process to load the
// library finishes the setup, as the creator would have, and works; so
// does the one after it, with what the first wrote.
func TestLinuxSetupDeadCreator(t *testing.T) {
	serial(t)
	lin.require(t)
	bin := filepath.Join(defaultProject(t), "bin")
	lin.cProgram(t, bin, "shm", false)
	// empty: killed after shm_open, before ftruncate (size 0); zeroed:
	// after ftruncate, before the header; half: while writing the header,
	// all of it but magic, which goes last.
	for _, kind := range []string{"empty", "zeroed", "half"} {
		t.Run(kind, func(t *testing.T) {
			lin.fresh(t)
			wantOutput(t, lin.run(t, bin, "shm", "create", kind), "created "+kind)
			wantOutput(t, lin.run(t, bin, "shm", "call"),
				"set: ok=1 status=0",
				`get: ok=1 status=0 text="squatted"`,
				"size: 4096 status=0",
				"segment untouched: 0",
			)
			wantOutput(t, lin.run(t, bin, "shm", "fresh"),
				`get: ok=1 status=0 text="squatted"`,
				"payload zeroed: 0 generation=2",
			)
			st, err := os.Stat(defaultSegment)
			if err != nil {
				t.Fatal(err)
			}
			if mode := st.Mode().Perm(); mode != 0o600 {
				t.Errorf("%s has mode %#o, want --mode 0600", defaultSegment, mode)
			}
		})
	}
}

// TestLinuxSetupSlowCreator: the library itself is the creator, made slow
// by slowcreate.so between its shm_open, which created the segment, and
// its setup lock. Meanwhile another process loads the library: it must
// not wait for that creator, nor fail, but finish the setup and set a
// string. When the creator goes on, it finds the header written and must
// use the segment as an opener would, not write the header again: a
// header written again starts the generation over at 1, where the opener's
// set left it at 2.
func TestLinuxSetupSlowCreator(t *testing.T) {
	serial(t)
	lin.require(t)
	bin := filepath.Join(defaultProject(t), "bin")
	lin.cProgram(t, bin, "shm", false)
	shim := filepath.Join(t.TempDir(), "slowcreate.so")
	lin.compile(t, lin.cc, "-O2", "-Wall", "-Wextra", "-Werror", "-shared", "-fPIC",
		"-o", shim, filepath.Join("testdata", "slowcreate.c"), "-ldl")
	lin.fresh(t)

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	creator := lin.command(t, ctx, bin, "shm", "fresh")
	creator.Env = append(os.Environ(), "LD_PRELOAD="+shim)
	release, err := creator.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	said, err := creator.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	creator.Stdout = &out
	if err := creator.Start(); err != nil {
		t.Fatal(err)
	}
	defer creator.Wait()
	defer release.Close()
	stderr := bufio.NewReader(said)
	if line, err := stderr.ReadString('\n'); line != "created\n" {
		t.Fatalf("the slow creator said %q (%v), want created", line, err)
	}
	if st, err := os.Stat(defaultSegment); err != nil || st.Size() != 0 {
		t.Fatalf("the slow creator left %s: %v, want a segment of size 0", defaultSegment, err)
	}

	start := time.Now()
	wantOutput(t, lin.run(t, bin, "shm", "set", "first"), "set: ok=1 status=0")
	t.Logf("the opener set up the slow creator's segment and set in %v", time.Since(start).Round(time.Millisecond))

	if _, err := io.WriteString(release, "\n"); err != nil {
		t.Fatal(err)
	}
	rest, _ := io.ReadAll(stderr)
	if err := creator.Wait(); err != nil {
		t.Fatalf("the slow creator: %v\n%s", err, rest)
	}
	want := "get: ok=1 status=0 text=\"first\"\npayload zeroed: 0 generation=2"
	if got := strings.TrimSpace(out.String()); got != want {
		t.Errorf("the slow creator, once it went on, printed\n%s\nwant\n%s", got, want)
	}
}

// TestLinuxSetupPlanted: something other than a segment planted at the
// segment's name in /dev/shm, which anyone may write, is a squatter: a
// directory (shm_open fails with EISDIR), a symlink (ELOOP: glibc opens
// with O_NOFOLLOW), a FIFO or a socket (no regular file). Calls fail with
// SQUATTED while setup retries in the background, and work within about
// two seconds once the plant is removed. What a symlink points to is left
// alone.
func TestLinuxSetupPlanted(t *testing.T) {
	serial(t)
	lin.require(t)
	bin := filepath.Join(defaultProject(t), "bin")
	lin.cProgram(t, bin, "shm", false)
	target := filepath.Join(t.TempDir(), "victim")
	const victim = "not the segment's"
	plants := []struct {
		name  string
		plant func(t *testing.T) (remove func() error)
	}{
		{"directory", func(t *testing.T) func() error {
			if err := os.Mkdir(defaultSegment, 0o755); err != nil {
				t.Fatal(err)
			}
			return func() error { return os.Remove(defaultSegment) }
		}},
		{"symlink", func(t *testing.T) func() error {
			if err := os.WriteFile(target, []byte(victim), 0o600); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(target, defaultSegment); err != nil {
				t.Fatal(err)
			}
			return func() error { return os.Remove(defaultSegment) }
		}},
		{"fifo", func(t *testing.T) func() error {
			if err := mkfifo(defaultSegment); err != nil {
				t.Fatal(err)
			}
			return func() error { return os.Remove(defaultSegment) }
		}},
		{"socket", func(t *testing.T) func() error {
			l, err := net.Listen("unix", defaultSegment)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { l.Close() })
			return func() error { return os.Remove(defaultSegment) }
		}},
	}
	after := regexp.MustCompile(`^set: ok=1 status=0 after=(\d+) ms$`)
	for _, p := range plants {
		t.Run(p.name, func(t *testing.T) {
			lin.fresh(t)
			remove := p.plant(t)
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			cmd := lin.command(t, ctx, bin, "shm", "recover", "back")
			goOn, err := cmd.StdinPipe()
			if err != nil {
				t.Fatal(err)
			}
			stdout, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			var stderr strings.Builder
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			defer cmd.Wait()
			defer goOn.Close()
			lines := bufio.NewScanner(stdout)
			next := func() string {
				if !lines.Scan() {
					return "(nothing: " + stderr.String() + ")"
				}
				return lines.Text()
			}
			if got := next(); got != "set: ok=0 status=SQUATTED" {
				t.Errorf("set over a %s: %s, want SQUATTED", p.name, got)
			}
			if got := next(); got != "waiting" {
				t.Fatalf("shm recover said %q, want waiting", got)
			}
			// Long enough for the retries to space out to their longest
			// interval (retryMax, a second).
			time.Sleep(2 * time.Second)
			if err := remove(); err != nil {
				t.Fatal(err)
			}
			if _, err := io.WriteString(goOn, "\n"); err != nil {
				t.Fatal(err)
			}
			got := next()
			if m := after.FindStringSubmatch(got); m == nil {
				t.Errorf("after the %s was removed: %s, want set: ok=1 status=0", p.name, got)
			} else if ms, _ := strconv.Atoi(m[1]); ms > 2000 {
				t.Errorf("set worked %d ms after the %s was removed, want within 2 s", ms, p.name)
			} else {
				t.Logf("set worked %d ms after the %s was removed", ms, p.name)
			}
			if got := next(); got != `get: ok=1 status=0 text="back"` {
				t.Errorf("get: %s, want the text set", got)
			}
			if err := cmd.Wait(); err != nil {
				t.Errorf("shm recover: %v\n%s", err, stderr.String())
			}
			if p.name == "symlink" {
				if data, err := os.ReadFile(target); err != nil || string(data) != victim {
					t.Errorf("the symlink's target now holds %q (%v), want it untouched", data, err)
				}
			}
		})
	}
}
