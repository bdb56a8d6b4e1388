//go:build unix

package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"

	"github.com/shmemgen/shmemgen/answers"
	"github.com/shmemgen/shmemgen/config"
	"github.com/shmemgen/shmemgen/internal/treetest"
	"github.com/shmemgen/shmemgen/write"
)

// killAtEnv makes this test binary, run with it, shmemgen on a filesystem
// on which it SIGKILLs itself before the change it numbers, syncs not
// counted (killAt). shmemgen as users build it has no such hook: the
// filesystem is a value the commands are given (runOn).
const killAtEnv = "SHMEMGEN_TEST_KILL_AT"

// init runs before the tests, and before TestMain builds anything: with
// killAtEnv set, the process is the shmemgen TestKillGenerateForReal
// kills, its arguments shmemgen's.
func init() {
	if n, err := strconv.Atoi(os.Getenv(killAtEnv)); err == nil {
		os.Exit(runOn(killAt(n), os.Args, os.Stdout, os.Stderr))
	}
}

// killAt is the system's filesystem, on which the process SIGKILLs itself
// before its nth change.
func killAt(n int) write.FS {
	changes := 0
	return &write.Faulty{FS: write.OS{}, Before: func(op write.Op, _ string) error {
		if op == write.OpSync {
			return nil
		}
		if changes++; changes == n {
			syscall.Kill(os.Getpid(), syscall.SIGKILL)
			select {} // the signal is on its way
		}
		return nil
	}}
}

// TestKillGenerateForReal runs shmemgen generate as a real process (this
// test binary, killAtEnv set) and
// SIGKILLs it before each filesystem step in turn; after each kill, check
// must not call the project current unless it is, and the next generate
// must leave exactly the tree an uninterrupted run leaves. (write's
// TestKillAtEveryStep does the same in process, for new as well.)
func TestKillGenerateForReal(t *testing.T) {
	if testing.Short() {
		t.Skip("runs shmemgen a few hundred times")
	}
	prepared := t.TempDir()
	mustRun(t, "new", "--out", prepared, "--module", "example.com/p")
	// The user asks for other inputs, and the manifest holds a file the
	// templates no longer make, after the answers file in path order.
	file := filepath.Join(prepared, answers.FileName)
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	a, err := answers.Parse(file, data, config.Default("p"))
	if err != nil {
		t.Fatal(err)
	}
	a.Inputs.Size, a.Inputs.Set = 8192, "PutText"
	a.Files = append(a.Files, answers.Entry{Path: "zz/old.md", SHA256: answers.Sum([]byte("old\n"))})
	if data, err = a.Marshal(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(prepared, "zz"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(prepared, "zz", "old.md"), []byte("old\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	before := readTree(t, prepared)

	fresh := func() string {
		dir := filepath.Join(t.TempDir(), "p")
		if err := treetest.Replace(dir, before); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	clean := fresh()
	mustRun(t, "generate", "--dir", clean)
	want := readTree(t, clean)

	killEachStep(t, want, func() (string, []string) {
		dir := fresh()
		return dir, []string{"generate", "--dir", dir}
	}, func(name, dir string) {
		stale := run([]string{"shmemgen", "generate", "--check", "--dir", dir}, io.Discard, io.Discard) != 0
		if diff := treetest.Diff(readTree(t, dir), want); diff != "" && !stale {
			t.Errorf("%s: --check says current, but the tree differs:\n%s", name, diff)
		}
		var stderr bytes.Buffer
		if code := run([]string{"shmemgen", "generate", "--dir", dir}, io.Discard, &stderr); code != 0 {
			t.Fatalf("%s: the next generate: exit %d\n%s", name, code, stderr.Bytes())
		}
		if diff := treetest.Diff(readTree(t, dir), want); diff != "" {
			t.Errorf("%s: the next generate left:\n%s", name, diff)
		}
		if code := run([]string{"shmemgen", "generate", "--check", "--dir", dir}, io.Discard, io.Discard); code != 0 {
			t.Errorf("%s: not current after the next generate", name)
		}
	})
}

// TestKillNewForReal runs shmemgen new into a directory that does not exist
// as a real process (this test binary, killAtEnv set) and SIGKILLs it
// before each filesystem step in turn; after each kill, the directory must not exist at all, and the next new
// must leave exactly the tree an uninterrupted run leaves, and nothing
// beside it (new stages the project in a directory beside its own).
func TestKillNewForReal(t *testing.T) {
	if testing.Short() {
		t.Skip("runs shmemgen a hundred times")
	}
	clean := filepath.Join(t.TempDir(), "p")
	mustRun(t, "new", "--out", clean)
	want := readTree(t, clean)

	killEachStep(t, want, func() (string, []string) {
		dir := filepath.Join(t.TempDir(), "p")
		return dir, []string{"new", "--out", dir}
	}, func(name, dir string) {
		// Nothing half-written: the project is there whole, or not at all.
		if _, err := os.Lstat(dir); !errors.Is(err, os.ErrNotExist) {
			if diff := treetest.Diff(readTree(t, dir), want); diff != "" {
				t.Errorf("%s: the project is half-written:\n%s", name, diff)
			}
		}
		var stderr bytes.Buffer
		if code := run([]string{"shmemgen", "new", "--out", dir}, io.Discard, &stderr); code != 0 {
			t.Fatalf("%s: the next new: exit %d\n%s", name, code, stderr.Bytes())
		}
		if diff := treetest.Diff(readTree(t, dir), want); diff != "" {
			t.Errorf("%s: the next new left:\n%s", name, diff)
		}
		if entries, err := os.ReadDir(filepath.Dir(dir)); err != nil || len(entries) != 1 {
			var names []string
			for _, e := range entries {
				names = append(names, e.Name())
			}
			t.Errorf("%s: beside the project the next new left %v (%v)", name, names, err)
		}
	})
}

// killEachStep runs shmemgen (this test binary, killAtEnv set) with the
// arguments start gives, once for each filesystem step n, SIGKILLing it
// before step n, and hands each killed run's directory to check; the first
// run that ends unkilled must have made at least one step and left want.
func killEachStep(t *testing.T, want map[string]treetest.File, start func() (dir string, args []string), check func(name, dir string)) {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	for n := 1; ; n++ {
		dir, args := start()
		cmd := exec.Command(self, args...)
		cmd.Env = append(os.Environ(), killAtEnv+"="+strconv.Itoa(n))
		out, err := cmd.CombinedOutput()
		var exit *exec.ExitError
		switch {
		case err == nil:
			if n == 1 {
				t.Fatalf("%s made no step to kill", args[0])
			}
			if diff := treetest.Diff(readTree(t, dir), want); diff != "" {
				t.Fatalf("%s, not killed, left:\n%s", args[0], diff)
			}
			t.Logf("killed shmemgen %s before each of its %d steps", args[0], n-1)
			return
		case !errors.As(err, &exit) || !exit.Sys().(syscall.WaitStatus).Signaled():
			t.Fatalf("step %d: %s failed without being killed: %v\n%s", n, args[0], err, out)
		}
		check(fmt.Sprintf("killed before step %d", n), dir)
	}
}

func mustRun(t *testing.T, args ...string) {
	t.Helper()
	var stderr bytes.Buffer
	if code := run(append([]string{"shmemgen"}, args...), io.Discard, &stderr); code != 0 {
		t.Fatalf("shmemgen %v: exit %d\n%s", args, code, stderr.Bytes())
	}
}

func readTree(t *testing.T, dir string) map[string]treetest.File {
	t.Helper()
	tree, err := treetest.Read(dir)
	if err != nil {
		t.Fatal(err)
	}
	return tree
}
